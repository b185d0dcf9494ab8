package features

import (
	"math"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// TestCompounds checks that German and Dutch compounds missing from the
// dictionary are keyed by their parts' glosses, and that nothing else is
// split.
func TestCompounds(t *testing.T) {
	dir := t.TempDir()
	writeDict(t, dir, "freedict-deu-eng", [][2]string{
		{"Bund", "federation"},
		{"innen", "inside"},
		{"Minister", "minister"},
		{"Kind", "child"},
		{"Zuschlag", "supplement"},
		{"Verstand", "reason"},
		{"erzog", "raised"},
		{"Vers", "verse"},
		{"Eis", "ice"},
	})
	writeDict(t, dir, "freedict-nld-eng", [][2]string{
		{"ziekenhuis", "hospital"},
		{"brand", "fire"},
	})
	writeDict(t, dir, "freedict-ita-eng", [][2]string{
		{"ministero", "ministry"},
		{"casa", "house"},
	})
	lex, err := NewLexicon(dir)
	if err != nil {
		t.Fatal(err)
	}
	x, err := New(WithLexicon(lex), WithUntitledHead(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, lang, text string
		want             map[string]float64 // key → weight, for a one-word text
		absent           []string
	}{
		{"two parts share the word's weight", "de", "Innenminister",
			map[string]float64{"gl:insid": 0.5, "gl:minist": 0.5}, []string{"term:de:innenminist"}},
		{"a linking element is dropped", "de", "Kinderzuschlag",
			map[string]float64{"gl:child": 0.5, "gl:supplement": 0.5}, nil},
		{"the beginning may be a compound itself", "de", "Bundesinnenminister",
			map[string]float64{"gl:feder": 0.25, "gl:insid": 0.25, "gl:minist": 0.5}, nil},
		{"a listed word is not split", "de", "Verstand",
			map[string]float64{"gl:reason": 1}, []string{"gl:vers"}},
		{"an ending alone does not make a compound", "de", "unterzog",
			map[string]float64{"term:de:unterzog": 1}, []string{"gl:rais"}},
		{"short words are not split", "de", "Eiskind",
			map[string]float64{"term:de:eiskind": 1}, []string{"gl:child", "gl:ic"}},
		{"overlong runs of letters are not tried", "de", strings.Repeat("innen", 12) + "minister",
			nil, []string{"gl:minist", "gl:insid"}},
		{"dutch compounds too", "nl", "ziekenhuisbrand",
			map[string]float64{"gl:hospit": 0.5, "gl:fire": 0.5}, nil},
		{"other languages are not split", "it", "ministerocasa",
			nil, []string{"gl:ministri", "gl:hous"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := x.Of(article.Article{Lang: tc.lang, Text: tc.text})
			for k, w := range tc.want {
				if math.Abs(s.Terms[k]-w) > 1e-9 {
					t.Errorf("%s weighs %.3f, want %.3f; have %v", k, s.Terms[k], w, s.Terms)
				}
			}
			for _, k := range tc.absent {
				if _, ok := s.Terms[k]; ok {
					t.Errorf("unexpected %s; have %v", k, s.Terms)
				}
			}
		})
	}
}
