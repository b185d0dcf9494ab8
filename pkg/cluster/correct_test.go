package cluster

import (
	"errors"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

func TestCorrectMerge(t *testing.T) {
	fx := newExtractor(t)
	// Four unrelated stories, founded an hour apart; then the first of
	// them ages out of a 24-hour window when a later article comes.
	setup := func(t *testing.T) (*Engine, []string) {
		cfg := DefaultConfig()
		cfg.Window = 24 * time.Hour
		e := New(cfg, fx)
		var ids []string
		for i, a := range unrelated[:4] {
			a.Published = at(i)
			if i == 3 {
				a.Published = at(30) // the others leave the window but the last
			}
			evs, err := e.Add(a)
			if err != nil || len(evs) != 1 || evs[0].Type != story.Created {
				t.Fatalf("add %s: %v, %v", a.ID, evs, err)
			}
			ids = append(ids, evs[0].Story.ID)
		}
		return e, ids
	}
	when := time.Date(2025, 12, 12, 9, 0, 0, 0, time.UTC)
	merge := func(ids ...string) story.Correction {
		return story.Correction{V: 1, ID: "edit-1", Op: story.OpMerge, Stories: ids, By: "desk", Note: "same fire", At: when}
	}

	t.Run("merges into the oldest", func(t *testing.T) {
		cfg := DefaultConfig()
		e := New(cfg, fx)
		var ids []string
		for i, a := range unrelated[:3] {
			a.Published = at(i)
			evs, err := e.Add(a)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, evs[0].Story.ID)
		}
		// Named newest first: the story first seen survives all the same.
		evs, err := e.Correct(merge(ids[2], ids[0], ids[1]))
		if err != nil {
			t.Fatalf("Correct: %v", err)
		}
		if len(evs) != 2 {
			t.Fatalf("%d events, want one merged event per absorbed story: %+v", len(evs), evs)
		}
		for i, ev := range evs {
			if ev.Type != story.Merged || ev.Story.ID != ids[0] || len(ev.Absorbed) != 1 || ev.Absorbed[0] != ids[i+1] {
				t.Errorf("event %d: %s of %s absorbing %v; want merged of %s absorbing %s", i, ev.Type, ev.Story.ID, ev.Absorbed, ids[0], ids[i+1])
			}
			if ev.Edit == nil || ev.Edit.ID != "edit-1" || ev.Edit.By != "desk" || ev.Edit.Note != "same fire" || !ev.At.Equal(when) {
				t.Errorf("event %d names edit %+v at %v", i, ev.Edit, ev.At)
			}
			if len(ev.Story.Members) != 1 || ev.Story.Members[0].ArticleID != unrelated[i+1].ID {
				t.Errorf("event %d carries members %+v, want the absorbed story's one", i, ev.Story.Members)
			}
		}
		if got := evs[1].Story.MemberCount; got != 3 {
			t.Errorf("member count after the merges = %d, want 3", got)
		}
		for _, a := range unrelated[:3] {
			if sid, _ := e.StoryOf(a.ID); sid != ids[0] {
				t.Errorf("%s is in %s, want %s", a.ID, sid, ids[0])
			}
		}
		if s, ok := e.Story(ids[2]); !ok || s.ID != ids[0] {
			t.Errorf("the absorbed id resolves to %q, %v", s.ID, ok)
		}
		if n := e.Stats().ActiveStories; n != 1 {
			t.Errorf("%d active stories, want 1", n)
		}
		// The same correction again (a redelivery) changes nothing.
		before := e.Stats()
		if _, err := e.Correct(merge(ids[0], ids[2])); !errors.Is(err, ErrAlreadyOne) {
			t.Errorf("merging again: %v, want ErrAlreadyOne", err)
		}
		if after := e.Stats(); after != before {
			t.Errorf("a refused correction changed the engine: %+v → %+v", before, after)
		}
	})

	for _, tc := range []struct {
		name  string
		ids   func(ids []string) []string
		want  error
		whole bool // every story still stands apart afterwards
	}{
		{"unknown story", func(ids []string) []string { return []string{ids[3], "s-nosuch"} }, ErrUnknownStory, true},
		{"unknown story named last, after a good pair", func(ids []string) []string { return []string{ids[3], ids[3], "s-nosuch"} }, ErrUnknownStory, true},
		{"story out of the window", func(ids []string) []string { return []string{ids[3], ids[0]} }, ErrInactive, true},
		{"one story twice", func(ids []string) []string { return []string{ids[3], ids[3]} }, ErrAlreadyOne, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, ids := setup(t)
			before := e.Stats()
			evs, err := e.Correct(merge(tc.ids(ids)...))
			if !errors.Is(err, tc.want) || len(evs) != 0 {
				t.Fatalf("Correct = %v, %v; want %v and no event", evs, err, tc.want)
			}
			if after := e.Stats(); after != before {
				t.Errorf("a refused correction changed the engine: %+v → %+v", before, after)
			}
		})
	}

	t.Run("unknown operation", func(t *testing.T) {
		e, ids := setup(t)
		c := merge(ids[3], ids[2])
		c.Op = "split"
		if _, err := e.Correct(c); !errors.Is(err, story.ErrInvalidCorrection) {
			t.Errorf("Correct = %v, want ErrInvalidCorrection", err)
		}
	})
}
