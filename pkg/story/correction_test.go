package story

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCorrectionRoundTrip(t *testing.T) {
	c := Correction{ID: "e-1", Op: OpMerge, Stories: []string{"s-a", "s-b"}, By: "desk", Note: "same fire",
		At: time.Date(2025, 12, 14, 10, 0, 0, 0, time.UTC)}
	b, err := EncodeCorrection(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeCorrection(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.V != CorrectionVersion || got.ID != c.ID || got.Op != c.Op || strings.Join(got.Stories, ",") != "s-a,s-b" ||
		got.By != c.By || got.Note != c.Note || !got.At.Equal(c.At) {
		t.Errorf("round trip gave %+v from %s", got, b)
	}
	if e := got.Edit(); e.ID != "e-1" || e.By != "desk" || e.Note != "same fire" {
		t.Errorf("Edit() = %+v", e)
	}
}

func TestDecodeCorrectionRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, data, says string
	}{
		{"not JSON", `merge s-a s-b`, "invalid character"},
		{"newer version", `{"v":2,"id":"e","op":"merge","stories":["s-a","s-b"]}`, "version 2"},
		{"no version", `{"id":"e","op":"merge","stories":["s-a","s-b"]}`, "version 0"},
		{"no id", `{"v":1,"op":"merge","stories":["s-a","s-b"]}`, "no id"},
		{"unknown operation", `{"v":1,"id":"e","op":"unmerge","stories":["s-a","s-b"]}`, `unknown operation "unmerge"`},
		{"one story", `{"v":1,"id":"e","op":"merge","stories":["s-a"]}`, "at least two"},
		{"a merge naming articles", `{"v":1,"id":"e","op":"merge","stories":["s-a","s-b"],"articles":["a1"]}`, "no article"},
		{"a split of stories", `{"v":1,"id":"e","op":"split","stories":["s-a","s-b"]}`, "at least one article and no story"},
		{"a split of nothing", `{"v":1,"id":"e","op":"split"}`, "at least one article"},
		{"too many stories", `{"v":1,"id":"e","op":"merge","stories":[` + strings.Repeat(`"s-a",`, 20) + `"s-b"]}`, "at most 20"},
		{"empty story id", `{"v":1,"id":"e","op":"merge","stories":["s-a",""]}`, `id ""`},
		{"padded story id", `{"v":1,"id":"e","op":"merge","stories":["s-a"," s-b"]}`, `id " s-b"`},
		{"long note", `{"v":1,"id":"e","op":"merge","stories":["s-a","s-b"],"note":"` + strings.Repeat("x", 501) + `"}`, "at most 500 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeCorrection([]byte(tc.data))
			if !errors.Is(err, ErrInvalidCorrection) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("DecodeCorrection = %v; want ErrInvalidCorrection saying %q", err, tc.says)
			}
		})
	}
	if _, err := EncodeCorrection(Correction{ID: "e", Op: OpMerge, Stories: []string{"s-a"}}); !errors.Is(err, ErrInvalidCorrection) {
		t.Errorf("EncodeCorrection of one story = %v, want ErrInvalidCorrection", err)
	}
}

// An event caused by a correction names it, and reads back whole.
func TestEventCarriesEdit(t *testing.T) {
	ev := Event{Type: Merged, Story: Story{ID: "s-a", Version: 3}, Absorbed: []string{"s-b"},
		Edit: &Edit{ID: "e-1", By: "desk", Note: "same fire"}, At: time.Date(2025, 12, 14, 10, 0, 0, 0, time.UTC)}
	b, err := Encode(ev)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Edit == nil || *got.Edit != *ev.Edit {
		t.Errorf("decoded edit %+v from %s", got.Edit, b)
	}
	plain := ev
	plain.Edit = nil
	if b, _ := Encode(plain); strings.Contains(string(b), `"edit"`) {
		t.Errorf("an engine's event names an edit: %s", b)
	}
}

