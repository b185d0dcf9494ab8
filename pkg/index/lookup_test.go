package index

import (
	"testing"
	"time"
)

// TestArticleLookup: an article, by id or by the address it was published
// at, gives the story it belongs to now: after a merge, the surviving one;
// with a refresh interval, the newest version even while its document
// waits.
func TestArticleLookup(t *testing.T) {
	evs := corpus() // it-1, fr-1 (st-lyon, later merged into st-verona), en-1, it-2
	tests := []struct {
		name      string
		applied   int
		byURL     bool
		key       string
		wantStory string // "" = not found
		wantCount int    // members of the story returned
	}{
		{"by id", 1, false, "it-1", "st-verona", 1},
		{"by id, before it joined", 3, false, "it-2", "", 0},
		{"by id, its story updated", 4, false, "it-1", "st-verona", 2},
		{"by id, its story merged away", 5, false, "fr-1", "st-verona", 3},
		{"by id, unknown", 5, false, "xx-9", "", 0},
		{"by id, empty", 5, false, "", "", 0},
		{"by url", 5, true, "https://bbc.example/en-1", "st-flood", 1},
		{"by url, as shared", 5, true, "HTTPS://BBC.example:443/en-1/?utm_source=x&fbclid=y#top", "st-flood", 1},
		{"by url, merged away", 5, true, "https://lemonde.example/fr-1", "st-verona", 3},
		{"by url, another page", 5, true, "https://bbc.example/en-2", "", 0},
		{"by url, a prefix of one", 5, true, "https://bbc.example/en", "", 0},
		{"by url, empty", 5, true, "", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := mustOpen(t, "")
			defer ix.Close()
			applyAll(t, ix, evs[:tc.applied])
			look := ix.Article
			if tc.byURL {
				look = ix.ArticleByURL
			}
			v, ok, err := look(tc.key)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				if tc.wantStory != "" {
					t.Fatalf("%q not found, want story %s", tc.key, tc.wantStory)
				}
				return
			}
			if tc.wantStory == "" {
				t.Fatalf("%q found in story %s, want nothing", tc.key, v.Story.ID)
			}
			if v.Story.ID != tc.wantStory || len(v.Story.Members) != tc.wantCount {
				t.Errorf("%q: story %s with %d members, want %s with %d", tc.key, v.Story.ID, len(v.Story.Members), tc.wantStory, tc.wantCount)
			}
			if v.Article.Text == "" || v.Article.Title == "" {
				t.Errorf("%q: article without its title or text: %+v", tc.key, v.Article)
			}
			held := false
			for _, m := range v.Story.Members {
				held = held || m.ArticleID == v.Article.ID
			}
			if !held {
				t.Errorf("%q: story %s does not hold article %s", tc.key, v.Story.ID, v.Article.ID)
			}
		})
	}
}

// TestArticleLookupDeferred: an article that joined a story whose document
// the refresh interval holds back is found, with the story as it is now.
func TestArticleLookupDeferred(t *testing.T) {
	evs := corpus()
	ix, clock := withRefresh(t, "", time.Second)
	defer ix.Close()
	applyAll(t, ix, evs[:3])
	clock.t = clock.t.Add(100 * time.Millisecond)
	applyAll(t, ix, evs[3:4]) // it-2 joins st-verona, written 100 ms ago: deferred
	if _, ok := ix.deferredStory("st-verona"); !ok {
		t.Fatal("st-verona was written at once; the test needs it deferred")
	}
	for _, look := range []func() (ArticleView, bool, error){
		func() (ArticleView, bool, error) { return ix.Article("it-2") },
		func() (ArticleView, bool, error) { return ix.ArticleByURL("https://repubblica.example/it-2") },
	} {
		v, ok, err := look()
		if err != nil || !ok {
			t.Fatalf("it-2: found %v, err %v", ok, err)
		}
		if v.Story.ID != "st-verona" || len(v.Story.Members) != 2 {
			t.Errorf("it-2: story %s with %d members, want st-verona with 2", v.Story.ID, len(v.Story.Members))
		}
	}
}
