package features

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cputime"
)

// learnTexts counts the runs of each text as one article's.
func learnTexts(r *Repeats, texts ...string) {
	for i, s := range texts {
		r.Learn(appendRuns(nil, tokenize(s)), uint64(i+1))
	}
}

func TestRepeatsFooter(t *testing.T) {
	const footer = " GUARDA E CONDIVIDI. Pierre Cantagallo - Video"
	posts := []string{
		"Di Maio risponde alle accuse del Pd." + footer,
		"Ragazzi contestano Renzi nella sede del Pd." + footer,
		"Travaglio e gli alibi dei politici." + footer,
		"Sgarbi contro Cecchi Paone in diretta." + footer,
		"Di Battista fuori da Montecitorio." + footer,
	}
	// The same sentence in the middle of four texts: the event, told by
	// several reports, not a footer.
	const event = "il crollo del ponte Morandi a Genova"
	reports := []string{
		"Oggi " + event + " ha fatto 43 morti, dice la procura.",
		"Un anno dopo " + event + " le famiglie chiedono giustizia.",
		"Dopo " + event + " Autostrade sotto accusa per la manutenzione.",
		"Il processo per " + event + " si apre domani a Palazzo di giustizia.",
	}
	tests := []struct {
		name    string
		learned []string
		text    string
		footer  string // the words weighed down, "" for none
	}{
		{"footer after five posts", posts, "Mario Monti attacca Di Maio." + footer, "GUARDA E CONDIVIDI Pierre Cantagallo Video"},
		// The last run counts from the first post, the others from the
		// second (Learn).
		{"four posts: the last run", posts[:4], "Mario Monti attacca Di Maio." + footer, "CONDIVIDI Pierre Cantagallo Video"},
		{"three posts are not enough", posts[:3], "Mario Monti attacca Di Maio." + footer, ""},
		{"a run in the middle is not a footer", reports, "Ieri " + event + " e oggi le indagini.", ""},
		{"a footer only where it ends the text", posts, "Pierre Cantagallo - Video di ieri, poi Monti attacca Di Maio.", ""},
		{"nothing learned", nil, "Mario Monti attacca Di Maio." + footer, ""},
		{"a text shorter than a run", posts, "Video", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRepeats(8)
			learnTexts(r, tc.learned...)
			toks := tokenize(tc.text)
			w := r.weigh(toks, appendRuns(nil, toks), func(int) float64 { return 1 })
			got := ""
			for i, tk := range toks {
				if w(i) < 1 {
					if got != "" {
						got += " "
					}
					got += tk.raw
				}
			}
			if got != tc.footer {
				t.Errorf("footer %q, want %q", got, tc.footer)
			}
		})
	}
}

// TestRepeatsCountOnce checks that an article counted twice (a redelivery,
// Observe then Add) counts once, and that other articles count each.
func TestRepeatsCountOnce(t *testing.T) {
	hs := appendRuns(nil, tokenize("Segui le attività del M5S in Parlamento"))
	tests := []struct {
		ctxs []uint64
		want uint64
	}{
		{[]uint64{1}, 1},
		{[]uint64{1, 1, 1}, 1},
		{[]uint64{1, 2, 1, 2}, 2},
		{[]uint64{1, 2, 3, 4, 5}, 5},
	}
	// hs[0] is the text's last run, counted for every article.
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.ctxs), func(t *testing.T) {
			r := NewRepeats(8)
			for _, c := range tc.ctxs {
				r.Learn(hs, c)
			}
			if got := r.count(hs[0]); got != tc.want {
				t.Errorf("count %d, want %d", got, tc.want)
			}
		})
	}
}

// TestRepeatsBounded checks that the table keeps a run counted often while
// many runs seen once pass through its bucket.
func TestRepeatsBounded(t *testing.T) {
	r := NewRepeats(2) // 16 entries
	footer := appendRuns(nil, tokenize("Liberi di svelarvi il mondo"))[:1]
	for i := range 5 {
		r.Learn(footer, uint64(1000+i))
	}
	for i := range 2000 {
		r.Learn([]uint64{uint64(i) * 0x9e3779b97f4a7c15}, uint64(i+1))
	}
	if got := r.count(footer[0]); got != 5 {
		t.Errorf("footer count %d after churn, want 5", got)
	}
	if n := len(r.slots); n != 16 {
		t.Errorf("table grew to %d entries", n)
	}
}

