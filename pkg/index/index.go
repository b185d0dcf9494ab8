// Package index keeps the searchable view of stories: one bleve document per
// story, with its members' texts analysed per language, fed by story events.
// It knows nothing of NATS; a consumer calls Apply and SetCheckpoint.
package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/highlight"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// Internal keys stored beside the documents.
var (
	keySchema     = []byte("schema")
	keyCheckpoint = []byte("checkpoint")
)

// indexDirName is the bleve directory inside the directory given to Open, so
// that Open can be pointed at an existing, possibly empty, data directory.
const indexDirName = "stories.bleve"

// Index is the story index. It is safe for concurrent use; Apply calls are
// serialised because each one reads the stored story before writing it.
type Index struct {
	idx         bleve.Index
	mapping     mapping.IndexMapping
	applyMu     sync.Mutex
	watchers    watchers
	tally       *tally
	bodies      *bodyCache
	states      *lru[storedState]  // guarded by applyMu
	recent      *lru[*story.Story] // guarded by applyMu
	tokens      *tokenCache
	highlighter highlight.Highlighter
	// relatedBudget bounds a search for related stories (Related).
	relatedBudget time.Duration
	// The refresh interval and its state (refresh.go), guarded by
	// applyMu; deferred is also read by Story, under defMu.
	refresh   time.Duration
	now       func() time.Time
	defMu     sync.RWMutex
	deferred  map[string]*deferredDoc
	writtenAt map[string]time.Time // stories written within the last refresh interval
	upTo      uint64               // the last stream sequence handed in
	recorded  uint64               // the checkpoint last written by this process
	written   writeStats           // guarded by applyMu
	close     sync.Once
	closeErr  error
}

// Open opens the index under dir, creating it when absent, and recreating it
// empty when it was written with another schema (its checkpoint is then 0,
// so the stream is replayed). An empty dir gives an in-memory index (tests,
// replay-only deployments).
func Open(dir string) (*Index, error) { return open(dir, scorchConfig) }

