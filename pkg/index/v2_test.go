package index

import (
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// toV2 turns a stream of version 1 events (whole stories) into the version
// 2 events the clusterer now writes: each story's header with only the
// members that joined, or moved in with a merge, and its member count.
func toV2(evs []story.Event) []story.Event {
	held := map[string]map[string]bool{} // story → its members' article ids
	out := make([]story.Event, 0, len(evs))
	for _, ev := range evs {
		had := held[ev.Story.ID]
		now := make(map[string]bool, len(ev.Story.Members))
		c := ev
		c.V = 2
		c.Story = clone(&ev.Story)
		c.Story.Members = nil
		c.Story.MemberCount = ev.Story.Size()
		for _, m := range ev.Story.Members {
			now[m.ArticleID] = true
			if !had[m.ArticleID] {
				c.Story.Members = append(c.Story.Members, m)
			}
		}
		held[ev.Story.ID] = now
		for _, id := range ev.Absorbed {
			delete(held, id)
		}
		out = append(out, c)
	}
	return out
}

// TestApplyV2 folds version 2 streams: they read as the version 1 stream
// they were made from, whether alone, after version 1 events (a stream
// written before and after an upgrade), in batches, or replayed over an
// index that holds them.
func TestApplyV2(t *testing.T) {
	streams := map[string][]story.Event{"corpus": corpus(), "aliases": aliasCorpus(), "stream": streamEvents(150)}
	for name, v1 := range streams {
		want := func() string {
			ix := mustOpen(t, "")
			defer ix.Close()
			applyAll(t, ix, v1)
			return state(t, ix)
		}()
		v2 := toV2(v1)
		half := len(v1) / 2
		mixed := append(append([]story.Event{}, v1[:half]...), v2[half:]...)
		tests := []struct {
			name  string
			evs   []story.Event
			batch int
		}{
			{"v2 one by one", v2, 1},
			{"v2 in one batch", v2, len(v2)},
			{"v2 in batches of 3", v2, 3},
			{"v1 then v2", mixed, 1},
			{"v1 then v2 in batches of 5", mixed, 5},
			{"v2 replayed over itself", append(append([]story.Event{}, v2...), v2...), 4},
			{"v1 replayed over v2", append(append([]story.Event{}, v2...), v1...), 7},
		}
		for _, tc := range tests {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				ix := mustOpen(t, "")
				defer ix.Close()
				applyInBatches(t, ix, tc.evs, tc.batch)
				if got := state(t, ix); got != want {
					t.Errorf("got:\n%s\nwant:\n%s", got, want)
				}
			})
		}
	}
}

// TestApplyV2Replay: replaying a version 2 stream over the index that holds
// it announces no change, and a stale event bringing a member the index
// lacks (its first event landed late) adds it without touching the header.
func TestApplyV2Replay(t *testing.T) {
	v2 := toV2(corpus())
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, v2)
	want := state(t, ix)
	w := ix.Watch(64)
	defer w.Stop()
	applyAll(t, ix, v2)
	if got := state(t, ix); got != want {
		t.Errorf("replay changed the index:\n%s\nwant:\n%s", got, want)
	}
	select {
	case c := <-w.C:
		t.Errorf("replay announced a change: %+v", c)
	default:
	}

	// st-flood v1 holds en-1; an event of v1 (stale) with a member en-0
	// that the index never received.
	late := v2[2]
	late.Story.Headline = "stale headline"
	late.Story.Members = []story.Member{{ArticleID: "en-0", Title: "Flood warning", Lang: "en", Source: "bbc.example", Added: t0}}
	late.Articles = []article.Article{art("en-0", "en", "bbc.example", "Flood warning", "The river is rising.")}
	if err := ix.Apply(late); err != nil {
		t.Fatal(err)
	}
	v, _, err := ix.Story("st-flood")
	if err != nil {
		t.Fatal(err)
	}
	if v.Headline == "stale headline" || len(v.Members) != 2 || v.Members[1].ArticleID != "en-0" || len(v.Articles) != 2 {
		t.Errorf("late member: headline %q, members %+v", v.Headline, v.Members)
	}
}

// TestApplyV2MergeOmitted: a merge too large for one message leaves members
// out (story.Fit); the index takes them from the absorbed story it holds.
func TestApplyV2MergeOmitted(t *testing.T) {
	v2 := toV2(corpus())
	merge := v2[len(v2)-1] // st-lyon (fr-1) into st-verona
	if merge.Type != story.Merged || len(merge.Story.Members) != 1 {
		t.Fatalf("corpus ends with %s of %d members", merge.Type, len(merge.Story.Members))
	}
	merge.Story.Members, merge.Story.MembersOmitted = nil, 1
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, append(v2[:len(v2)-1:len(v2)-1], merge))
	v, _, err := ix.Story("st-lyon")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range v.Members {
		ids = append(ids, m.ArticleID)
	}
	if v.ID != "st-verona" || len(ids) != 3 || v.MembersOmitted != 0 || v.Size() != 3 {
		t.Errorf("merged story %s members %v omitted %d", v.ID, ids, v.MembersOmitted)
	}
}

// TestApplyV2NotHeld: an index that starts mid-stream keeps what it learns
// of a story, and says how many members it lacks.
func TestApplyV2NotHeld(t *testing.T) {
	v2 := toV2(corpus())
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, v2[3:4]) // st-verona v2: it-2 joins it-1
	v, ok, err := ix.Story("st-verona")
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if len(v.Members) != 1 || v.Size() != 2 || v.MembersOmitted != 1 {
		t.Errorf("partial story: %d members, size %d, omitted %d", len(v.Members), v.Size(), v.MembersOmitted)
	}
}
