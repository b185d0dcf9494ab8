package story

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
)

func TestEncodeDecode(t *testing.T) {
	b, err := Encode(Event{Type: Created, Story: Story{ID: "s-1", Version: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Decode(b)
	if err != nil || ev.V != SchemaVersion || ev.Story.ID != "s-1" || ev.Type != Created {
		t.Fatalf("round trip: %+v %v", ev, err)
	}
	tests := []struct {
		in   string
		want error
	}{
		{"{", ErrInvalid},
		{`{"v":1,"story":{}}`, ErrInvalid},
		{`{"v":9,"story":{"id":"s"}}`, ErrUnknownVersion},
		{`{"v":3,"story":{"id":"s"}}`, ErrUnknownVersion},
		{`{"v":0,"story":{"id":"s"}}`, ErrUnknownVersion},
	}
	for _, tt := range tests {
		if _, err := Decode([]byte(tt.in)); !errors.Is(err, tt.want) {
			t.Errorf("Decode(%s) err = %v, want %v", tt.in, err, tt.want)
		}
	}
}

// bigStory is a story of n members, each with a few evidence features, the
// last of which joined with the event.
func bigStory(n int) Event {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ev := Event{Type: Updated, Story: Story{ID: "s-big", Headline: "h", Version: n}}
	for i := range n {
		m := Member{ArticleID: fmt.Sprintf("a%05d", i), Title: "A title of some length for article " + strconv.Itoa(i),
			URL: "https://example.org/news/" + strconv.Itoa(i), Source: "example.org", Lang: "en", Added: t0.Add(time.Duration(i) * time.Minute), Score: 0.5}
		for k := range 6 {
			m.Evidence = append(m.Evidence, Evidence{Feature: "ent:feature-" + strconv.Itoa(k), Weight: 0.25})
		}
		ev.Story.Members = append(ev.Story.Members, m)
	}
	// Members are listed as the engine lists them, not by arrival.
	ev.Story.Members[0], ev.Story.Members[n/2] = ev.Story.Members[n/2], ev.Story.Members[0]
	ev.Articles = []article.Article{{ID: fmt.Sprintf("a%05d", n-1), Text: "the joining article's text"}}
	return ev
}

// bigMerge is the version 2 event of a story of 10 members absorbing one of
// n: its members are those that moved in.
func bigMerge(n int) Event {
	ev := bigStory(n)
	ev.Type, ev.Articles, ev.Absorbed = Merged, nil, []string{"s-other"}
	ev.Story.MemberCount = n + 10
	return ev
}

func TestFit(t *testing.T) {
	small := bigStory(3)
	smallBytes, err := Encode(small)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := Encode(bigStory(2000))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		ev          Event
		limit       int
		wantOmitted int  // -1: some, not known in advance
		evidence    bool // whether members that did not join keep their evidence
		wantErr     error
	}{
		{"small event untouched", small, len(smallBytes), 0, true, nil},
		{"evidence dropped first", bigStory(2000), len(whole) * 3 / 4, 0, false, nil},
		{"then the oldest members", bigStory(2000), len(whole) / 4, -1, false, nil},
		{"joining articles alone too large", bigStory(2000), 100, 0, false, ErrTooLarge},
		{"a merge of a huge story", bigMerge(2000), len(whole) / 4, -1, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, f, err := Fit(tc.ev, tc.limit)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(b) > tc.limit {
				t.Fatalf("%d bytes, limit %d", len(b), tc.limit)
			}
			got, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if got.Story.Size() != tc.ev.Story.Size() || f.Story.MembersOmitted != got.Story.MembersOmitted {
				t.Fatalf("size %d (omitted %d), want %d", got.Story.Size(), got.Story.MembersOmitted, tc.ev.Story.Size())
			}
			switch {
			case tc.wantOmitted >= 0 && got.Story.MembersOmitted != tc.wantOmitted:
				t.Fatalf("omitted %d, want %d", got.Story.MembersOmitted, tc.wantOmitted)
			case tc.wantOmitted < 0 && got.Story.MembersOmitted == 0:
				t.Fatalf("nothing omitted")
			}
			joined := "" // a merge: no member joined, all may lose evidence
			if len(tc.ev.Articles) > 0 {
				joined = tc.ev.Articles[0].ID
			}
			var oldest time.Time
			kept := map[string]bool{}
			for _, m := range got.Story.Members {
				kept[m.ArticleID] = true
				if m.ArticleID == joined {
					if len(m.Evidence) == 0 {
						t.Fatalf("the joining member lost its evidence")
					}
					continue
				}
				if (len(m.Evidence) > 0) != tc.evidence {
					t.Fatalf("member %s evidence %d, want kept: %v", m.ArticleID, len(m.Evidence), tc.evidence)
				}
				if oldest.IsZero() || m.Added.Before(oldest) {
					oldest = m.Added
				}
			}
			if joined != "" && !kept[joined] {
				t.Fatalf("the joining member was dropped")
			}
			// What was left out is older than anything kept.
			for _, m := range tc.ev.Story.Members {
				if !kept[m.ArticleID] && !m.Added.Before(oldest) {
					t.Fatalf("dropped %s (added %v) but kept older ones (from %v)", m.ArticleID, m.Added, oldest)
				}
			}
			if tc.wantOmitted == 0 && tc.evidence && !bytes.Equal(b, smallBytes) {
				t.Fatalf("an event that fits is not encoded as Encode does")
			}
		})
	}
}

func TestFold(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mem := func(id string, min int) Member {
		return Member{ArticleID: id, Title: "t " + id, Added: t0.Add(time.Duration(min) * time.Minute),
			Evidence: []Evidence{{Feature: "ent:" + id, Weight: 0.5}}}
	}
	hdr := func(id string, version, count int, ms ...Member) Story {
		return Story{ID: id, Headline: fmt.Sprintf("%s v%d", id, version), Version: version, MemberCount: count, Members: ms}
	}
	v2 := func(typ string, s Story, absorbed ...string) Event {
		return Event{V: 2, Type: typ, Story: s, Absorbed: absorbed}
	}
	whole := func(s Story) *Story { return &s }
	a, b, c, d := mem("a", 0), mem("b", 1), mem("c", 2), mem("d", 3)
	tests := []struct {
		name     string
		prev     *Story
		ev       Event
		absorbed []*Story
		want     []string // member ids, in order
		headline string
		omitted  int
		changed  bool
		err      error
	}{
		{"v2 created, nothing held", nil, v2(Created, hdr("s", 1, 1, a)), nil, []string{"a"}, "s v1", 0, true, nil},
		{"v2 update appends", whole(hdr("s", 1, 1, a)), v2(Updated, hdr("s", 2, 2, b)), nil, []string{"a", "b"}, "s v2", 0, true, nil},
		{"v2 update not held", nil, v2(Updated, hdr("s", 2, 2, b)), nil, nil, "", 0, false, ErrNotHeld},
		{"v2 replayed: nothing new", whole(hdr("s", 2, 2, a, b)), v2(Updated, hdr("s", 2, 2, b)), nil, []string{"a", "b"}, "s v2", 0, false, nil},
		{"v2 stale: nothing new", whole(hdr("s", 3, 3, a, b, c)), v2(Updated, hdr("s", 2, 2, b)), nil, []string{"a", "b", "c"}, "s v3", 0, false, nil},
		{"v2 late member kept, header not", whole(hdr("s", 3, 3, a, c)), v2(Updated, hdr("s", 2, 2, b)), nil, []string{"a", "c", "b"}, "s v3", 0, true, nil},
		{"v2 member changed in place", whole(hdr("s", 2, 2, a, b)), v2(Updated, hdr("s", 3, 2, Member{ArticleID: "a", DuplicateOf: "b"})), nil, []string{"a", "b"}, "s v3", 0, true, nil},
		{"v2 on a v1 story", whole(Story{ID: "s", Version: 1, Members: []Member{a}}), v2(Updated, hdr("s", 2, 2, b)), nil, []string{"a", "b"}, "s v2", 0, true, nil},
		{"v1 replaces", whole(hdr("s", 1, 1, a)), Event{V: 1, Type: Updated, Story: Story{ID: "s", Headline: "s v5", Version: 5, Members: []Member{c}}}, nil, []string{"c"}, "s v5", 0, true, nil},
		{"v1 stale ignored", whole(hdr("s", 5, 1, a)), Event{V: 1, Type: Updated, Story: Story{ID: "s", Version: 5, Members: []Member{c}}}, nil, []string{"a"}, "s v5", 0, false, nil},
		{"v2 merge sorts by time joined", whole(hdr("s", 2, 2, a, c)), v2(Merged, hdr("s", 4, 4, d, b), "x"), nil, []string{"a", "b", "c", "d"}, "s v4", 0, true, nil},
		{"v2 merge completes omitted members from the absorbed copy", whole(hdr("s", 2, 1, a)),
			v2(Merged, Story{ID: "s", Headline: "s v4", Version: 4, MemberCount: 4, MembersOmitted: 2, Members: []Member{d}}, "x"),
			[]*Story{whole(hdr("x", 3, 3, b, c, Member{ArticleID: "d"}))}, []string{"a", "b", "c", "d"}, "s v4", 0, true, nil},
		{"v2 merge of many members, found through a map", whole(hdr("s", 2, 2, a, c)),
			v2(Merged, hdr("s", 5, 7, d, b), "x"),
			[]*Story{whole(hdr("x", 3, 4, b, mem("e", 4), mem("f", 5), mem("g", 6)))}, []string{"a", "b", "c", "d", "e", "f", "g"}, "s v5", 0, true, nil},
		{"v2 merge without the absorbed copy counts what it lacks", whole(hdr("s", 2, 1, a)),
			v2(Merged, Story{ID: "s", Version: 4, MemberCount: 4, MembersOmitted: 2, Members: []Member{d}}, "x"),
			nil, []string{"a", "d"}, "", 2, true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before []byte
			if tc.prev != nil {
				before, _ = json.Marshal(tc.prev)
			}
			got, changed, err := Fold(tc.prev, tc.ev, tc.absorbed...)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("error %v, want %v", err, tc.err)
				}
				// The partial story is there for whoever accepts it.
				part, _, err := Fold(&Story{}, tc.ev)
				if err != nil || part.MembersOmitted != tc.ev.Story.MemberCount-len(tc.ev.Story.Members) {
					t.Fatalf("partial fold: %+v, %v", part, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, m := range got.Members {
				ids = append(ids, m.ArticleID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.want) || changed != tc.changed || got.MembersOmitted != tc.omitted {
				t.Fatalf("members %v changed %v omitted %d; want %v, %v, %d", ids, changed, got.MembersOmitted, tc.want, tc.changed, tc.omitted)
			}
			if got.Headline != tc.headline {
				t.Fatalf("headline %q, want %q", got.Headline, tc.headline)
			}
			if tc.prev != nil {
				after, _ := json.Marshal(tc.prev)
				if !bytes.Equal(before, after) {
					t.Fatal("prev was modified")
				}
			}
			// FoldOwned, on a copy the caller gives up, folds to the same.
			var own *Story
			if tc.prev != nil {
				c := tc.prev.Clone()
				own = &c
			}
			gotOwned, changedOwned, err := FoldOwned(own, tc.ev, tc.absorbed...)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(got)
			b, _ := json.Marshal(gotOwned)
			if !bytes.Equal(a, b) || changedOwned != changed {
				t.Fatalf("FoldOwned gives %s (changed %v), Fold %s (changed %v)", b, changedOwned, a, changed)
			}
		})
	}
}

// TestFoldOwnedAppends folds updates one after another into the story
// the last fold gave, as the index does within a batch: the members are
// appended in place, not copied at each event.
func TestFoldOwnedAppends(t *testing.T) {
	s := Story{ID: "s", Version: 1, MemberCount: 1, Members: make([]Member, 1, 64)}
	s.Members[0] = Member{ArticleID: "m0"}
	first := &s.Members[0]
	for i := 1; i < 40; i++ {
		ev := Event{V: 2, Type: Updated, Story: Story{ID: "s", Version: i + 1, MemberCount: i + 1,
			Members: []Member{{ArticleID: fmt.Sprintf("m%d", i)}}}}
		next, changed, err := FoldOwned(&s, ev)
		if err != nil || !changed {
			t.Fatalf("event %d: changed %v, err %v", i, changed, err)
		}
		s = next
	}
	if len(s.Members) != 40 || s.Members[39].ArticleID != "m39" || s.Version != 40 {
		t.Fatalf("%d members, last %q, version %d", len(s.Members), s.Members[len(s.Members)-1].ArticleID, s.Version)
	}
	if &s.Members[0] != first {
		t.Error("the members were copied")
	}
}

func TestSize(t *testing.T) {
	tests := []struct {
		s    Story
		want int
	}{
		{Story{Members: make([]Member, 3)}, 3},
		{Story{Members: make([]Member, 3), MembersOmitted: 2}, 5},
		{Story{Members: make([]Member, 1), MemberCount: 40}, 40},
	}
	for _, tc := range tests {
		if got := tc.s.Size(); got != tc.want {
			t.Errorf("Size() of %d members, %d omitted, count %d = %d, want %d",
				len(tc.s.Members), tc.s.MembersOmitted, tc.s.MemberCount, got, tc.want)
		}
	}
}

// BenchmarkFoldUpdate folds an update of one new member into a story of
// 300, as the index does for every event of a big story.
func BenchmarkFoldUpdate(b *testing.B) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	prev := Story{ID: "s", Version: 300, MemberCount: 300}
	for i := range 300 {
		prev.Members = append(prev.Members, Member{ArticleID: fmt.Sprintf("article-%d", i), Title: "a title", Added: t0.Add(time.Duration(i) * time.Minute),
			Evidence: []Evidence{{Feature: "ent:x", Weight: 0.5}}})
	}
	ev := Event{V: 2, Type: Updated, Story: Story{ID: "s", Version: 301, MemberCount: 301, Members: []Member{{ArticleID: "article-300", Added: t0.Add(300 * time.Minute)}}}}
	b.Run("shared", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := Fold(&prev, ev); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A batch's second event of the story: folded into the copy the first
	// made, whose array has room (append grows it as a slice does).
	b.Run("owned", func(b *testing.B) {
		own := prev.Clone()
		own.Members = slices.Grow(own.Members, 1)
		b.ReportAllocs()
		for b.Loop() {
			s, _, err := FoldOwned(&own, ev)
			if err != nil {
				b.Fatal(err)
			}
			own.Members = s.Members[:300] // the same event again, as new
		}
	})
}
