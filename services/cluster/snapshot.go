package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/cluster"
	"github.com/newsdedup/newsdedup/services/bus"
)

// SnapshotBucket is the object store that holds the clustering engine's
// latest snapshot, so that a new leader replays only the articles after it.
const SnapshotBucket = "CLUSTER_SNAPSHOT"

// snapshotObject is the one object of the bucket: each snapshot replaces
// the last (the store swaps it in once all its chunks are stored).
const snapshotObject = "engine"

// Metadata of the snapshot object.
const (
	metaSeq      = "seq"      // ARTICLES sequence of the last input (article or correction) it includes
	metaFormat   = "format"   // cluster.SnapshotVersion
	metaArticles = "articles" // articles in active stories
	metaStories  = "stories"  // active stories
)

// ErrNoSnapshot is returned by SnapshotStore.Open when none was stored.
var ErrNoSnapshot = errors.New("no clustering snapshot stored")

// SnapshotInfo describes a snapshot.
type SnapshotInfo struct {
	Seq      uint64 // ARTICLES sequence of the last input (article or correction) included
	Format   int    // snapshot format version
	Articles int
	Stories  int
	Size     uint64 // bytes
	Taken    time.Time
}

// SnapshotStore keeps the latest engine snapshot in a JetStream object
// store, with its stream sequence in the object's metadata.
type SnapshotStore struct {
	obs jetstream.ObjectStore
}

// OpenSnapshots creates (or opens) the snapshot bucket, with as many
// replicas as the streams.
func OpenSnapshots(ctx context.Context, js jetstream.JetStream, replicas int) (*SnapshotStore, error) {
	obs, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      SnapshotBucket,
		Description: "newsdedup: the clustering engine's latest state and the article it reaches",
		Storage:     jetstream.FileStorage,
		Replicas:    max(replicas, 1),
	})
	if err != nil {
		return nil, fmt.Errorf("snapshot bucket: %w", err)
	}
	return &SnapshotStore{obs: obs}, nil
}

// Save stores data as the latest snapshot.
func (s *SnapshotStore) Save(ctx context.Context, data []byte, info SnapshotInfo) error {
	_, err := s.obs.Put(ctx, jetstream.ObjectMeta{
		Name:        snapshotObject,
		Description: fmt.Sprintf("clustering state up to ARTICLES sequence %d", info.Seq),
		Metadata: map[string]string{
			metaSeq:      strconv.FormatUint(info.Seq, 10),
			metaFormat:   strconv.Itoa(info.Format),
			metaArticles: strconv.Itoa(info.Articles),
			metaStories:  strconv.Itoa(info.Stories),
		},
	}, bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("store snapshot: %w", err)
	}
	return nil
}

// Open returns the latest snapshot's description and its content, which
// the caller closes. The content's digest is checked as it is read to its
// end.
func (s *SnapshotStore) Open(ctx context.Context) (SnapshotInfo, jetstream.ObjectResult, error) {
	res, err := s.obs.Get(ctx, snapshotObject)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return SnapshotInfo{}, nil, ErrNoSnapshot
	}
	if err != nil {
		return SnapshotInfo{}, nil, fmt.Errorf("open snapshot: %w", err)
	}
	oi, err := res.Info()
	if err != nil {
		res.Close()
		return SnapshotInfo{}, nil, fmt.Errorf("snapshot info: %w", err)
	}
	info := SnapshotInfo{Size: oi.Size, Taken: oi.ModTime}
	info.Seq, err = strconv.ParseUint(oi.Metadata[metaSeq], 10, 64)
	if err == nil {
		info.Format, err = strconv.Atoi(oi.Metadata[metaFormat])
	}
	if err != nil {
		res.Close()
		return SnapshotInfo{}, nil, fmt.Errorf("snapshot metadata %v: %w", oi.Metadata, err)
	}
	info.Articles, _ = strconv.Atoi(oi.Metadata[metaArticles])
	info.Stories, _ = strconv.Atoi(oi.Metadata[metaStories])
	return info, res, nil
}

// load reads the latest snapshot into e, a fresh engine, unless it cannot
// serve: none stored, another format, past the end of the stream (which was
// then recreated), unreadable, or taken with another configuration. Then it
// says why and e stays empty.
func (s *SnapshotStore) load(ctx context.Context, js jetstream.JetStream, e *cluster.Engine) (SnapshotInfo, error) {
	info, res, err := s.Open(ctx)
	if err != nil {
		return info, err
	}
	defer res.Close()
	if info.Format != cluster.SnapshotVersion {
		return info, fmt.Errorf("snapshot format %d, this build reads %d", info.Format, cluster.SnapshotVersion)
	}
	st, err := js.Stream(ctx, bus.StreamArticles)
	if err != nil {
		return info, fmt.Errorf("article stream: %w", err)
	}
	si, err := st.Info(ctx)
	if err != nil {
		return info, fmt.Errorf("article stream info: %w", err)
	}
	if info.Seq > si.State.LastSeq {
		return info, fmt.Errorf("snapshot reaches sequence %d but the article stream ends at %d: the stream was recreated", info.Seq, si.State.LastSeq)
	}
	if err := e.ReadSnapshot(res); err != nil {
		return info, err
	}
	return info, nil
}

// SnapshotStat describes one snapshot taken, for metrics.
type SnapshotStat struct {
	Info   SnapshotInfo
	Encode time.Duration // the engine was paused this long
	Store  time.Duration
	Err    error
}

