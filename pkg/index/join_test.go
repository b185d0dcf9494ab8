package index

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// TestSearchJoinsArticles: words are matched within one article (its title
// and body) or in the story's headline and titles, and the story is what
// is found: through an article that joined a story merged away since, with
// the filters, facets and totals counted over stories; -word leaves out a
// story any article says it in; a near-duplicate's body is not searched.
func TestSearchJoinsArticles(t *testing.T) {
	s := newSim()
	copyEv := s.add("st-port", t0,
		art("p1", "it", "a.example", "Nave incagliata a Genova", "La portacontainer si è incagliata sulla diga foranea."),
		art("p2", "it", "b.example", "Genova, nave incagliata (ripresa)", "La portacontainer si è incagliata sulla diga foranea. Zanzibar."))
	copyEv.Story.Members[1].DuplicateOf = "p1"
	evs := []story.Event{
		copyEv,
		s.add("st-strike", t0.Add(time.Hour),
			art("s1", "fr", "c.example", "Grève des cheminots", "Les trains restent à quai; la direction parle de dialogue."),
			art("s2", "en", "d.example", "Rail strike", "The unions walked out over pay.")),
		s.add("st-fog", t0.Add(2*time.Hour),
			art("f1", "en", "e.example", "Fog at the harbour", "Pilots kept the ferries in port; trains ran late.")),
		s.add("st-fog-b", t0.Add(3*time.Hour),
			art("f2", "en", "f.example", "Ferries resume", "The ferries sailed again at noon, the harbour master said.")),
		s.merge("st-fog", t0.Add(4*time.Hour), "st-fog-b"),
	}
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, evs)

	tests := []struct {
		name  string
		q     SearchQuery
		want  []string // stories, in any order
		marks string   // a word the first hit's snippets must mark
	}{
		{"a body word", SearchQuery{Q: "diga"}, []string{"st-port"}, "diga"},
		{"a title word alone", SearchQuery{Q: "ripresa"}, []string{"st-port"}, ""},
		{"a near-duplicate's body", SearchQuery{Q: "zanzibar"}, nil, ""},
		{"both words in one article", SearchQuery{Q: "+trains +quai"}, []string{"st-strike"}, "quai"},
		{"words of two articles", SearchQuery{Q: "+quai +unions"}, nil, ""},
		{"an article of a story merged away", SearchQuery{Q: "noon"}, []string{"st-fog"}, "noon"},
		{"either word", SearchQuery{Q: "trains"}, []string{"st-strike", "st-fog"}, ""},
		{"a word any article says, excluded", SearchQuery{Q: "trains -unions"}, []string{"st-fog"}, ""},
		{"the story's language filter", SearchQuery{Q: "trains", Langs: []string{"fr"}}, []string{"st-strike"}, ""},
		{"an article's language clause", SearchQuery{Q: "+trains +lang:en"}, []string{"st-fog"}, ""},
		{"the headline", SearchQuery{Q: "title:grève"}, []string{"st-strike"}, ""},
		{"the headline only, not other titles", SearchQuery{Q: "title:rail"}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ix.Search(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(r.Hits)
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) || r.Total != uint64(len(want)) {
				t.Fatalf("%+v found %v (total %d), want %v", tc.q, got, r.Total, want)
			}
			n := 0
			for _, f := range r.Facets[FacetLang] {
				n = max(n, f.Count)
			}
			if len(want) > 0 && n == 0 {
				t.Errorf("no language facet counted: %+v", r.Facets)
			}
			if tc.marks != "" && !strings.Contains(strings.Join(r.Hits[0].Snippets, " "), "<mark>"+tc.marks+"</mark>") {
				t.Errorf("snippets %q do not mark %q", r.Hits[0].Snippets, tc.marks)
			}
		})
	}
}
