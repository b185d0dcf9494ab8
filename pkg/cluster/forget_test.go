package cluster

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// folded keeps a consumer's copies of the stories, folded from the events
// as a consumer of the stream would.
type folded map[string]*story.Story

func (f folded) apply(t *testing.T, evs []story.Event) {
	t.Helper()
	for _, ev := range evs {
		var absorbed []*story.Story
		for _, id := range ev.Absorbed {
			absorbed = append(absorbed, f[id])
		}
		s, _, err := story.Fold(f[ev.Story.ID], ev, absorbed...)
		if err != nil {
			t.Fatalf("fold %s of %s: %v", ev.Type, ev.Story.ID, err)
		}
		f[ev.Story.ID] = &s
		for _, id := range ev.Absorbed {
			delete(f, id)
		}
	}
}

// TestOpenStoryLetsMembersGo feeds two stories that never go quiet for
// four days through an engine with a 6-hour window and retention: the
// engine holds what their last half-day brought (and their latest members),
// while the stories, as consumers fold them, keep every article.
func TestOpenStoryLetsMembersGo(t *testing.T) {
	fx := newExtractor(t)
	cfg := DefaultConfig()
	cfg.Window, cfg.Retain = 6*time.Hour, 6*time.Hour
	e := New(cfg, fx)
	t0 := time.Date(2025, 12, 1, 6, 0, 0, 0, time.UTC)
	as := streamOf(newSynth(2), "open", 600, 2, t0, 10*time.Minute, "en", "fr")
	// The first articles of one story are in German only: after a split,
	// its languages must still say so.
	for i := range 20 {
		if (i*7)%2 == 0 && i%7 != 6 {
			as[i].Lang = "de"
		}
	}
	copies := folded{}
	for _, a := range as {
		evs, err := e.Add(a)
		if err != nil {
			t.Fatal(err)
		}
		copies.apply(t, evs)
	}
	st := e.Stats()
	t.Logf("%+v, %d stories folded", st, len(copies))
	// The two events' stories, and a few of one article each.
	var open []string
	inActive := 0
	for id, x := range e.active {
		if x.s.MembersOmitted > 0 {
			open = append(open, id)
		}
		inActive += len(copies[id].Members)
	}
	if len(open) != 2 {
		t.Fatalf("%d stories let members go, want the two events'", len(open))
	}
	if st.Articles+st.Forgotten != inActive {
		t.Errorf("the engine holds %d and let go %d articles of its active stories, which have %d", st.Articles, st.Forgotten, inActive)
	}
	// Held: what joined within the window and retention, and since the
	// last sweep (an eighth of a window), and each story's latest members
	// and headline holder.
	last := *as[len(as)-1].Published
	recent := 0
	for _, a := range as {
		if a.Published.After(last.Add(-(cfg.Window + cfg.Retain + cfg.Window/8))) {
			recent++
		}
	}
	if bound := recent + st.ActiveStories*(cfg.MemberLinks+1); st.Articles > bound {
		t.Errorf("the engine holds %d articles, want at most %d", st.Articles, bound)
	}
	if st.Known >= len(as) || st.Known < st.Articles {
		t.Errorf("%d article ids known of %d, %d held: ids let go must expire, held ones not", st.Known, len(as), st.Articles)
	}
	checkIndex(t, e)

	for _, id := range open {
		c := copies[id]
		s, ok := e.Story(id)
		if !ok {
			t.Fatalf("story %s not held", id)
		}
		if c.MembersOmitted != 0 || s.Size() != len(c.Members) || s.MembersOmitted == 0 {
			t.Errorf("story %s: the engine holds %d and let go %d members, its events counted %d (copy lacks %d)",
				id, len(s.Members), s.MembersOmitted, len(c.Members), c.MembersOmitted)
		}
		if !s.FirstSeen.Equal(c.FirstSeen) || !slices.Equal(s.Languages, c.Languages) || !slices.Equal(s.Sources, c.Sources) {
			t.Errorf("story %s: header %v %v %v, the copy's %v %v %v", id, s.FirstSeen, s.Languages, s.Sources, c.FirstSeen, c.Languages, c.Sources)
		}
		for _, m := range s.Members {
			if !slices.ContainsFunc(c.Members, func(x story.Member) bool { return x.ArticleID == m.ArticleID }) {
				t.Errorf("story %s: member %s held by the engine was never announced", id, m.ArticleID)
			}
		}
	}

	t.Run("an article let go is known a retention more", func(t *testing.T) {
		e := restored(t, e)
		recent := e.forgotten[len(e.forgotten)-1].id
		before := e.Stats()
		evs, err := e.Add(byID(as, recent))
		if err != nil || len(evs) != 1 || !evs[0].Repeat || e.Stats() != before {
			t.Errorf("%s again: %+v, %v; stats %+v, were %+v", recent, evs, err, e.Stats(), before)
		}
		// The first article was let go days ago: delivered again, it is new.
		evs, err = e.Add(as[0])
		if err != nil || len(evs) == 0 || evs[0].Repeat {
			t.Errorf("%s again, days later: %+v, %v", as[0].ID, evs, err)
		}
	})

	t.Run("a split takes held articles only", func(t *testing.T) {
		e := restored(t, e)
		old := e.forgotten[len(e.forgotten)-1].id
		sid, _ := e.StoryOf(old)
		_, err := e.Correct(story.Correction{V: 1, ID: "split-old", Op: story.OpSplit, Articles: []string{old}, By: "desk", At: last})
		if !errors.Is(err, ErrSplit) || !strings.Contains(err.Error(), "more than 12h0m0s ago") {
			t.Errorf("split of %s, let go: %v", old, err)
		}
		s, _ := e.Story(sid)
		latest := s.Members[len(s.Members)-1].ArticleID
		evs, err := e.Correct(story.Correction{V: 1, ID: "split-new", Op: story.OpSplit, Articles: []string{latest}, By: "desk", At: last})
		if err != nil {
			t.Fatalf("split of %s, the latest: %v", latest, err)
		}
		left, _ := e.Story(sid)
		if !left.FirstSeen.Equal(s.FirstSeen) || !slices.Equal(left.Languages, s.Languages) || left.Size() != s.Size()-1 ||
			left.MembersOmitted != s.MembersOmitted {
			t.Errorf("after the split: first seen %v, languages %v, %d members (%d let go); before %v, %v, %d (%d)",
				left.FirstSeen, left.Languages, left.Size(), left.MembersOmitted, s.FirstSeen, s.Languages, s.Size(), s.MembersOmitted)
		}
		if sp := evs[len(evs)-1]; sp.Story.MemberCount != left.Size() {
			t.Errorf("split event counts %d members, the story has %d", sp.Story.MemberCount, left.Size())
		}
		checkIndex(t, e)
	})

	t.Run("a merge adds what both let go", func(t *testing.T) {
		e := restored(t, e)
		ids := slices.Sorted(slices.Values(open))
		total := 0
		for _, id := range ids {
			s, _ := e.Story(id)
			total += s.Size()
		}
		evs, err := e.Correct(story.Correction{V: 1, ID: "merge", Op: story.OpMerge, Stories: ids, By: "desk", At: last})
		if err != nil || len(evs) != 1 {
			t.Fatalf("merge: %+v, %v", evs, err)
		}
		s, _ := e.Story(evs[0].Story.ID)
		if s.Size() != total || evs[0].Story.MemberCount != total || len(s.Languages) != 3 {
			t.Errorf("merged story: %d members, event counts %d, languages %v; want %d in de, en, fr", s.Size(), evs[0].Story.MemberCount, s.Languages, total)
		}
		checkIndex(t, e)
	})
}