// Snapshotter takes the engine's snapshot once so many messages or so much
// time have passed since the last, from the worker's Checkpoint hook. With
// one handler at a time the hook runs between inputs, so the engine holds
// exactly the messages settled so far (and any whose outputs failed to
// publish: redelivered, they re-announce their stories). The engine is
// paused only while it is encoded; the upload runs behind, one at a time.
type Snapshotter struct {
	store    *SnapshotStore
	engine   *cluster.Engine
	every    int
	interval time.Duration
	log      *slog.Logger
	observe  func(SnapshotStat)

	handled atomic.Int64 // messages handled since the last checkpoint

	mu    sync.Mutex
	seq   uint64 // highest sequence settled
	saved uint64 // sequence of the last snapshot stored
	since int    // messages settled since the last snapshot taken
	last  time.Time
	busy  bool // a snapshot is being stored
	size  int  // the last snapshot's size, to size the next one's buffer
	wg    sync.WaitGroup
}

// NewSnapshotter snapshots e into store once every messages (0: never by
// count) or interval (0: never by time) have passed, both 0 turning
// snapshots off; observe, if set, is told of each snapshot. Its Counting must wrap the stage's handler and
// its Checkpoint be the worker's hook.
func NewSnapshotter(store *SnapshotStore, e *cluster.Engine, every int, interval time.Duration, log *slog.Logger, observe func(SnapshotStat)) *Snapshotter {
	return &Snapshotter{store: store, engine: e, every: every, interval: interval, log: log, observe: observe, last: time.Now()}
}

// Restored tells the snapshotter what Restore rebuilt: a snapshot up to
// seq, then replayed messages on top. A long replay is saved at once, so
// that the next restart does not repeat it.
func (s *Snapshotter) Restored(ctx context.Context, r Restored) {
	s.mu.Lock()
	s.saved = r.SnapshotSeq
	s.mu.Unlock()
	s.settled(ctx, max(r.SnapshotSeq, r.UpTo), r.Replayed)
}

// Counting wraps the stage's handler to count the messages the engine
// takes: checkpoints come per batch of inputs, and the stream's sequence
// numbers count other subjects too.
func (s *Snapshotter) Counting(h bus.Handler) bus.Handler {
	return func(ctx context.Context, data []byte) ([]bus.Out, error) {
		s.handled.Add(1)
		return h(ctx, data)
	}
}

// Checkpoint is bus.Worker's hook, called once inputs are settled with the
// highest stream sequence among them.
func (s *Snapshotter) Checkpoint(ctx context.Context, streamSeq uint64) {
	s.settled(ctx, streamSeq, int(s.handled.Swap(0)))
}

func (s *Snapshotter) settled(ctx context.Context, seq uint64, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// A redelivered message settles below messages settled after it.
	s.seq = max(s.seq, seq)
	s.since += n
	if s.since == 0 || s.busy {
		return
	}
	if (s.every <= 0 || s.since < s.every) && (s.interval <= 0 || time.Since(s.last) < s.interval) {
		return
	}
	s.take(ctx)
}

// Wait waits for the snapshot being stored, if any.
func (s *Snapshotter) Wait() { s.wg.Wait() }

// Flush takes a last snapshot if messages settled since the last one
// stored (unless snapshots are off: every and interval 0), and waits for
// the uploads. Call it once the worker stopped.
func (s *Snapshotter) Flush(ctx context.Context) {
	s.wg.Wait()
	s.mu.Lock()
	if (s.every > 0 || s.interval > 0) && s.seq > s.saved {
		s.take(ctx)
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// take encodes the engine now and stores it behind; s.mu is held and no
// snapshot is being stored. The buffer is let go once stored: at 100,000
// active stories it holds some 100 MB that the heap would otherwise carry
// from one snapshot to the next, in a process bounded to 1 GB. It starts
// at the last snapshot's size and an eighth, so that the encoding, while
// the engine is paused, rarely has to grow it.
func (s *Snapshotter) take(ctx context.Context) {
	start := time.Now()
	buf := new(bytes.Buffer)
	buf.Grow(s.size + s.size/8)
	err := s.engine.WriteSnapshot(buf)
	s.size = buf.Len()
	st := s.engine.Stats()
	stat := SnapshotStat{Encode: time.Since(start), Info: SnapshotInfo{
		Seq: s.seq, Format: cluster.SnapshotVersion, Articles: st.Articles, Stories: st.ActiveStories,
		Size: uint64(buf.Len()), Taken: start,
	}}
	s.since, s.last = 0, start
	if err != nil {
		stat.Err = err
		s.done(stat)
		return
	}
	s.busy = true
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		// The upload outlives a stopping worker: the snapshot is good.
		up, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
		defer cancel()
		t := time.Now()
		stat.Err = s.store.Save(up, buf.Bytes(), stat.Info)
		stat.Store = time.Since(t)
		s.mu.Lock()
		s.busy = false
		if stat.Err == nil {
			s.saved = max(s.saved, stat.Info.Seq)
		}
		s.mu.Unlock()
		s.done(stat)
	}()
}

func (s *Snapshotter) done(stat SnapshotStat) {
	if stat.Err != nil {
		s.log.Warn("clustering snapshot failed; the last one stays", "seq", stat.Info.Seq, "err", stat.Err)
	} else {
		s.log.Info("clustering snapshot stored", "seq", stat.Info.Seq, "stories", stat.Info.Stories,
			"articles", stat.Info.Articles, "bytes", stat.Info.Size,
			"encode", stat.Encode.Round(time.Millisecond), "store", stat.Store.Round(time.Millisecond))
	}
	if s.observe != nil {
		s.observe(stat)
	}
}
