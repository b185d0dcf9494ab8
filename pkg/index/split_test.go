package index

import (
	"slices"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// TestApplySplit: an editor's split, as the clusterer announces it (the new
// story's created event, without articles, then the split event), leaves
// each article in its story for reads by id, lookups and search, and
// replaying the events changes nothing.
func TestApplySplit(t *testing.T) {
	t0 := time.Date(2025, 12, 14, 10, 0, 0, 0, time.UTC)
	arts := []article.Article{
		art("a1", "en", "one.example", "Harbour crane collapses in Port Avel", "A crane collapsed onto the quay in Port Avel overnight, nobody was hurt."),
		art("a2", "en", "two.example", "Port Avel crane falls on quay", "The harbour crane fell on the quay of Port Avel, the port authority said."),
		art("a3", "en", "three.example", "Skerra lighthouse keeper retires", "The last keeper of the Skerra lighthouse retires after forty winters of gales."),
	}
	member := func(a article.Article, h int) story.Member {
		return story.Member{ArticleID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Lang: a.Lang, Added: t0.Add(time.Duration(h) * time.Hour)}
	}
	header := func(id string, version, count int, ms ...story.Member) story.Story {
		s := story.Story{ID: id, Headline: arts[0].Title, Languages: []string{"en"}, FirstSeen: t0, LastSeen: t0.Add(2 * time.Hour),
			Version: version, MemberCount: count, Members: ms, Sources: []string{"one.example", "two.example"}}
		if id == "s-light" {
			s.Headline, s.Sources = arts[2].Title, []string{"three.example"}
		}
		return s
	}
	edit := &story.Edit{ID: "c-9", By: "desk", Note: "the lighthouse is another story"}
	evs := []story.Event{
		{V: 2, Type: story.Created, Story: header("s-port", 1, 1, member(arts[0], 0)), Articles: arts[:1], At: t0},
		{V: 2, Type: story.Updated, Story: header("s-port", 2, 2, member(arts[1], 1)), Articles: arts[1:2], At: t0.Add(time.Hour)},
		{V: 2, Type: story.Updated, Story: header("s-port", 3, 3, member(arts[2], 2)), Articles: arts[2:], At: t0.Add(2 * time.Hour)},
		{V: 2, Type: story.Created, Story: header("s-light", 1, 1, member(arts[2], 2)), From: "s-port", Edit: edit, At: t0.Add(3 * time.Hour)},
		{V: 3, Type: story.Split, Story: header("s-port", 4, 2), Removed: []string{"a3"}, Into: "s-light", Edit: edit, At: t0.Add(3 * time.Hour)},
	}
	ix := mustOpen(t, "")
	defer ix.Close()
	check := func(t *testing.T) {
		t.Helper()
		port, ok, err := ix.Story("s-port")
		if err != nil || !ok || len(port.Members) != 2 || len(port.Articles) != 2 || port.Version != 4 ||
			len(port.Edits) != 1 || port.Edits[0].Type != story.Split || !slices.Equal(port.Edits[0].Articles, []string{"a3"}) || port.Edits[0].Into != "s-light" {
			t.Fatalf("s-port: %v %v, %d members, %d articles, v%d, edits %+v", ok, err, len(port.Members), len(port.Articles), port.Version, port.Edits)
		}
		light, ok, err := ix.Story("s-light")
		if err != nil || !ok || len(light.Members) != 1 || len(light.Articles) != 1 || light.Articles[0].Text != arts[2].Text ||
			len(light.Edits) != 1 || light.Edits[0].From != "s-port" || light.Edits[0].By != "desk" {
			t.Fatalf("s-light: %v %v, %d members, articles %+v, edits %+v", ok, err, len(light.Members), light.Articles, light.Edits)
		}
		for id, want := range map[string]string{"a1": "s-port", "a3": "s-light"} {
			if v, ok, err := ix.Article(id); err != nil || !ok || v.Story.ID != want {
				t.Errorf("article %s is in %q (%v, %v), want %s", id, v.Story.ID, ok, err, want)
			}
			a := arts[0]
			if id == "a3" {
				a = arts[2]
			}
			if v, ok, err := ix.ArticleByURL(a.URL); err != nil || !ok || v.Story.ID != want {
				t.Errorf("the address of %s leads to %q (%v, %v), want %s", id, v.Story.ID, ok, err, want)
			}
		}
		r, err := ix.Search(SearchQuery{Q: "lighthouse"})
		if err != nil || len(r.Hits) != 1 || r.Hits[0].Story.ID != "s-light" {
			t.Errorf("search for the moved article's words: %+v, %v; want s-light alone", r.Hits, err)
		}
		r, err = ix.Search(SearchQuery{Q: "crane"})
		if err != nil || len(r.Hits) != 1 || r.Hits[0].Story.ID != "s-port" {
			t.Errorf("search for the story's words: %+v, %v; want s-port alone", r.Hits, err)
		}
	}
	applyAll(t, ix, evs)
	check(t)
	// Replayed, in one batch: nothing changes.
	if err := ix.ApplyBatch(evs, 0); err != nil {
		t.Fatal(err)
	}
	check(t)
	// And into an empty index, in one batch.
	fresh := mustOpen(t, "")
	defer fresh.Close()
	if err := fresh.ApplyBatch(evs, 0); err != nil {
		t.Fatal(err)
	}
	ix, fresh = fresh, ix
	check(t)
}
