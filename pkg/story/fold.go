package story

import (
	"errors"
	"fmt"
	"slices"
)

// ErrNotHeld is returned by Fold for a version 2 event of a story whose
// earlier members the consumer does not hold (prev nil): the event alone is
// not the whole story. A consumer that started mid-stream may keep the
// partial story that Fold(&Story{}, ev) gives (MembersOmitted says how many
// members it lacks) and fetch the whole one from the HTTP API
// (GET /api/stories/{id}), or replay the stream from the start.
var ErrNotHeld = errors.New("story: event updates a story not held")

// Fold returns the story as ev leaves it, given the consumer's copy of it
// before ev (prev; nil when it holds none) and, for a merge, its copies of
// the absorbed stories. changed is false when ev brings nothing new (an
// event already applied, or stale), so that a consumer can skip a write.
// prev and absorbed are not modified, and the result shares no slice with
// them.
//
// A version 1 event (or one built in memory with V 0) carries the whole
// story: it replaces prev when its version is newer, else it is ignored.
//
// A version 2 event carries the story's header and the members that
// changed. The header replaces prev's when its version is newer. Its
// members are upserted by article id whatever its version, because a
// member's event can land after a later event of its story (a publish
// retried after the next one was stored; a Repeat): members never leave a
// story nor change once joined (but by an editor's split, below), so this
// is harmless for an event already applied. A merge first takes in the members of the absorbed copies given,
// which covers members a merge too large for one message left out (Fit),
// and orders the members by the time they joined, as the clusterer does.
//
// A split (version 3) removes the members it lists: the one way a member
// leaves a story other than by a merge. The story they moved to was
// announced by its created event just before.
func Fold(prev *Story, ev Event, absorbed ...*Story) (s Story, changed bool, err error) {
	return fold(prev, ev, false, absorbed)
}

// FoldOwned is Fold for a caller that owns prev and will not read it
// again: prev's members are reused, not copied, so that folding several
// events of a big story into one copy appends their members rather than
// copying hundreds each time. The result shares prev's member array.
func FoldOwned(prev *Story, ev Event, absorbed ...*Story) (Story, bool, error) {
	return fold(prev, ev, true, absorbed)
}

func fold(prev *Story, ev Event, owned bool, absorbed []*Story) (s Story, changed bool, err error) {
	if ev.V < 2 {
		if prev != nil && ev.Story.Version <= prev.Version {
			return prev.Clone(), false, nil
		}
		s = ev.Story.Clone()
		s.Edits, _ = foldEdits(prev, ev, absorbed)
		return s, true, nil
	}
	newer := prev == nil || ev.Story.Version > prev.Version
	if newer {
		s = headerOf(ev.Story)
	} else {
		s = headerOf(*prev)
	}
	incoming := len(ev.Story.Members)
	if ev.Type == Merged {
		for _, a := range absorbed {
			if a != nil {
				incoming += len(a.Members)
			}
		}
	}
	// One copy of prev's members with room for what comes in: an update
	// of a big story folds one or two members into hundreds.
	var held []Member
	switch {
	case prev != nil && owned:
		held = prev.Members
	case prev != nil:
		held = make([]Member, len(prev.Members), len(prev.Members)+incoming)
		copy(held, prev.Members)
	}
	// Where each member sits: looked up in a map when many come in (a
	// merge), else found by a scan from the end, where recent members are,
	// which for one or two members costs less than the map of all of them.
	var at map[string]int
	if incoming > maxScanned {
		at = make(map[string]int, len(held)+incoming)
		for i, m := range held {
			at[m.ArticleID] = i
		}
	}
	find := func(id string) (int, bool) {
		if at != nil {
			i, ok := at[id]
			return i, ok
		}
		for i := len(held) - 1; i >= 0; i-- {
			if held[i].ArticleID == id {
				return i, true
			}
		}
		return 0, false
	}
	upsert := func(ms []Member) bool {
		grew := false
		for _, m := range ms {
			if i, ok := find(m.ArticleID); ok {
				if !sameMember(held[i], m) {
					held[i], changed = m, true
				}
				continue
			}
			if at != nil {
				at[m.ArticleID] = len(held)
			}
			held = append(held, m)
			grew, changed = true, true
		}
		return grew
	}
	grew := false
	if ev.Type == Merged {
		for _, a := range absorbed {
			if a != nil && upsert(a.Members) {
				grew = true
			}
		}
	}
	if upsert(ev.Story.Members) {
		grew = true
	}
	if ev.Type == Merged && grew {
		slices.SortStableFunc(held, func(a, b Member) int { return a.Added.Compare(b.Added) })
	}
	if ev.Type == Split {
		// The one event in which members leave: those an editor moved out.
		n := len(held)
		held = slices.DeleteFunc(held, func(m Member) bool { return slices.Contains(ev.Removed, m.ArticleID) })
		changed = changed || len(held) != n
	}
	s.Members = held
	var editsGrew bool
	if s.Edits, editsGrew = foldEdits(prev, ev, absorbed); editsGrew {
		changed = true
	}
	if s.MemberCount > 0 { // else a version 1 header, whose count stands
		// What this copy lacks: the members it never received.
		s.MembersOmitted = max(0, s.MemberCount-len(held))
	}
	if prev == nil && s.MembersOmitted > 0 {
		return Story{}, false, fmt.Errorf("%w: %s %s v%d holds %d of its %d members",
			ErrNotHeld, ev.Type, ev.Story.ID, ev.Story.Version, len(held), s.MemberCount)
	}
	return s, changed || newer, nil
}

// Clone copies s with its slices, so that the copy and s can change apart
// (a folded story and the copies it came from; an engine's story and the
// view it hands out).
func (s Story) Clone() Story {
	s.Languages = slices.Clone(s.Languages)
	s.Sources = slices.Clone(s.Sources)
	s.Entities = slices.Clone(s.Entities)
	s.Members = slices.Clone(s.Members)
	s.Aliases = slices.Clone(s.Aliases)
	s.Edits = cloneEdits(s.Edits)
	return s
}

// maxScanned is how many incoming members Fold finds by scanning the
// members held rather than through a map of them.
const maxScanned = 4

// headerOf is a copy of s without its members.
func headerOf(s Story) Story {
	s.Members = nil
	return s.Clone()
}

// sameMember compares two members field by field.
func sameMember(a, b Member) bool {
	if a.ArticleID != b.ArticleID || a.Title != b.Title || a.Lead != b.Lead || a.URL != b.URL || a.Source != b.Source ||
		a.Lang != b.Lang || !a.Added.Equal(b.Added) || a.Score != b.Score || a.DuplicateOf != b.DuplicateOf {
		return false
	}
	if (a.Published == nil) != (b.Published == nil) || a.Published != nil && !a.Published.Equal(*b.Published) {
		return false
	}
	return slices.Equal(a.Evidence, b.Evidence)
}
