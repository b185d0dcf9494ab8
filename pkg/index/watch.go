package index

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// Change says that a story document was written: the story event that was
// applied, without its content. Readers such as a live page use it to know
// when to look again.
type Change struct {
	Type     string   `json:"type"` // story.Created, Updated, Merged or Split
	StoryID  string   `json:"story_id"`
	Version  int      `json:"version"`
	Headline string   `json:"headline"`
	Absorbed []string `json:"absorbed,omitempty"` // stories merged into StoryID
	// Edit names the editor's correction that made the change, if one did.
	Edit *story.Edit `json:"edit,omitempty"`
	At   time.Time   `json:"at"`
}

// Watcher receives the changes applied after it was made, in order. A
// watcher that does not keep up loses changes rather than slowing the
// writer; Missed tells how many, so it can resynchronise by reading again.
type Watcher struct {
	C      <-chan Change
	c      chan Change
	missed atomic.Uint64
	set    *watchers
	once   sync.Once
}

// Missed returns how many changes were dropped because C was full, and
// resets the count.
func (w *Watcher) Missed() uint64 { return w.missed.Swap(0) }

// Stop unregisters the watcher and closes C.
func (w *Watcher) Stop() { w.set.remove(w) }

// Watch registers a watcher whose channel buffers up to buf changes (at
// least 1). C is closed by Stop or when the index is closed.
func (ix *Index) Watch(buf int) *Watcher {
	c := make(chan Change, max(buf, 1))
	w := &Watcher{C: c, c: c, set: &ix.watchers}
	ix.watchers.add(w)
	return w
}

// watchers is the set of live watchers of an index.
type watchers struct {
	mu     sync.Mutex
	set    map[*Watcher]struct{}
	closed bool
}

func (ws *watchers) add(w *Watcher) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.closed {
		w.once.Do(func() { close(w.c) })
		return
	}
	if ws.set == nil {
		ws.set = make(map[*Watcher]struct{})
	}
	ws.set[w] = struct{}{}
}

func (ws *watchers) remove(w *Watcher) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	delete(ws.set, w)
	w.once.Do(func() { close(w.c) })
}

// notify hands changes to every watcher without ever blocking the writer.
func (ws *watchers) notify(cs []Change) {
	if len(cs) == 0 {
		return
	}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	for w := range ws.set {
		for _, c := range cs {
			select {
			case w.c <- c:
			default:
				w.missed.Add(1)
			}
		}
	}
}

// closeAll closes every watcher's channel; later Watch calls get a closed one.
func (ws *watchers) closeAll() {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	ws.closed = true
	for w := range ws.set {
		delete(ws.set, w)
		w.once.Do(func() { close(w.c) })
	}
}
