package cluster

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
)

func TestOutsNameTheJoiningArticles(t *testing.T) {
	tests := []struct {
		name       string
		ev         story.Event
		subject    string
		msgID      string
		ids        []string
		correction string // the header naming the correction
	}{
		{"created with its founder", story.Event{Type: story.Created, Story: story.Story{ID: "s1", Version: 1},
			Articles: []article.Article{{ID: "a1"}}}, "stories.created", "s1:1:created", []string{"a1"}, ""},
		{"merge bringing several", story.Event{Type: story.Merged, Story: story.Story{ID: "s1", Version: 4},
			Articles: []article.Article{{ID: "b1"}, {ID: "b,2"}}}, "stories.merged", "s1:4:merged", []string{"b1", "b,2"}, ""},
		{"update without articles", story.Event{Type: story.Updated, Story: story.Story{ID: "s2", Version: 7}},
			"stories.updated", "s2:7:updated", nil, ""},
		{"repeat named after its article", story.Event{Type: story.Updated, Repeat: true, Story: story.Story{ID: "s2", Version: 7},
			Articles: []article.Article{{ID: "a9"}}}, "stories.updated", "s2:7:repeat:a9", []string{"a9"}, ""},
		{"split by an editor", story.Event{Type: story.Split, Story: story.Story{ID: "s3", Version: 5}, Removed: []string{"a1"}, Into: "s4",
			Edit: &story.Edit{ID: "c-1"}}, "stories.split", "s3:5:split", nil, "c-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outs, err := Outs([]story.Event{tc.ev})
			if err != nil {
				t.Fatal(err)
			}
			o := outs[0]
			if o.Subject != tc.subject || o.MsgID != tc.msgID {
				t.Fatalf("subject %q id %q, want %q %q", o.Subject, o.MsgID, tc.subject, tc.msgID)
			}
			if got := o.Header.Values(bus.HeaderArticle); !slices.Equal(got, tc.ids) {
				t.Fatalf("article headers %q, want %q", got, tc.ids)
			}
			if got, want := o.Header.Get(bus.HeaderCorrection), tc.correction; got != want {
				t.Fatalf("correction header %q, want %q", got, want)
			}
			if _, err := story.Decode(o.Data); err != nil {
				t.Fatalf("payload: %v", err)
			}
		})
	}
}

// TestOutsFitTheMessageLimit: a story of 10 members absorbing one of
// 20,000, the one event that still carries many members, is cut to fit.
func TestOutsFitTheMessageLimit(t *testing.T) {
	ev := story.Event{Type: story.Merged, Absorbed: []string{"s-other"},
		Story: story.Story{ID: "s-huge", Version: 20000, MemberCount: 20010}}
	for i := range 20000 {
		m := story.Member{ArticleID: "article-" + strconv.Itoa(i), Title: strings.Repeat("t", 400), URL: "https://example.org/" + strconv.Itoa(i)}
		for k := range 8 {
			m.Evidence = append(m.Evidence, story.Evidence{Feature: "term:en:feature" + strconv.Itoa(k), Weight: 0.125})
		}
		ev.Story.Members = append(ev.Story.Members, m)
	}
	outs, err := Outs([]story.Event{ev})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(outs[0].Data); n > maxEventBytes {
		t.Fatalf("event of %d bytes, over the %d the bus takes", n, maxEventBytes)
	}
	got, err := story.Decode(outs[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Story.Size() != 20010 || got.Story.MembersOmitted == 0 {
		t.Fatalf("%d members listed, %d omitted, size %d: want 20010 in all, some omitted", len(got.Story.Members), got.Story.MembersOmitted, got.Story.Size())
	}
}