// Fold keeps, on the folded story, the corrections that changed it: one
// record per correction whatever the number of its events, kept through
// later events (whose headers never list them) and through a merge that
// absorbs the story.
func TestFoldKeepsEdits(t *testing.T) {
	t0 := time.Date(2025, 12, 14, 10, 0, 0, 0, time.UTC)
	member := func(id string, h int) Member {
		return Member{ArticleID: id, Added: t0.Add(time.Duration(h) * time.Hour)}
	}
	edit := &Edit{ID: "e-1", By: "desk", Note: "one fire"}
	a := Story{ID: "s-a", Version: 2, MemberCount: 1, Members: []Member{member("a1", 0)}}
	b := Story{ID: "s-b", Version: 1, MemberCount: 1, Members: []Member{member("b1", 1)}}
	c := Story{ID: "s-c", Version: 1, MemberCount: 1, Members: []Member{member("c1", 2)}}
	merged := func(version int, absorbed Story, e *Edit, at time.Time) Event {
		return Event{V: 2, Type: Merged, Absorbed: []string{absorbed.ID}, Edit: e, At: at,
			Story: Story{ID: "s-a", Version: version, MemberCount: version - 1, Members: absorbed.Members}}
	}
	fold := func(t *testing.T, prev *Story, ev Event, absorbed ...*Story) (Story, bool) {
		t.Helper()
		s, changed, err := Fold(prev, ev, absorbed...)
		if err != nil {
			t.Fatal(err)
		}
		return s, changed
	}
	one, _ := fold(t, &a, merged(3, b, edit, t0.Add(5*time.Hour)), &b)
	two, _ := fold(t, &one, merged(4, c, edit, t0.Add(5*time.Hour)), &c)
	want := []Edited{{Edit: *edit, Type: Merged, Absorbed: []string{"s-b", "s-c"}, At: t0.Add(5 * time.Hour)}}
	if !reflect.DeepEqual(two.Edits, want) || len(two.Members) != 3 {
		t.Fatalf("after the correction's two events: edits %+v, %d members; want %+v", two.Edits, len(two.Members), want)
	}
	if again, changed := fold(t, &two, merged(4, c, edit, t0.Add(5*time.Hour)), &c); changed || !reflect.DeepEqual(again.Edits, want) {
		t.Errorf("the last event again: changed %v, edits %+v", changed, again.Edits)
	}
	later := Event{V: 2, Type: Updated, At: t0.Add(6 * time.Hour),
		Story: Story{ID: "s-a", Version: 5, MemberCount: 4, Members: []Member{member("a2", 6)}}}
	three, _ := fold(t, &two, later)
	if !reflect.DeepEqual(three.Edits, want) {
		t.Errorf("a later update lost the edits: %+v", three.Edits)
	}
	// A story older still absorbs s-a, by the engine's own merge.
	z := Story{ID: "s-z", Version: 1, MemberCount: 1, Members: []Member{member("z1", -1)}}
	bigger, _ := fold(t, &z, Event{V: 2, Type: Merged, Absorbed: []string{"s-a"}, At: t0.Add(7 * time.Hour),
		Story: Story{ID: "s-z", Version: 6, MemberCount: 5, Members: three.Members}}, &three)
	if !reflect.DeepEqual(bigger.Edits, want) {
		t.Errorf("the survivor of a merge has edits %+v, want the absorbed story's %+v", bigger.Edits, want)
	}
	bigger.Edits[0].Absorbed[0] = "changed"
	if three.Edits[0].Absorbed[0] != "s-b" {
		t.Error("the folded story shares its edits with the story it came from")
	}
}

// A split is the one event in which members leave: it is written as
// version 3, which version 2 readers refuse, and Fold removes them.
func TestSplitEvent(t *testing.T) {
	t0 := time.Date(2025, 12, 14, 10, 0, 0, 0, time.UTC)
	prev := Story{ID: "s-a", Version: 3, MemberCount: 3, Members: []Member{
		{ArticleID: "a1", Added: t0}, {ArticleID: "a2", Added: t0.Add(time.Hour)}, {ArticleID: "a3", Added: t0.Add(2 * time.Hour)}}}
	ev := Event{Type: Split, Story: Story{ID: "s-a", Version: 4, MemberCount: 2}, Removed: []string{"a2"}, Into: "s-b",
		Edit: &Edit{ID: "c-1", By: "desk"}, At: t0.Add(3 * time.Hour)}
	b, err := Encode(ev)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil || got.V != SplitSchemaVersion || !slices.Equal(got.Removed, []string{"a2"}) || got.Into != "s-b" {
		t.Fatalf("decoded %+v, %v from %s", got, err, b)
	}
	if plain, _ := Encode(Event{Type: Updated, Story: Story{ID: "s-a"}}); !strings.Contains(string(plain), `"v":2`) {
		t.Errorf("an update is not written as version 2: %s", plain)
	}
	if _, err := Decode([]byte(`{"v":3,"type":"updated","story":{"id":"s-a"}}`)); !errors.Is(err, ErrUnknownVersion) {
		t.Errorf("a version 3 update: %v, want ErrUnknownVersion", err)
	}
	if _, err := Decode([]byte(`{"v":4,"type":"split","story":{"id":"s-a"}}`)); !errors.Is(err, ErrUnknownVersion) {
		t.Errorf("a version 4 split: %v, want ErrUnknownVersion", err)
	}
	s, changed, err := Fold(&prev, got)
	if err != nil || !changed || len(s.Members) != 2 || s.Members[1].ArticleID != "a3" || s.MembersOmitted != 0 || s.Version != 4 ||
		len(s.Edits) != 1 || s.Edits[0].Type != Split || s.Edits[0].Into != "s-b" || !slices.Equal(s.Edits[0].Articles, []string{"a2"}) {
		t.Fatalf("folded split: %+v, %v, %v", s, changed, err)
	}
	if again, changed, err := Fold(&s, got); err != nil || changed || len(again.Members) != 2 {
		t.Errorf("the split again: %d members, changed %v, %v", len(again.Members), changed, err)
	}
	if len(prev.Members) != 3 {
		t.Error("Fold changed the story it was given")
	}
}
