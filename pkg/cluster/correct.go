package cluster

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// ErrUnknownStory is returned by Correct for a story id the engine never
// held (or has forgotten: see Config.Retain).
var ErrUnknownStory = errors.New("cluster: unknown story")

// ErrInactive is returned by Correct for a story that has left the active
// window: the engine keeps its public view but no longer its vectors, so
// it can take no article and no merge.
var ErrInactive = errors.New("cluster: story no longer active")

// ErrAlreadyOne is returned by Correct for a merge whose stories are
// already one (the same id twice, or a story and one merged into it).
var ErrAlreadyOne = errors.New("cluster: already one story")

// Correct applies an editor's correction. A merge makes the stories one
// as the engine's own merges do: the story first seen survives, the others
// become its aliases, and one merged event per absorbed story says so,
// carrying the correction. The correction is checked whole before
// anything changes, so it applies entirely or not at all; the errors say
// which story stood in the way. Like Add, it is deterministic: applied
// again to the same state at the same place in the stream, it gives the
// same stories.
func (e *Engine) Correct(c story.Correction) ([]story.Event, error) {
	if c.Op != story.OpMerge {
		return nil, fmt.Errorf("%w: unknown operation %q", story.ErrInvalidCorrection, c.Op)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var sts []*storyState
	for _, id := range c.Stories {
		sid := e.resolve(id)
		st, ok := e.active[sid]
		if !ok {
			if _, retired := e.retired[sid]; retired {
				return nil, fmt.Errorf("%w: %s (older than the clustering window)", ErrInactive, id)
			}
			return nil, fmt.Errorf("%w: %s", ErrUnknownStory, id)
		}
		if !slices.Contains(sts, st) {
			sts = append(sts, st)
		}
	}
	if len(sts) < 2 {
		return nil, fmt.Errorf("%w: %s all lead to %s", ErrAlreadyOne, strings.Join(c.Stories, ", "), sts[0].s.ID)
	}
	slices.SortStableFunc(sts, func(a, b *storyState) int {
		if older(a, b) {
			return -1
		}
		if older(b, a) {
			return 1
		}
		return 0
	})
	survivor := sts[0]
	events := make([]story.Event, 0, len(sts)-1)
	for _, absorbed := range sts[1:] {
		e.merge(survivor, absorbed)
		events = append(events, story.Event{
			V: story.SchemaVersion, Type: story.Merged, Story: survivor.change(absorbed.s.Members),
			Absorbed: []string{absorbed.s.ID}, Edit: c.Edit(), At: c.At,
		})
	}
	return events, nil
}