// restored is a copy of e through a snapshot, for a subtest to change.
func restored(t *testing.T, e *Engine) *Engine {
	t.Helper()
	r := New(e.cfg, e.fx)
	if err := r.ReadSnapshot(bytes.NewReader(snapshotOf(t, e))); err != nil {
		t.Fatal(err)
	}
	return r
}

func byID(as []article.Article, id string) article.Article {
	i := slices.IndexFunc(as, func(a article.Article) bool { return a.ID == id })
	return as[i]
}

// TestNamesPruned checks that a story keeps the written forms of the names
// its centroid holds, not of every name its articles ever brought.
func TestNamesPruned(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxCentroid = 40
	e := New(cfg, newExtractor(t))
	t0 := time.Date(2025, 12, 1, 6, 0, 0, 0, time.UTC)
	for i := range 60 {
		at := t0.Add(time.Duration(i) * time.Hour)
		// The same event, each report quoting people of its own.
		text := fmt.Sprintf("The Harbour Council of Velmont closed the Velmont bridge after the storm. "+
			"Engineer Dora Quistel%c%c said the Velmont bridge would reopen. Mayor Ilse Brandvik spoke.",
			'a'+rune(i%26), 'a'+rune(i/26))
		evs, err := e.Add(article.Article{ID: fmt.Sprintf("n%d", i), Lang: "en", Title: "Velmont bridge closed after the storm",
			Text: text, Published: &at})
		if err != nil || len(evs) == 0 {
			t.Fatal(err)
		}
	}
	if n := len(e.active); n != 1 {
		t.Fatalf("%d stories, want one", n)
	}
	for _, st := range e.active {
		if len(st.names) > 2*cfg.MaxCentroid {
			t.Errorf("%d names kept for a centroid of %d features", len(st.names), len(st.cent))
		}
		if !slices.ContainsFunc(st.s.Entities, func(x story.Entity) bool { return x.Name == "Velmont" }) {
			t.Errorf("entities %v lack Velmont, as written", st.s.Entities)
		}
		t.Logf("%d names, centroid of %d, entities %v", len(st.names), len(st.cent), st.s.Entities)
	}
}
