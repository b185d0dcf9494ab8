package corrections

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// TestOutcome: what an outcome says of its events. Sending and waiting go
// through a real nats-server and clustering stage in services/newsdedup
// (TestStoriesCommand, the browser test).
func TestOutcome(t *testing.T) {
	members := func(ids ...string) []story.Member {
		var ms []story.Member
		for _, id := range ids {
			ms = append(ms, story.Member{ArticleID: id})
		}
		return ms
	}
	merge := story.Correction{ID: "c-1", Op: story.OpMerge, Stories: []string{"s-b", "s-a", "s-old"}}
	split := story.Correction{ID: "c-2", Op: story.OpSplit, Articles: []string{"x", "y"}}
	for _, tc := range []struct {
		name       string
		out        Outcome
		answered   bool
		unreported []string
		result     Result
		summary    string
	}{
		{"merge, no answer", Outcome{Correction: merge}, false, []string{"s-b", "s-a", "s-old"}, Result{Unreported: []string{"s-b", "s-a", "s-old"}}, "no change reported"},
		{"refused", Outcome{Correction: merge, Refused: "unknown story: s-b"}, true, []string{"s-b", "s-a", "s-old"}, Result{Unreported: []string{"s-b", "s-a", "s-old"}}, "no change reported"},
		{"merge, one of two events", Outcome{Correction: merge, Events: []story.Event{
			{Type: story.Merged, Story: story.Story{ID: "s-a", Version: 4, Members: members("1", "2")}, Absorbed: []string{"s-b"}},
		}}, true, []string{"s-old"}, Result{Story: "s-a", Size: 2, Absorbed: []string{"s-b"}, Unreported: []string{"s-old"}},
			"merged s-b into s-a: 2 articles, version 4; the merged ids now lead to s-a (correction c-1)\nnot reported yet: s-old"},
		{"merge, an id merged earlier", Outcome{Correction: merge, Events: []story.Event{
			{Type: story.Merged, Story: story.Story{ID: "s-a", Version: 5, Members: members("1", "2", "3"), Aliases: []string{"s-old"}}, Absorbed: []string{"s-b"}},
		}}, true, nil, Result{Story: "s-a", Size: 3, Absorbed: []string{"s-b"}},
			"merged s-b into s-a: 3 articles, version 5; the merged ids now lead to s-a (correction c-1)"},
		{"split", Outcome{Correction: split, Events: []story.Event{
			{Type: story.Split, Story: story.Story{ID: "s-a", Members: members("1")}, Removed: []string{"x", "y"}, Into: "s-new"},
			{Type: story.Created, Story: story.Story{ID: "s-new", Members: members("x", "y")}},
		}}, true, nil, Result{Story: "s-a", Size: 1, Removed: []string{"x", "y"}, Into: "s-new"},
			"moved x, y out of s-a (1 articles left) into the new story s-new (correction c-2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.out.Answered(); got != tc.answered {
				t.Errorf("Answered() = %v", got)
			}
			if got := tc.out.Unreported(); !slices.Equal(got, tc.unreported) {
				t.Errorf("Unreported() = %v, want %v", got, tc.unreported)
			}
			r := tc.out.Result()
			w := tc.result
			if r.Story != w.Story || r.Size != w.Size || r.Into != w.Into || !slices.Equal(r.Absorbed, w.Absorbed) ||
				!slices.Equal(r.Removed, w.Removed) || !slices.Equal(r.Unreported, w.Unreported) {
				t.Errorf("Result() = %+v, want %+v", r, w)
			}
			if got := tc.out.Summary(); got != tc.summary {
				t.Errorf("Summary() = %q\nwant %q", got, tc.summary)
			}
		})
	}
	if a, b := NewID(), NewID(); a == b || !strings.HasPrefix(a, "c-") || len(a) != 18 {
		t.Errorf("NewID() gave %q and %q", a, b)
	}
}
