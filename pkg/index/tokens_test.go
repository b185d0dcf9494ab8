package index

import (
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// TestTokenCacheSameTokens checks that a text analysed through the cache,
// first time and again, gives what bleve indexes of the analyzer's own
// tokens: term, offsets and position.
func TestTokenCacheSameTokens(t *testing.T) {
	m := buildMapping()
	texts := map[string]string{
		"title_it":    "L'attacco all'ospedale di Verona: i sindaci e gli ospedali, più attacchi.",
		"title_fr":    "Les otages sont libérés ; élections à la mairie — « grève » des écoles.",
		"title_en":    "The servers' outages were fixed; the council's mayor (elected 2025) spoke.",
		"title_de":    "Die Bürgermeisterin hat die Straßenbahn-Streiks kommentiert.",
		"title_other": "Zażółć gęślą jaźń 東京都 2025 x",
		"title_nl":    "",
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
	if _, ok := c.get(c.key("title_es", []byte(texts["title_it"]))); ok {
		t.Error("title_it's tokens found for text_es")
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

// TestTokenCacheSameSearch replays a stream of growing stories, whose
// updates take their earlier members' tokens from the cache, into one index
// and, analysing every text afresh, into another: every search must find
// the same stories with the same snippets and facets.
func TestTokenCacheSameSearch(t *testing.T) {
	evs := streamEvents(300)
	cached, fresh := mustOpen(t, ""), mustOpen(t, "")
	defer cached.Close()
	defer fresh.Close()
	fresh.tokens = newTokenCache(0) // keeps nothing
	for i := 0; i < len(evs); i += 25 {
		end := min(i+25, len(evs))
		for _, ix := range []*Index{cached, fresh} {
			if err := ix.ApplyBatch(evs[i:end], uint64(end)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if cached.tokens.lru.size == 0 {
		t.Fatal("nothing cached")
	}
	now := evs[len(evs)-1].At
	found := 0
	for _, q := range benchQueries {
		q.Sort, q.Now, q.Size = SortUpdated, now, MaxPageSize
		a, err := cached.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := fresh.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		found += len(a.Hits)
		if a.Total != b.Total || !reflect.DeepEqual(a.Facets, b.Facets) {
			t.Errorf("%q: %d hits, facets %v; afresh %d, %v", q.Q, a.Total, a.Facets, b.Total, b.Facets)
		}
		if len(a.Hits) != len(b.Hits) {
			t.Fatalf("%q: %d hits on the page, afresh %d", q.Q, len(a.Hits), len(b.Hits))
		}
		for i := range a.Hits {
			x, y := a.Hits[i], b.Hits[i]
			if x.Story.ID != y.Story.ID || !slices.Equal(x.Snippets, y.Snippets) {
				t.Errorf("%q, hit %d: %s %q; afresh %s %q", q.Q, i, x.Story.ID, x.Snippets, y.Story.ID, y.Snippets)
			}
		}
	}
	if found == 0 {
		t.Error("no query found anything")
	}
}
