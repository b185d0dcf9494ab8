package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
)

// maxBatch bounds how many story events go into one index batch: bleve's
// cost per event falls with the batch (docs/performance.md: about 7.5 ms
// at 10 events, 4.6 at 150, 2.6–3.1 at 1,000), so a replay or a backlog is
// applied in large batches.
const maxBatch = 1000

// maxBatchBytes bounds a batch by the size of its events as they travel:
// an event carries the new articles' texts, and a version 1 event (older
// streams) or a large merge its story's members, so 1,000 such events held
// decoded would take tens of MB.
const maxBatchBytes = 8 << 20

// pullBytes bounds the story events the client buffers ahead of the
// indexer; it must exceed the largest message (bus.MaxPayload).
const pullBytes = 2 * bus.MaxPayload

// DefaultFlushGap is how long an event waits for others to share its index
// batch when the index has caught up with the stream: short next to how
// fast a reader notices, long enough that at 100 events/s a batch holds
// some 25 events rather than 10. Measured at 100 articles/s offered, the
// whole process used 37 % less CPU than with 100 ms; 500 ms and 1 s saved
// no more (docs/performance.md).
const DefaultFlushGap = 250 * time.Millisecond

// DefaultRefresh is the index's refresh interval (index.SetRefresh): a
// story whose document was written less than this ago has its next write
// deferred until this has passed, so a story updated by many events under
// load is re-indexed about once a second rather than with every batch. New
// stories and merges are written at once, and a story read by id is always
// its newest version.
const DefaultRefresh = time.Second

// Indexer keeps a search replica's bleve index up to date from the stories
// stream. Each replica reads the stream on its own (an ordered consumer)
// from the sequence after its last checkpoint, so a lost index is rebuilt by
// replaying the stream from the start.
type Indexer struct {
	JS    jetstream.JetStream
	Index *index.Index
	Log   *slog.Logger
	// FlushGap is how long an event waits for others to share its batch
	// (DefaultFlushGap when zero).
	FlushGap time.Duration
	// Refresh is the index's refresh interval; 0 gives DefaultRefresh,
	// a negative one none (every batch writes every story it changes).
	Refresh time.Duration

	applied atomic.Uint64
	caught  atomic.Bool
}

// Applied is the stories-stream sequence up to which every event is
// searchable: the index's checkpoint, which stays below the events of
// stories whose writes the refresh interval deferred.
func (ix *Indexer) Applied() uint64 { return ix.applied.Load() }

// Ready reports whether the index has caught up with the stream once.
func (ix *Indexer) Ready() error {
	if !ix.caught.Load() {
		return errors.New("index is catching up with the stories stream")
	}
	return nil
}

// Run applies story events until ctx ends.
func (ix *Indexer) Run(ctx context.Context) error {
	from, err := ix.Index.Checkpoint()
	if err != nil {
		return fmt.Errorf("indexer: read checkpoint: %w", err)
	}
	ix.applied.Store(from)
	refresh := ix.Refresh
	switch {
	case refresh == 0:
		refresh = DefaultRefresh
	case refresh < 0:
		refresh = 0
	}
	ix.Index.SetRefresh(refresh)
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: []string{bus.SubjectStories + ".>"}}
	if from > 0 {
		cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
		cfg.OptStartSeq = from + 1
	}
	oc, err := ix.JS.OrderedConsumer(ctx, bus.StreamStories, cfg)
	if err != nil {
		return fmt.Errorf("indexer: ordered consumer: %w", err)
	}
	if info, err := oc.Info(ctx); err == nil && info.NumPending == 0 {
		ix.caught.Store(true)
	} else if err != nil {
		ix.caught.Store(true)
	}
	// Bounded in bytes, not in messages: version 1 events carried their
	// whole story, and 500 events of large stories (the client's default)
	// buffered ahead of the index took tens of MB in a 100,000-article run.
	it, err := oc.Messages(jetstream.PullMaxBytes(pullBytes))
	if err != nil {
		return fmt.Errorf("indexer: %w", err)
	}
	go func() {
		<-ctx.Done()
		it.Stop()
	}()
	// Events are applied in batches: while the stream is ahead of the index
	// (catching up after a restart, or a burst) up to maxBatch (or
	// maxBatchBytes) at a time, and when it is not, whatever arrived within
	// the flush gap. Every bleve batch
	// becomes a segment that must later be merged, so a steady trickle of
	// one-event batches would cost far more than the events themselves.
	msgs := make(chan jetstream.Msg, 256)
	go func() {
		defer close(msgs)
		for {
			msg, err := it.Next()
			if err != nil {
				if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
					return
				}
				ix.Log.Warn("indexer: pull failed", "err", err)
				continue
			}
			msgs <- msg
		}
	}()
	var batch []story.Event
	var seqs []uint64
	var lastSeq uint64
	var batchBytes int
	// refreshTimer fires when the earliest story deferred by the refresh
	// interval is due, so that it is written even when no event comes.
	refreshTimer := time.NewTimer(time.Hour)
	refreshTimer.Stop()
	armRefresh := func() {
		refreshTimer.Stop()
		if due, ok := ix.Index.NextRefresh(); ok {
			refreshTimer.Reset(max(time.Until(due), time.Millisecond))
		}
	}
	flush := func() {
		if lastSeq == 0 {
			return
		}
		cp, err := ix.Index.ApplyStream(batch, seqs, lastSeq)
		if err != nil {
			ix.Log.Error("indexer: apply failed", "events", len(batch), "up_to_seq", lastSeq, "err", err)
		} else {
			ix.applied.Store(cp)
		}
		clear(batch) // the backing array is reused: let the events go
		batch, seqs, lastSeq, batchBytes = batch[:0], seqs[:0], 0, 0
		armRefresh()
	}
	gap := ix.FlushGap
	if gap <= 0 {
		gap = DefaultFlushGap
	}
	timer := time.NewTimer(gap)
	timer.Stop()
	for {
		select {
		case <-timer.C:
			flush()
			continue
		case <-refreshTimer.C:
			if lastSeq != 0 {
				// The batch, within the gap, writes the stories due:
				// cutting it short would make more, smaller batches.
				continue
			}
			// Stories due within the gap share this batch.
			if cp, err := ix.Index.Refresh(time.Now().Add(gap)); err != nil {
				ix.Log.Error("indexer: refresh failed", "err", err)
				refreshTimer.Reset(gap) // the stories stay due: not at once
			} else {
				ix.applied.Store(cp)
				armRefresh()
			}
			continue
		case msg, ok := <-msgs:
			if !ok {
				flush()
				return nil
			}
			meta, err := msg.Metadata()
			if err != nil {
				ix.Log.Warn("indexer: no metadata", "err", err)
				continue
			}
			if ev, err := story.Decode(msg.Data()); err != nil {
				// A bad event cannot be fixed by retrying: skip it, loudly.
				ix.Log.Error("indexer: undecodable story event skipped", "seq", meta.Sequence.Stream, "err", err)
			} else {
				batch = append(batch, ev)
				seqs = append(seqs, meta.Sequence.Stream)
			}
			first := lastSeq == 0
			lastSeq = meta.Sequence.Stream
			batchBytes += len(msg.Data())
			switch {
			case len(batch) >= maxBatch || batchBytes >= maxBatchBytes:
				timer.Stop()
				flush()
			case first:
				timer.Reset(gap)
			}
			if meta.NumPending == 0 {
				ix.caught.Store(true)
			}
		}
	}
}
