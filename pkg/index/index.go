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

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
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
	idx      bleve.Index
	mapping  mapping.IndexMapping
	applyMu  sync.Mutex
	watchers watchers
	tally    *tally
	close    sync.Once
	closeErr error
}

// Open opens the index under dir, creating it when absent, and recreating it
// empty when it was written with another schema (its checkpoint is then 0,
// so the stream is replayed). An empty dir gives an in-memory index (tests,
// replay-only deployments).
func Open(dir string) (*Index, error) {
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
		return &Index{idx: idx, mapping: m, tally: newTally()}, nil
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	path := filepath.Join(dir, indexDirName)
	idx, err := bleve.Open(path)
	switch {
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		return create(path, m)
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
		return create(path, m)
	}
	// The mapping that matters is the one stored with the index; it equals m
	// because the schema version matched.
	ix := &Index{idx: idx, mapping: idx.Mapping(), tally: newTally()}
	if err := ix.tally.load(idx); err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	return ix, nil
}

func create(path string, m mapping.IndexMapping) (*Index, error) {
	idx, err := bleve.New(path, m)
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	if err := idx.SetInternal(keySchema, []byte(schemaVersion)); err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	return &Index{idx: idx, mapping: m, tally: newTally()}, nil
}

// Close flushes and closes the index and ends every Watcher. Closing twice
// is harmless.
func (ix *Index) Close() error {
	ix.close.Do(func() {
		ix.watchers.closeAll()
		if err := ix.idx.Close(); err != nil {
			ix.closeErr = fmt.Errorf("close index: %w", err)
		}
	})
	return ix.closeErr
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
