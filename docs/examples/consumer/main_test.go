package main

import (
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

func TestFolderKeepsStoriesWhole(t *testing.T) {
	at := time.Date(2025, 12, 14, 10, 0, 0, 0, time.UTC)
	ev := func(typ, id string, version, count int, members ...string) story.Event {
		e := story.Event{V: story.SchemaVersion, Type: typ, At: at,
			Story: story.Story{ID: id, Headline: id, Version: version, MemberCount: count}}
		for _, m := range members {
			e.Story.Members = append(e.Story.Members, story.Member{ArticleID: m, Added: at})
		}
		return e
	}
	f := &folder{held: map[string]*story.Story{}, gone: map[string]bool{}}
	tests := []struct {
		ev       story.Event
		size     int
		members  int
		noteHas  string
		absorbed []string
	}{
		{ev(story.Created, "s1", 1, 1, "a1"), 1, 1, "", nil},
		{ev(story.Updated, "s1", 2, 2, "a2"), 2, 2, "", nil},
		{ev(story.Updated, "s9", 5, 5, "z5"), 5, 1, "GET /api/stories/s9", nil},
		{ev(story.Created, "s2", 1, 1, "b1"), 1, 1, "", nil},
		{ev(story.Merged, "s1", 3, 3, "b1"), 3, 3, "", []string{"s2"}},
		{ev(story.Created, "s3", 1, 1, "a2"), 1, 1, "", nil},
		{ev(story.Split, "s1", 4, 2), 2, 2, "", nil},
	}
	tests[len(tests)-1].ev.V, tests[len(tests)-1].ev.Removed, tests[len(tests)-1].ev.Into = story.SplitSchemaVersion, []string{"a2"}, "s3"
	tests[4].ev.Edit = &story.Edit{ID: "c-1", By: "desk", Note: "same strike"}
	for _, tc := range tests {
		tc.ev.Absorbed = tc.absorbed
		s, note := f.fold(tc.ev)
		line := describe(1, tc.ev, s, note)
		if s.Size() != tc.size || len(s.Members) != tc.members || !strings.Contains(note, tc.noteHas) || (tc.noteHas == "") != (note == "") {
			t.Errorf("%s %s: size %d, %d members, note %q; want %d, %d, %q", tc.ev.Type, tc.ev.Story.ID, s.Size(), len(s.Members), note, tc.size, tc.members, tc.noteHas)
		}
		if !strings.Contains(line, s.ID) {
			t.Errorf("line %q", line)
		}
		if tc.ev.Edit != nil && !strings.Contains(line, "by an editor (desk): same strike [correction c-1]") {
			t.Errorf("an editor's merge reads %q", line)
		}
		if tc.ev.Type == story.Split && !strings.Contains(line, "moved out a2 into s3") {
			t.Errorf("a split reads %q", line)
		}
	}
	if _, ok := f.held["s2"]; ok || !f.gone["s2"] {
		t.Error("the absorbed story is still held")
	}
}