// TestOfRepeatsFooterWeighsLittle checks the features: a learned footer's
// words weigh footerWeight as much, the rest of the text as Of gives it.
func TestOfRepeatsFooterWeighsLittle(t *testing.T) {
	x, err := New(WithLexicon(nil))
	if err != nil {
		t.Fatal(err)
	}
	r := NewRepeats(8)
	const footer = " Liberi di svelarvi il mondo"
	for i, s := range []string{"Generale Mini: offensiva ucraina.", "Generale Bertolini: il deterrente russo.", "Gas alle stelle in Germania.", "Il referendum nel Donbass.", "Meloni e la Nato."} {
		_, hs := x.OfRepeats(article.Article{Lang: "it", Text: s + footer}, r)
		r.Learn(hs, uint64(i+1))
	}
	a := article.Article{Lang: "it", Text: "La Confindustria tedesca in rivolta." + footer}
	plain := x.Of(a)
	got, _ := x.OfRepeats(a, r)
	tests := []struct {
		key   string
		ratio float64
	}{
		{"term:it:liber", footerWeight},
		{"term:it:mondo", footerWeight},
		{"term:it:confindustr", 1},
		{"term:it:rivolt", 1},
	}
	for _, tc := range tests {
		if plain.Terms[tc.key] == 0 {
			t.Fatalf("%s not among the plain features %v", tc.key, plain.Terms)
		}
		if ratio := got.Terms[tc.key] / plain.Terms[tc.key]; ratio < tc.ratio-1e-9 || ratio > tc.ratio+1e-9 {
			t.Errorf("%s weighs %.3f of its plain weight, want %.3f", tc.key, ratio, tc.ratio)
		}
	}
}

// BenchmarkOfRepeatsEval is BenchmarkOfEval with a table of footers
// learned from the same articles, as the engine extracts them.
func BenchmarkOfRepeatsEval(b *testing.B) {
	arts, err := coverageArticles(filepath.Join("..", "..", "..", "shared", "eval"))
	if err != nil {
		b.Skipf("evaluation sets not found: %v", err)
	}
	x, err := New()
	if err != nil {
		b.Fatal(err)
	}
	r := NewRepeats(15)
	as := make([]article.Article, len(arts))
	for i, a := range arts {
		as[i] = article.Article{Lang: a.Lang, Title: a.Title, Text: a.Text}
		_, hs := x.OfRepeats(as[i], r)
		r.Learn(hs, uint64(i+1))
	}
	b.ReportAllocs()
	cpu0 := cputime.Process()
	i := 0
	for b.Loop() {
		_, hs := x.OfRepeats(as[i%len(as)], r)
		r.Learn(hs, uint64(i%len(as)+1))
		i++
	}
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N), "cpu-ns/op")
}

// TestRepeatsLearnsTailLazily checks what Learn counts: an ending no other
// article had counts its last run only; once another article ended alike,
// every run.
func TestRepeatsLearnsTailLazily(t *testing.T) {
	hs := appendRuns(nil, tokenize("Il blog di Beppe Grillo. Segui le attività del M5S in Parlamento"))
	tests := []struct {
		ctxs       []uint64
		last, prev uint64 // counts of hs[0] and hs[1]
	}{
		{[]uint64{1}, 1, 0},
		{[]uint64{1, 1}, 1, 0},
		{[]uint64{1, 2}, 2, 1},
		{[]uint64{1, 2, 3}, 3, 2},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.ctxs), func(t *testing.T) {
			r := NewRepeats(8)
			for _, c := range tc.ctxs {
				r.Learn(hs, c)
			}
			if last, prev := r.count(hs[0]), r.count(hs[1]); last != tc.last || prev != tc.prev {
				t.Errorf("counts %d, %d; want %d, %d", last, prev, tc.last, tc.prev)
			}
		})
	}
}
