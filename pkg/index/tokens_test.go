package index

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// TestTokenCacheSameTokens checks that a text analysed through the cache,
// first time and again, gives what bleve indexes of the analyzer's own
// tokens: term, offsets and position.
func TestTokenCacheSameTokens(t *testing.T) {
	m := buildMapping()
	texts := map[string]string{
		"text_it":    "L'attacco all'ospedale di Verona: i sindaci e gli ospedali, più attacchi.",
		"text_fr":    "Les otages sont libérés ; élections à la mairie — « grève » des écoles.",
		"text_en":    "The servers' outages were fixed; the council's mayor (elected 2025) spoke.",
		"text_de":    "Die Bürgermeisterin hat die Straßenbahn-Streiks kommentiert.",
		"text_other": "Zażółć gęślą jaźń 東京都 2025 x",
		"text_nl":    "",
	}
	c := newTokenCache(1 << 20)
	for field, text := range texts {
		an := m.AnalyzerNamed(m.AnalyzerNameForPath(field))
		if an == nil {
			t.Fatalf("%s: no analyzer", field)
		}
		want := an.Analyze([]byte(text))
		ca := cachedAnalyzer{cache: c, name: field, inner: an}
		for round, what := range []string{"analysed", "from the cache"} {
			got := ca.Analyze([]byte(text))
			if !sameTokens(got, want) {
				t.Errorf("%s, %s (round %d): tokens %v, want %v", field, what, round, terms(got), terms(want))
			}
		}
		if _, ok := c.get(c.key(field, []byte(text))); !ok {
			t.Errorf("%s: not cached", field)
		}
	}
	// The same text under another analyzer is another entry.
	if _, ok := c.get(c.key("text_es", []byte(texts["text_it"]))); ok {
		t.Error("text_it's tokens found for text_es")
	}
}

func sameTokens(a, b analysis.TokenStream) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if string(x.Term) != string(y.Term) || x.Start != y.Start || x.End != y.End || x.Position != y.Position {
			return false
		}
	}
	return true
}

func terms(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}