// open is Open with the scorch configuration given (a fresh map per call:
// bleve writes into it), so that benchmarks can compare others.
func open(dir string, config func() map[string]any) (*Index, error) {
	m := buildMapping()
	if dir == "" {
		idx, err := bleve.NewMemOnly(m)
		if err != nil {
			return nil, fmt.Errorf("open in-memory index: %w", err)
		}
		if err := idx.SetInternal(keySchema, []byte(schemaVersion)); err != nil {
			_ = idx.Close()
			return nil, fmt.Errorf("open in-memory index: %w", err)
		}
		return newIndex(idx, m)
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	path := filepath.Join(dir, indexDirName)
	idx, err := bleve.OpenUsing(path, config())
	switch {
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		return create(path, m, config())
	case err != nil:
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	got, err := idx.GetInternal(keySchema)
	if err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	if string(got) != schemaVersion {
		// The index is derived data: one written by another build is
		// dropped, and its checkpoint with it, so the consumer replays
		// the stories stream into a fresh one.
		if err := idx.Close(); err != nil {
			return nil, fmt.Errorf("close outdated index %s: %w", path, err)
		}
		if err := os.RemoveAll(path); err != nil {
			return nil, fmt.Errorf("remove outdated index %s (schema %q): %w", path, got, err)
		}
		return create(path, m, config())
	}
	// The mapping that matters is the one stored with the index; it equals m
	// because the schema version matched.
	ix, err := newIndex(idx, idx.Mapping())
	if err != nil {
		return nil, err
	}
	if err := ix.tally.load(idx); err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	// Batches whose events' sequences are not given follow the checkpoint.
	cp, err := ix.Checkpoint()
	if err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	ix.upTo, ix.recorded = cp, cp
	return ix, nil
}

func create(path string, m mapping.IndexMapping, config map[string]any) (*Index, error) {
	idx, err := bleve.NewUsing(path, m, scorch.Name, scorch.Name, config)
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	if err := idx.SetInternal(keySchema, []byte(schemaVersion)); err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	return newIndex(idx, m)
}

// Bounds of what is kept in memory for story updates: the member texts of
// about 8,000 articles of 4 KB, the state of some 50,000 stories, more than
// the last hours update, and the analysed tokens of about 3,500 member
// texts (packed, about their texts' size). In the replayed stream of
// BenchmarkStream 16 MB of tokens spare 68 % of the analysed bytes, 24 MB
// or more 72 %, the most possible.
const (
	bodyCacheBytes  = 32 << 20
	stateCacheBytes = 16 << 20
	tokenCacheBytes = 16 << 20
	storyCacheBytes = 32 << 20
)

// newIndex wraps an opened bleve index; it closes idx when it fails.
func newIndex(idx bleve.Index, m mapping.IndexMapping) (*Index, error) {
	hl, err := newHighlighter()
	if err != nil {
		_ = idx.Close()
		return nil, err
	}
	return &Index{idx: idx, mapping: m, tally: newTally(), highlighter: hl,
		bodies: newBodyCache(bodyCacheBytes), states: newStateCache(stateCacheBytes), recent: newStoryCache(storyCacheBytes),
		tokens: newTokenCache(tokenCacheBytes), relatedBudget: defaultRelatedBudget,
		now: time.Now, deferred: map[string]*deferredDoc{}, writtenAt: map[string]time.Time{}}, nil
}

// scorchConfig tunes bleve's scorch engine for this index, whose writes are
// batches of story events each carrying its checkpoint (docs/performance.md
// has the measurements).
//
// unsafe_batch: a batch returns once it is searchable, not once it is on
// disk. A crash loses nothing: scorch persists whole snapshots, documents
// together with the internal values of the same batches, so the index
// reopens at an earlier checkpoint with exactly the documents up to it and
// the consumer replays the stream from there (TestCrashKeepsCheckpoint).
// Not waiting lets the persister, pausing up to persistEvery between
// rounds, merge the batches of a round in memory, dropping the story
// versions already superseded, rather than write each batch as a small
// file that merges must read and rewrite: with small batches, most of the
// merging cost.
func scorchConfig() map[string]any {
	return map[string]any{
		"unsafe_batch": true,
		"scorchPersisterOptions": map[string]any{
			"PersisterNapTimeMSec": persistEvery.Milliseconds(),
		},
	}
}

// persistEvery is the persister's pause between rounds: about what a crash
// makes the consumer replay, and how long Close may wait. Longer pauses
// measured no cheaper.
const persistEvery = time.Second

// flushWait bounds how long Close waits for applied batches to reach the
// disk; past it they are replayed from the stream on the next start.
const flushWait = 30 * time.Second

// Close writes the stories the refresh interval deferred, flushes and
// closes the index and ends every Watcher. Closing twice is harmless.
func (ix *Index) Close() error {
	ix.close.Do(func() {
		if _, err := ix.Refresh(time.Time{}); err != nil {
			ix.closeErr = fmt.Errorf("close index: %w", err)
		}
		ix.watchers.closeAll()
		ix.awaitPersisted(flushWait)
		if err := ix.idx.Close(); err != nil && ix.closeErr == nil {
			ix.closeErr = fmt.Errorf("close index: %w", err)
		}
	})
	return ix.closeErr
}

// awaitPersisted waits, at most limit, until scorch has written every
// applied batch to disk: with unsafe batches, closing before that would
// drop them (harmlessly, but the next start would replay them).
func (ix *Index) awaitPersisted(limit time.Duration) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return // in memory: nothing to persist
	}
	st, ok := sc.Stats().(*scorch.Stats)
	if !ok {
		return
	}
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if atomic.LoadUint64(&st.LastPersistedEpoch) >= atomic.LoadUint64(&st.CurRootEpoch) {
			return
		}
	}
}

// Checkpoint returns the last stream sequence recorded by SetCheckpoint, or 0.
func (ix *Index) Checkpoint() (uint64, error) {
	b, err := ix.idx.GetInternal(keyCheckpoint)
	if err != nil {
		return 0, fmt.Errorf("read checkpoint: %w", err)
	}
	if len(b) == 0 {
		return 0, nil
	}
	if len(b) != 8 {
		return 0, fmt.Errorf("read checkpoint: stored value has %d bytes, want 8", len(b))
	}
	return binary.BigEndian.Uint64(b), nil
}

// SetCheckpoint records seq as the last applied stream sequence, inside the
// index so that it is as durable as the documents it describes.
func (ix *Index) SetCheckpoint(seq uint64) error {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seq)
	if err := ix.idx.SetInternal(keyCheckpoint, b[:]); err != nil {
		return fmt.Errorf("write checkpoint %d: %w", seq, err)
	}
	return nil
}
