package index

import (
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// A refresh interval, as search engines have one: a story whose document
// was written less than the interval ago has its next write deferred until
// the interval has passed, so a story that many events update under load
// is re-indexed once per interval rather than once per batch (each write
// re-analyses and rebuilds the story's whole document: its headline and
// every member's title; bodies are in the articles' documents, written
// with their batch whatever the interval). A story written for the first time
// in a while (a new one), merges and deletions are written at once. Reads
// by id (Story) see deferred stories; searches and lists see them once
// written.
//
// The checkpoint recorded with a batch never covers an event whose story
// is still deferred: it stops before the oldest such event, so a crash
// replays it from the stream. Close writes every deferred story.

// deferredDoc is a story whose latest version is not yet in its document.
type deferredDoc struct {
	s *story.Story
	// seq is the stream sequence of the oldest event folded into s since
	// its document was last written; the checkpoint stays below it.
	seq    uint64
	due    time.Time
	change Change // the latest change, announced once it is searchable
}

// writeStats count the story documents written and the member text they
// carried (their titles): what the refresh interval saves.
type writeStats struct {
	docs, textBytes int
}

// SetRefresh sets the refresh interval (0, the default: every batch writes
// every story it changes). Call it before applying events.
func (ix *Index) SetRefresh(d time.Duration) {
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	ix.refresh = max(d, 0)
}

// refreshFor is story s's refresh interval: the index's, times one for
// each refreshMembers members s holds, up to maxRefreshScale times. A
// write costs what the story's document holds (every title, and its
// stored JSON), and under load batches come a second apart, so that one
// interval for all rewrote a big story at nearly every batch: at steady
// state that rebuilding was most of what the process allocated.
func (ix *Index) refreshFor(s *story.Story) time.Duration {
	return ix.refresh * time.Duration(min(maxRefreshScale, max(1, len(s.Members)/refreshMembers)))
}

// refreshMembers and maxRefreshScale scale a story's refresh interval
// with its size (refreshFor).
const (
	refreshMembers  = 8
	maxRefreshScale = 5
)

// NextRefresh returns when the earliest deferred story is due; ok is false
// when none is deferred.
func (ix *Index) NextRefresh() (due time.Time, ok bool) {
	ix.defMu.RLock()
	defer ix.defMu.RUnlock()
	for _, d := range ix.deferred {
		if !ok || d.due.Before(due) {
			due, ok = d.due, true
		}
	}
	return due, ok
}

// Refresh writes the deferred stories due by the time given (all of them
// when by is zero), in one batch, and returns the stream sequence up to
// which every event is searchable (the checkpoint; 0 when no batch carried
// one). A caller that refreshes on a timer can pass a time a little ahead,
// so that stories due close together share one batch.
func (ix *Index) Refresh(by time.Time) (uint64, error) {
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	return ix.commit(newPending(ix), by, by.IsZero())
}

// deferredStory gives the deferred version of story id, if there is one.
func (ix *Index) deferredStory(id string) (*story.Story, bool) {
	ix.defMu.RLock()
	defer ix.defMu.RUnlock()
	d, ok := ix.deferred[id]
	if !ok {
		return nil, false
	}
	return d.s, true
}

// checkpointLocked is the sequence up to which every event applied is in
// the index's documents: the last one handed in, or just below the oldest
// event of a deferred story. The caller holds applyMu.
func (ix *Index) checkpointLocked() uint64 {
	cp := ix.upTo
	for _, d := range ix.deferred {
		if d.seq > 0 && d.seq-1 < cp {
			cp = d.seq - 1
		}
	}
	return cp
}
