package cluster

import (
	"fmt"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// TestFooterLearned checks that a channel's footer, once the engine has
// seen it end other articles, no longer ties two unrelated posts of the
// channel, while two reports of one event keep their score.
func TestFooterLearned(t *testing.T) {
	const footer = " Segui le attività del MoVimento in Parlamento. Seguici sui social: Facebook, Twitter, Instagram e Telegram. GUARDA E CONDIVIDI il video di Pierre Cantagallo"
	others := []string{
		"Sgarbi contro Cecchi Paone in diretta televisiva.",
		"Ragazzi contestano i dirigenti nella sede del partito.",
		"Travaglio spiega gli alibi dei politici che rubano.",
		"Grillo denuncia la gestione dell'acqua pubblica.",
		"Lezzi risponde al professorino renziano.",
	}
	a := article.Article{ID: "a", Lang: "it", Text: "Il ponte crollato a Genova: la procura indaga sui vertici di Autostrade." + footer}
	b := article.Article{ID: "b", Lang: "it", Text: "Monti attacca Di Maio sull'inesperienza in economia." + footer}
	same := article.Article{ID: "c", Lang: "it", Text: "Crollo del ponte a Genova, indagati i vertici di Autostrade: la procura accelera." + footer}
	tests := []struct {
		name     string
		seen     int // posts with the footer shown before the comparison
		pair     [2]article.Article
		wantSame bool
		// below, when set, is a bound on the score: learned document
		// frequencies alone bring the unrelated pair under the threshold
		// (0.47), the footer's weight to a tenth of it.
		below float64
	}{
		// Unknown, the footer is most of two short posts and ties them.
		{"unrelated, footer unknown", 0, [2]article.Article{a, b}, true, 0},
		{"unrelated, footer learned", len(others), [2]article.Article{a, b}, false, 0.25},
		{"one event, footer learned", len(others), [2]article.Article{a, same}, true, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(DefaultConfig(), newExtractor(t))
			for i, s := range others[:tc.seen] {
				e.Observe(article.Article{ID: fmt.Sprint("o", i), Lang: "it", Text: s + footer})
			}
			for _, x := range tc.pair {
				e.Observe(x)
			}
			c := e.Compare(tc.pair[0], tc.pair[1])
			if c.Same != tc.wantSame {
				t.Errorf("score %.3f, same %v; want same %v", c.Score, c.Same, tc.wantSame)
			}
			if tc.below > 0 && c.Score >= tc.below {
				t.Errorf("score %.3f, want below %.2f", c.Score, tc.below)
			}
		})
	}
}

// TestFooterLearnedByAdd is TestFooterLearned through Add: the articles a
// stream adds teach the engine the footer, and a later unrelated post of
// the channel no longer joins the story the footer gathered.
func TestFooterLearnedByAdd(t *testing.T) {
	const footer = " Segui le attività del MoVimento in Parlamento. Seguici sui social: Facebook, Twitter, Instagram e Telegram. GUARDA E CONDIVIDI il video di Pierre Cantagallo"
	posts := []string{
		"Sgarbi contro Cecchi Paone in diretta televisiva.",
		"Ragazzi contestano i dirigenti nella sede del partito.",
		"Travaglio spiega gli alibi dei politici che rubano.",
		"Grillo denuncia la gestione dell'acqua pubblica.",
		"Lezzi risponde al professorino renziano.",
		"Monti attacca Di Maio sull'inesperienza in economia.",
	}
	tests := []struct {
		name     string
		from     int // the first post added; the stream runs to the last
		wantSame bool
	}{
		{"two posts: the footer ties them", 4, true},
		// The footer's last run counts from the first post, the rest
		// from the second (features.Repeats): five posts teach it.
		{"six posts: the last stands alone", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(DefaultConfig(), newExtractor(t))
			var ids []string
			for i, s := range posts[tc.from:] {
				ids = append(ids, fmt.Sprint("p", i))
				if _, err := e.Add(article.Article{ID: ids[i], Lang: "it", Text: s + footer}); err != nil {
					t.Fatal(err)
				}
			}
			first, _ := e.StoryOf(ids[0])
			last, _ := e.StoryOf(ids[len(ids)-1])
			if (first == last) != tc.wantSame {
				t.Errorf("the last post in the first post's story: %v, want %v", first == last, tc.wantSame)
			}
		})
	}
}

// TestFooterPrepareWhileAdding prepares articles on other goroutines while
// AddPrepared counts footers, as the cluster stage does: the table is read
// and written at once (go test -race checks it), and every article is
// assigned.
func TestFooterPrepareWhileAdding(t *testing.T) {
	const footer = " Segui le attività del MoVimento in Parlamento. GUARDA E CONDIVIDI il video di Pierre Cantagallo"
	e := New(DefaultConfig(), newExtractor(t))
	const n = 40
	ps := make(chan *Prepared, n)
	for g := range 2 {
		go func() {
			for i := g; i < n; i += 2 {
				ps <- e.Prepare(article.Article{ID: fmt.Sprint("p", i), Lang: "it", Text: fmt.Sprintf("Notizia numero %d sulla politica romana.", i) + footer})
			}
		}()
	}
	for range n {
		if _, err := e.AddPrepared(<-ps); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		if _, ok := e.StoryOf(fmt.Sprint("p", i)); !ok {
			t.Errorf("p%d not assigned", i)
		}
	}
}
