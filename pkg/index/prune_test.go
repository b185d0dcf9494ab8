package index

import (
	"slices"
	"testing"
	"time"
)

// TestPrune: the stories last updated before the cutoff leave the index with
// their articles and aliases; the facet counts and lookups follow, the
// rest stays, and the removal holds across a reopen.
func TestPrune(t *testing.T) {
	evs := corpus() // st-verona (it-1, it-2, fr-1; st-lyon merged in) last at t0+4h, st-flood (en-1) at t0+2h
	tests := []struct {
		name     string
		cutoff   time.Time
		pruned   int
		stories  []string // stories left, newest first
		articles []string // articles still found
		gone     []string // articles no longer found
		langs    []string // the language facet of browsing everything
		docs     uint64   // documents left: stories, articles, aliases
	}{
		{"nothing that old", t0, 0, []string{"st-verona", "st-flood"}, []string{"it-1", "fr-1", "en-1"}, nil, []string{"en", "fr", "it"}, 7},
		{"the older story", t0.Add(3 * time.Hour), 1, []string{"st-verona"}, []string{"it-1", "it-2", "fr-1"}, []string{"en-1"}, []string{"fr", "it"}, 5},
		{"last_seen equal to the cutoff stays", t0.Add(4 * time.Hour), 1, []string{"st-verona"}, []string{"it-1"}, []string{"en-1"}, []string{"fr", "it"}, 5},
		{"everything", t0.Add(5 * time.Hour), 2, nil, nil, []string{"it-1", "it-2", "fr-1", "en-1"}, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ix := mustOpen(t, dir)
			applyAll(t, ix, evs)
			n, err := ix.Prune(tc.cutoff)
			if err != nil || n != tc.pruned {
				t.Fatalf("Prune = %d, %v; want %d", n, err, tc.pruned)
			}
			if n, err := ix.Prune(tc.cutoff); err != nil || n != 0 {
				t.Errorf("a second Prune = %d, %v; want 0", n, err)
			}
			check := func(when string) {
				if n, err := ix.idx.DocCount(); err != nil || n != tc.docs {
					t.Errorf("%s: %d documents (%v), want %d", when, n, err, tc.docs)
				}
				page, err := ix.List(ListQuery{})
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(page.Stories); !slices.Equal(got, tc.stories) || page.Total != uint64(len(tc.stories)) {
					t.Errorf("%s: listed %v (total %d), want %v", when, got, page.Total, tc.stories)
				}
				for _, id := range tc.articles {
					if _, ok, err := ix.Article(id); err != nil || !ok {
						t.Errorf("%s: article %s not found (%v)", when, id, err)
					}
				}
				for _, id := range tc.gone {
					if v, ok, err := ix.Article(id); err != nil || ok {
						t.Errorf("%s: article %s still found in %s (%v)", when, id, v.Story.ID, err)
					}
				}
				_, aliasOK, err := ix.Story("st-lyon")
				if err != nil || aliasOK != slices.Contains(tc.stories, "st-verona") {
					t.Errorf("%s: the merged story's alias resolves: %v (%v), want %v", when, aliasOK, err, slices.Contains(tc.stories, "st-verona"))
				}
				if _, ok, _ := ix.ArticleByURL("https://bbc.example/en-1"); ok != slices.Contains(tc.stories, "st-flood") {
					t.Errorf("%s: the flood report's address found: %v", when, ok)
				}
				res, err := ix.Search(SearchQuery{})
				if err != nil {
					t.Fatal(err)
				}
				var langs []string
				for _, f := range res.Facets[FacetLang] {
					langs = append(langs, f.Term)
				}
				slices.Sort(langs)
				if !slices.Equal(langs, tc.langs) || res.Total != uint64(len(tc.stories)) {
					t.Errorf("%s: browsing finds %d stories in %v, want %d in %v", when, res.Total, langs, len(tc.stories), tc.langs)
				}
				words, err := ix.Search(SearchQuery{Q: "flooding"})
				if err != nil {
					t.Fatal(err)
				}
				if want := slices.Contains(tc.stories, "st-flood"); (words.Total == 1) != want {
					t.Errorf("%s: %q finds %d stories, want the flood story: %v", when, "flooding", words.Total, want)
				}
			}
			check("after the prune")
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			ix = mustOpen(t, dir)
			defer ix.Close()
			check("reopened")
		})
	}
}

// TestPruneThenApply: a story pruned away comes back as a new one when an
// event for it arrives later (the stream's age limit keeps old ones away),
// and the other stories take events as before.
func TestPruneThenApply(t *testing.T) {
	evs := corpus()
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, evs[:4])
	if n, err := ix.Prune(t0.Add(150 * time.Minute)); err != nil || n != 2 { // st-lyon (1h), st-flood (2h)
		t.Fatalf("Prune = %d, %v; want 2", n, err)
	}
	applyAll(t, ix, evs[4:]) // the merge of st-lyon into st-verona
	v, ok, err := ix.Story("st-verona")
	if err != nil || !ok || v.Story.ID != "st-verona" {
		t.Fatalf("st-verona after the merge event: %+v, %v, %v", v.Story.ID, ok, err)
	}
	if _, ok, _ := ix.Story("st-flood"); ok {
		t.Error("st-flood found after its prune")
	}
}
