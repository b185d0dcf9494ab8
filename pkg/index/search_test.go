package index

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

func TestSearch(t *testing.T) {
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, corpus()[:4]) // before the merge: st-verona (it), st-lyon (fr), st-flood (en)

	tests := []struct {
		name string
		q    SearchQuery
		want []string
	}{
		{"italian plural finds singular", SearchQuery{Q: "attacchi"}, []string{"st-verona"}},
		{"french plural finds singular", SearchQuery{Q: "serveurs"}, []string{"st-lyon"}},
		{"english inflection", SearchQuery{Q: "floods"}, []string{"st-flood"}},
		{"headline word", SearchQuery{Q: "river"}, []string{"st-flood"}},
		{"two languages", SearchQuery{Q: "attacchi serveurs", Sort: SortUpdated}, []string{"st-verona", "st-lyon"}},
		{"language filter", SearchQuery{Q: "attacchi serveurs", Langs: []string{"FR"}}, []string{"st-lyon"}},
		{"source filter", SearchQuery{Q: "attacchi serveurs", Sources: []string{"corriere.example"}}, []string{"st-verona"}},
		{"source filter, any case", SearchQuery{Q: "attacchi serveurs", Sources: []string{" Corriere.EXAMPLE"}}, []string{"st-verona"}},
		{"source filter, any case, nothing else", SearchQuery{Sources: []string{"LEMONDE.example"}}, []string{"st-lyon"}},
		{"source filter, a word only", SearchQuery{Sources: []string{"lemonde"}}, []string{}},
		{"must not", SearchQuery{Q: "attacchi serveurs -intrusion"}, []string{"st-verona"}},
		{"must", SearchQuery{Q: "+attacchi +ransomware"}, []string{"st-verona"}},
		{"italian stop word in a must clause", SearchQuery{Q: "+e +sistemi +attacchi"}, []string{"st-verona"}},
		{"english stop word in a must clause", SearchQuery{Q: "+the +flooded"}, []string{"st-flood"}},
		{"stop word alone", SearchQuery{Q: "+e"}, []string{"st-verona"}},
		{"phrase", SearchQuery{Q: `"ospedale di Verona"`}, []string{"st-verona"}},
		{"fielded lang", SearchQuery{Q: "+lang:fr"}, []string{"st-lyon"}},
		{"fielded lang in capitals", SearchQuery{Q: "+lang:FR"}, []string{"st-lyon"}},
		{"fielded source", SearchQuery{Q: "+source:corriere.example"}, []string{"st-verona"}},
		{"fielded source, one word, any case", SearchQuery{Q: "+source:Corriere"}, []string{"st-verona"}},
		{"fielded source as a phrase", SearchQuery{Q: `+source:"bbc example"`}, []string{"st-flood"}},
		{"fielded source with words", SearchQuery{Q: "source:bbc.example river"}, []string{"st-flood"}},
		{"fielded source unknown", SearchQuery{Q: "+source:nowhere"}, []string{}},
		{"fielded source half a word", SearchQuery{Q: "+source:corr"}, []string{}},
		{"star alone lists all", SearchQuery{Q: "*", Sort: SortUpdated}, []string{"st-verona", "st-flood", "st-lyon"}},
		{"star but a word", SearchQuery{Q: "* -ransomware", Sort: SortUpdated}, []string{"st-flood", "st-lyon"}},
		{"wildcard", SearchQuery{Q: "ransom*"}, []string{"st-verona"}},
		{"wildcard in capitals", SearchQuery{Q: "Ransom*"}, []string{"st-verona"}},
		{"wildcard inside", SearchQuery{Q: "r?nsom*"}, []string{"st-verona"}},
		{"regular expression", SearchQuery{Q: "/ransom.*/"}, []string{"st-verona"}},
		{"no match", SearchQuery{Q: "zanzibar"}, []string{}},
		{"empty query lists all", SearchQuery{Sort: SortUpdated}, []string{"st-verona", "st-flood", "st-lyon"}},
		{"page 2", SearchQuery{Sort: SortUpdated, Size: 2, Offset: 2}, []string{"st-lyon"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ix.Search(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := hitIDs(r.Hits); !slices.Equal(got, tc.want) {
				t.Errorf("Search(%+v) = %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}

func TestListSourceFilterAnyCase(t *testing.T) {
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, corpus()[:4])
	tests := []struct {
		sources []string
		want    []string
	}{
		{[]string{"bbc.example"}, []string{"st-flood"}},
		{[]string{"BBC.Example"}, []string{"st-flood"}},
		{[]string{"bbc.example", "LEMONDE.EXAMPLE"}, []string{"st-flood", "st-lyon"}},
		{[]string{"bbc"}, []string{}},
	}
	for _, tc := range tests {
		p, err := ix.List(ListQuery{Sources: tc.sources})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(p.Stories); !slices.Equal(got, tc.want) {
			t.Errorf("List(sources %q) = %v, want %v", tc.sources, got, tc.want)
		}
	}
}

func TestSearchSnippets(t *testing.T) {
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, corpus())

	r, err := ix.Search(SearchQuery{Q: "attacchi"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("Search = %v, %v", r.Hits, err)
	}
	sn := strings.Join(r.Hits[0].Snippets, " | ")
	if !strings.Contains(strings.ToLower(sn), "<mark>attacco</mark>") {
		t.Errorf("snippets %q do not mark attacco", sn)
	}

	// Article text is escaped; only the highlighter's <mark> is markup.
	r, err = ix.Search(SearchQuery{Q: "drivers"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("Search = %v, %v", r.Hits, err)
	}
	sn = strings.Join(r.Hits[0].Snippets, " | ")
	if !strings.Contains(sn, "&lt;b&gt;<mark>drivers</mark>&lt;/b&gt;") || strings.Contains(sn, "<b>") {
		t.Errorf("snippet not escaped: %q", sn)
	}
}

func TestSearchFacets(t *testing.T) {
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, corpus()) // st-verona: it+fr, 3 sources; st-flood: en, 1 source

	r, err := ix.Search(SearchQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 2 {
		t.Errorf("Total = %d, want 2", r.Total)
	}
	want := map[string][]Facet{
		"lang": {{Term: "en", Count: 1}, {Term: "fr", Count: 1}, {Term: "it", Count: 1}},
		"source": {{Term: "bbc.example", Count: 1}, {Term: "corriere.example", Count: 1}, {Term: "lemonde.example", Count: 1},
			{Term: "repubblica.example", Count: 1}},
	}
	for name, w := range want {
		if got := r.Facets[name]; !slices.Equal(got, w) {
			t.Errorf("facet %s = %v, want %v", name, got, w)
		}
	}

	r, err = ix.Search(SearchQuery{Q: "attacchi OR flooded OR serveurs", Langs: []string{"it"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Facets["lang"]; !slices.Equal(got, []Facet{{Term: "fr", Count: 1}, {Term: "it", Count: 1}}) {
		t.Errorf("filtered lang facet = %v", got)
	}
}

func TestSearchBadQuery(t *testing.T) {
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, corpus())
	tests := []struct {
		name string
		q    SearchQuery
	}{
		{"lone plus", SearchQuery{Q: "attacco +"}},
		{"bad boost", SearchQuery{Q: "attacco^x"}},
		{"unterminated phrase", SearchQuery{Q: `"ospedale di`}},
		{"dangling field", SearchQuery{Q: "headline:"}},
		{"bad regexp", SearchQuery{Q: "/[a-/"}},
		{"fuzziness too high", SearchQuery{Q: "attacco~9"}},
		{"bad sort", SearchQuery{Q: "attacco", Sort: "random"}},
		{"too deep", SearchQuery{Q: "attacco", Offset: MaxSearchDepth}},
		{"too long", SearchQuery{Q: strings.Repeat("attacco ", MaxQueryLen/8+1)}},
		{"date out of range", SearchQuery{Q: "attacco", From: time.Date(1200, 1, 1, 0, 0, 0, 0, time.UTC)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ix.Search(tc.q)
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("Search(%q) = %v, want ErrBadQuery", tc.q.Q, err)
			}
			t.Log(err)
		})
	}
}

func TestTidySnippet(t *testing.T) {
	tests := []struct{ in, want string }{
		{"…ées des <mark>otages</mark> sont libres.", "…des <mark>otages</mark> sont libres."},
		{"Les <mark>otages</mark> sont lib…", "Les <mark>otages</mark> sont …"},
		{"…x <mark>a</mark> b c…", "…<mark>a</mark> b …"},
		{"…mot<mark>a</mark>…", "…mot<mark>a</mark>…"},
		{"…&lt;b&gt; <mark>a</mark>", "…<mark>a</mark>"},
		{"no cut <mark>a</mark>", "no cut <mark>a</mark>"},
	}
	for _, tc := range tests {
		if got := tidySnippet(tc.in); got != tc.want {
			t.Errorf("tidySnippet(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSearchBoundsExpansion checks that a pattern standing for more indexed
// words than MaxExpansion is refused with a clear error, while narrower ones
// run: bleve searches every word a pattern stands for.
func TestSearchBoundsExpansion(t *testing.T) {
	for _, kind := range []string{"in memory", "on disk"} {
		t.Run(kind, func(t *testing.T) {
			dir := ""
			if kind == "on disk" {
				dir = t.TempDir() // its dictionaries answer regular expressions
			}
			testBoundsExpansion(t, dir)
		})
	}
}

func testBoundsExpansion(t *testing.T, dir string) {
	ix := mustOpen(t, dir)
	defer ix.Close()
	s := newSim()
	var words []string
	for i := range MaxExpansion + 50 {
		words = append(words, fmt.Sprintf("zq%04d", i))
	}
	applyAll(t, ix, []story.Event{
		s.add("st-many", t0, art("en-many", "en", "lists.example", "Many words", strings.Join(words, " "))),
		s.add("st-other", t0.Add(time.Hour), art("en-other", "en", "other.example", "Another story", "Nothing of the kind here.")),
	})
	tests := []struct {
		q       string
		refused bool
		want    []string
	}{
		{"zq*", true, nil},
		{"/zq.*/", true, nil},
		{"?*", true, nil},
		{"story zq?*", true, nil},
		{"zq000*", false, []string{"st-many"}},
		{"zq01?0", false, []string{"st-many"}},
		{"/zq10[0-4]./", false, []string{"st-many"}},
		{"*", false, []string{"st-other", "st-many"}},
		{"another OR zq1*", false, []string{"st-other", "st-many"}},
		// Fuzzy terms count too: 800 and 285 words.
		{"/zq0[0-7]../", false, []string{"st-many"}},
		{"zq000~2", false, []string{"st-many"}},
		{"/zq0[0-7]../ zq000~2", true, nil},
		{"Zq1049~1", false, []string{"st-many"}},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			r, err := ix.Search(SearchQuery{Q: tc.q, Sort: SortUpdated})
			if tc.refused {
				if !errors.Is(err, ErrBadQuery) || !strings.Contains(err.Error(), "give more letters") {
					t.Fatalf("Search(%q) err = %v, want a refusal", tc.q, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := hitIDs(r.Hits); !slices.Equal(got, tc.want) {
				t.Errorf("Search(%q) = %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}
