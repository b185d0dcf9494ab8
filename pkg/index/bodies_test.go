package index

import (
	"fmt"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

func TestLRU(t *testing.T) {
	const one = 1000 // bytes of each entry below
	size := func(_ string, n int) int { return n }
	tests := []struct {
		name    string
		limit   int
		ops     func(c *lru[int])
		in, out []string
	}{
		{"kept", 3 * one, func(c *lru[int]) { c.put("a", one); c.put("b", one) }, []string{"a", "b"}, []string{"c"}},
		{"least recently used out first", 2 * one, func(c *lru[int]) {
			c.put("a", one)
			c.put("b", one)
			c.get("a")
			c.put("c", one)
		}, []string{"a", "c"}, []string{"b"}},
		{"replaced, not counted twice", 2 * one, func(c *lru[int]) {
			c.put("a", one)
			c.put("a", one)
			c.put("b", one)
		}, []string{"a", "b"}, nil},
		{"larger than the whole cache", one, func(c *lru[int]) { c.put("a", 2*one) }, nil, []string{"a"}},
		{"a large one pushes out several", 3 * one, func(c *lru[int]) {
			c.put("a", one)
			c.put("b", one)
			c.put("c", one)
			c.put("d", 2*one)
		}, []string{"c", "d"}, []string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newLRU(tc.limit, size)
			tc.ops(c)
			for _, k := range tc.in {
				if _, ok := c.get(k); !ok {
					t.Errorf("%s evicted", k)
				}
			}
			for _, k := range tc.out {
				if _, ok := c.get(k); ok {
					t.Errorf("%s kept", k)
				}
			}
			if c.size > tc.limit || c.order.Len() != len(c.byKey) {
				t.Errorf("size %d (limit %d), %d in order, %d in map", c.size, tc.limit, c.order.Len(), len(c.byKey))
			}
		})
	}
}

func TestCopied(t *testing.T) {
	tests := []struct {
		name  string
		dupOf map[string]string
		id    string
		want  bool
	}{
		{"original", map[string]string{"a": "", "b": "a"}, "a", false},
		{"copy of a member", map[string]string{"a": "", "b": "a"}, "b", true},
		{"copy of a copy", map[string]string{"a": "", "b": "a", "c": "b"}, "c", true},
		{"copy of an article outside the story", map[string]string{"b": "x"}, "b", false},
		{"copy of itself", map[string]string{"a": "a"}, "a", false},
		{"loop", map[string]string{"a": "b", "b": "a"}, "a", false},
		{"into a loop", map[string]string{"a": "b", "b": "c", "c": "b"}, "a", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := copied(tc.id, tc.dupOf); got != tc.want {
				t.Errorf("copied(%q) = %v, want %v", tc.id, got, tc.want)
			}
		})
	}
}

// TestDuplicateBodyNotIndexed: a near-duplicate member adds its title to the
// story's text but not its body, which only repeats its original's words.
func TestDuplicateBodyNotIndexed(t *testing.T) {
	for _, dir := range []string{"", t.TempDir()} {
		ix := mustOpen(t, dir)
		s := newSim()
		body := "Il consiglio comunale ha approvato il bilancio della città dopo una lunga seduta."
		evs := []story.Event{
			s.add("s1", t0, art("a1", "it", "x.it", "Approvato il bilancio comunale", body)),
			s.add("s1", t0.Add(time.Minute), art("a2", "it", "y.it", "Bilancio, il sindaco Zampolli soddisfatto", body+" Ripreso da quadrifoglio.")),
		}
		s.stories["s1"].Members[1].DuplicateOf = "a1"
		evs[1].Story.Members[1].DuplicateOf = "a1"
		applyAll(t, ix, evs)
		for _, tc := range []struct {
			q    string
			want uint64
		}{{"seduta", 1}, {"Zampolli", 1}, {"quadrifoglio", 0}} {
			res, err := ix.Search(SearchQuery{Q: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != tc.want {
				t.Errorf("dir %q, search %q: %d stories, want %d", dir, tc.q, res.Total, tc.want)
			}
		}
		v, _, err := ix.Story("s1")
		if err != nil || len(v.Articles) != 2 || v.Articles[1].Text == "" {
			t.Errorf("the copy's article is not kept whole: %v, %s", err, fmt.Sprint(len(v.Articles)))
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
