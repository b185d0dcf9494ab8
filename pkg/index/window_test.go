package index

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// TestStoryWindow: a story's articles come a window of members at a time,
// the newest by default, each window in member order.
func TestStoryWindow(t *testing.T) {
	ix, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	s := newSim()
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	var evs []story.Event
	for i := range 5 {
		evs = append(evs, s.add("war", t0.Add(time.Duration(i)*time.Hour),
			art(fmt.Sprintf("w%d", i), "en", "paper.example", fmt.Sprintf("Day %d of the siege", i), "The siege went on.")))
	}
	if err := ix.ApplyBatch(evs, 0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		before, n int
		from      int
		ids       []string
	}{
		{-1, -1, 0, []string{"w0", "w1", "w2", "w3", "w4"}},
		{-1, 2, 3, []string{"w3", "w4"}},
		{3, 2, 1, []string{"w1", "w2"}},
		{1, 2, 0, []string{"w0"}},
		{0, 2, 0, nil},
		{-1, 0, 5, nil},
		{9, 10, 0, []string{"w0", "w1", "w2", "w3", "w4"}},
	} {
		v, ok, err := ix.StoryWindow("war", tc.before, tc.n)
		if err != nil || !ok {
			t.Fatalf("StoryWindow(%d, %d): %v, %v", tc.before, tc.n, ok, err)
		}
		var ids []string
		for _, a := range v.Articles {
			ids = append(ids, a.ID)
		}
		if v.ArticlesFrom != tc.from || !slices.Equal(ids, tc.ids) || len(v.Members) != 5 || (len(ids) > 0 && v.Articles[0].Text == "") {
			t.Errorf("StoryWindow(%d, %d) = from %d, %v of %d members; want from %d, %v", tc.before, tc.n, v.ArticlesFrom, ids, len(v.Members), tc.from, tc.ids)
		}
	}
}
