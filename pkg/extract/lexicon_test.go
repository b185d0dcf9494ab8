package extract

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ti è piaciuto questo articolo?", "ti e piaciuto questo articolo?"},
		{"Vous avez aimé cet article ?", "vous avez aime cet article?"},
		{"Abonnez-vous à notre  Newsletter", "abonnez-vous a notre newsletter"},
		{"L’évolution «du» texte", "l'evolution \"du\" texte"},
		{"mis en œuvre — vite…", "mis en oeuvre - vite..."},
		{"Schriftgröße", "schriftgroße"},
		{"\u00a0 Taille du texte : ", "taille du texte:"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := fold(tt.in); got != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEmbeddedLexicons(t *testing.T) {
	e := newTestExtractor(t)
	langs := map[string]bool{}
	kinds := map[string]bool{}
	for _, p := range e.lex.phrases {
		for _, l := range strings.Split(p.lang, ",") {
			langs[l] = true
		}
		kinds[p.kind] = true
	}
	for _, l := range []string{"it", "fr", "en", "de", "es", "pl", "ru", "tr", "ar", "zh"} {
		if !langs[l] {
			t.Errorf("no phrases for %s", l)
		}
	}
	for _, k := range knownKinds {
		if !kinds[k] {
			t.Errorf("no phrases of kind %s", k)
		}
	}
}

func TestLexiconConfig(t *testing.T) {
	extra := fstest.MapFS{
		"pt.txt": {Data: []byte("# Portuguese, added by the caller\ncta\tassine a nossa newsletter\nrelated\tleia também\n")},
	}
	text := "A prefeitura de Vila Nova inaugurou nesta segunda-feira a nova biblioteca municipal, com quarenta mil livros e uma sala de leitura para crianças.\n\nAssine a nossa newsletter e receba as notícias do dia.\n\nVous avez aimé cet article ? Partagez-le."
	tests := []struct {
		name    string
		cfg     Config
		removed int
	}{
		{"default lexicons", Config{}, 1},
		{"extra lexicon adds a language", Config{Lexicons: extra}, 2},
		{"languages restrict the embedded files", Config{Languages: []string{"en"}, Lexicons: extra}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Extract(Input{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Removed) != tt.removed {
				t.Errorf("%d removals, want %d: %+v", len(res.Removed), tt.removed, res.Removed)
			}
		})
	}
}

func TestLexiconErrors(t *testing.T) {
	tests := []struct{ name, data string }{
		{"no tab", "cta subscribe now\n"},
		{"unknown kind", "banner\tsubscribe now\n"},
		{"empty phrase", "cta\t   \n"},
		{"conjunction of one part", "cta\tsubscribe + \n"},
		{"conjunction of a label kind", "share\tshare + facebook\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Config{Lexicons: fstest.MapFS{"xx.txt": {Data: []byte(tt.data)}}})
			if !errors.Is(err, ErrLexicon) {
				t.Errorf("got %v, want ErrLexicon", err)
			}
		})
	}
	if _, err := New(Config{MaxBytes: -1}); err == nil {
		t.Error("negative MaxBytes accepted")
	}
}

func TestLexiconConjunction(t *testing.T) {
	e, err := New(Config{Languages: []string{"none"}, Lexicons: fstest.MapFS{"xx.txt": {Data: []byte("cta\tnewsletter + sign up\n")}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want bool
	}{
		{"Sign up for the Courier newsletter today.", true},
		{"Our newsletter: sign up here", true},
		{"Sign up for the library's reading challenge before Friday.", false},
		{"The newsletter was first printed in 1952 by the parish.", false},
		{strings.Repeat("A long paragraph of article text that goes on. ", 6) + "Readers can sign up to the newsletter.", false},
	}
	for _, tt := range tests {
		b := newBlock(tt.text)
		if _, got := e.lex.match(&b); got != tt.want {
			t.Errorf("match(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestLexiconMatchPlacement(t *testing.T) {
	e := newTestExtractor(t)
	tests := []struct {
		text string
		want bool
	}{
		{"Taille du texte:", true},
		{"Taille du texte : A A", true},
		{"La taille du texte de loi a doublé depuis la première lecture au Sénat.", false},
		{"Anzeige", true},
		{"Anzeige gegen Unbekannt wurde am Montag erstattet.", false},
		{"Read more: Council delays vote on harbour plan", true},
		{"Related risks for the harbour budget", false},
		{"Follow us on Mastodon", true},
		{strings.Repeat("The committee met for a long time and discussed many things. ", 6) + "Follow us on social media, said no one.", false},
		{"Photo: Council press office", true},
		{"Photographers gathered at the harbour for the ceremony.", false},
	}
	for _, tt := range tests {
		b := newBlock(tt.text)
		if _, got := e.lex.match(&b); got != tt.want {
			t.Errorf("match(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestBylines(t *testing.T) {
	e := newTestExtractor(t)
	tests := []struct {
		text string
		want bool
	}{
		{"By Mara Quinlan · 4 March 2025", true},
		{"Par Jean-Pierre Aubry", true},
		{"Von Anna Schmidt, Berlin", true},
		{"By AFP", true},
		{"Von Berlin nach Paris", false},
		{"Par ailleurs", false},
		{"By Monday the bridge will be shut", false},
		{"By", false},
	}
	for _, tt := range tests {
		b := newBlock(tt.text)
		m, got := e.lex.match(&b)
		if got != tt.want || (got && m.phrase.kind != kindByline) {
			t.Errorf("match(%q) = %v (%s), want %v", tt.text, got, m.phrase.kind, tt.want)
		}
	}
}
