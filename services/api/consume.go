package api

import (
	"cmp"
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

// DefaultBusyGap is how long a batch may keep filling when the stream is
// busy, when a flush gap has gathered busyEvents or more: by default no
// longer than the flush gap, so off. A batch of up to a second's events
// costs bleve a third less per event than four of a quarter second each
// (docs/performance.md, "A busy gap"), but in the whole pipeline that
// saved no measurable CPU, while analysing such a batch put the heap up
// to 100 MB over its limit and the process over 1 GB at 100,000 articles
// (docs/performance.md, stop 30). An operator indexing a heavy stream on
// a roomier machine may set it longer (--index-busy-gap).
const DefaultBusyGap = DefaultFlushGap

// busyEvents is how many events a flush gap must gather for the stream to
// count as busy.
const busyEvents = 64

// DefaultRefresh is the index's refresh interval (index.SetRefresh): a
// story whose document was written less than this ago has its next write
// deferred until this has passed, so a story updated by many events under
// load is re-indexed about once a second rather than with every batch. New
// stories and merges are written at once, and a story read by id is always
// its newest version.
const DefaultRefresh = time.Second

// DefaultRetry is the pause before a failed index batch is retried. A batch
// is tried batchTries times in all, the pause doubling each time (15 s
// from first failure to last try with the default), which rides out a
// brief outage; then its events are tried one by one and those that
// still fail are dead-lettered, so neither a poison event nor a long outage
// holds the rest of the stream back, and nothing is lost: a dead-lettered
// event can be replayed (newsdedup dlq replay) once the cause is fixed.
const DefaultRetry = time.Second

// batchTries is how many times a failed batch is tried whole before its
// events are tried one by one (once each: the batch's retries have waited
// out what waiting can fix).
const batchTries = 5

// indexerStage names the indexer's dead-letter records (dlq.indexer).
const indexerStage = "indexer"

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
	// BusyGap is how long a busy batch may keep filling (DefaultBusyGap
	// when zero; no longer than FlushGap: never busy).
	BusyGap time.Duration
	// Refresh is the index's refresh interval; 0 gives DefaultRefresh,
	// a negative one none (every batch writes every story it changes).
	Refresh time.Duration
	// Retry is the pause before the first retry of a failed batch, doubled
	// for each further one (DefaultRetry when zero).
	Retry time.Duration
	// Retain, when not zero, is how long a story stays in the index after
	// its last update: older ones are pruned at start and every
	// PruneEvery (index.Prune).
	Retain time.Duration
	// PruneEvery is the pause between prunes (DefaultPruneEvery when zero).
	PruneEvery time.Duration

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

// DefaultPruneEvery is how often a retention policy prunes the index.
const DefaultPruneEvery = time.Hour

// Run applies story events until ctx ends.
func (ix *Indexer) Run(ctx context.Context) error {
	if ix.Retain > 0 {
		pctx, stop := context.WithCancel(ctx)
		pruned := make(chan struct{})
		go func() {
			defer close(pruned)
			ix.pruneEvery(pctx)
		}()
		// Run's caller closes the index once it returns.
		defer func() {
			stop()
			<-pruned
		}()
	}
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
	var raws [][]byte // each event as it travelled, for its dead-letter record
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
	// idleTimer fires when no event came for the index's own refresh
	// interval after a batch: the stories still waiting for theirs (a big
	// story's is up to five times as long; it saves rewrites while events
	// keep coming) are then written at once, rather than searchable up to
	// 5 s late after a burst ends.
	idleTimer := time.NewTimer(time.Hour)
	idleTimer.Stop()
	flush := func() {
		if lastSeq == 0 {
			return
		}
		if cp, err := ix.apply(ctx, batch, seqs, raws, lastSeq); err != nil {
			ix.Log.Error("indexer: batch not applied", "events", len(batch), "up_to_seq", lastSeq, "err", err)
		} else {
			ix.applied.Store(cp)
		}
		clear(batch) // the backing arrays are reused: let the events go
		clear(raws)
		batch, seqs, raws, lastSeq, batchBytes = batch[:0], seqs[:0], raws[:0], 0, 0
		armRefresh()
		if refresh > 0 {
			idleTimer.Reset(refresh)
		}
	}
	gap := ix.FlushGap
	if gap <= 0 {
		gap = DefaultFlushGap
	}
	busyGap := ix.BusyGap
	if busyGap == 0 {
		busyGap = DefaultBusyGap
	}
	var started time.Time // when the batch's first event came
	timer := time.NewTimer(gap)
	timer.Stop()
	for {
		select {
		case <-timer.C:
			if wait := busyWait(len(batch), time.Since(started), busyGap); wait > 0 {
				timer.Reset(wait)
				continue
			}
			flush()
			continue
		case <-idleTimer.C:
			if _, waiting := ix.Index.NextRefresh(); lastSeq != 0 || !waiting {
				continue
			}
			if cp, err := ix.Index.Refresh(time.Time{}); err != nil {
				ix.Log.Error("indexer: refresh failed", "err", err)
			} else {
				ix.applied.Store(cp)
				armRefresh()
			}
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
				// A bad event cannot be fixed by retrying: record it and
				// go on.
				ix.Log.Error("indexer: undecodable story event skipped", "seq", meta.Sequence.Stream, "err", err)
				ix.deadLetter(ctx, msg.Subject(), meta.Sequence.Stream, msg.Data(), err)
			} else {
				batch = append(batch, ev)
				seqs = append(seqs, meta.Sequence.Stream)
				raws = append(raws, msg.Data())
			}
			idleTimer.Stop()
			first := lastSeq == 0
			lastSeq = meta.Sequence.Stream
			batchBytes += len(msg.Data())
			switch {
			case len(batch) >= maxBatch || batchBytes >= maxBatchBytes:
				timer.Stop()
				flush()
			case first:
				started = time.Now()
				timer.Reset(gap)
			}
			if meta.NumPending == 0 {
				ix.caught.Store(true)
			}
		}
	}
}

// apply writes a batch into the index, retrying it whole while it fails
// (batchTries times, the pause doubling), then event by event, dead-
// lettering the events that fail alone, so that one poison event or an
// outage longer than the retries costs only the events concerned, each
// with a record to replay. It returns the checkpoint reached; an error
// when ctx ended first or the checkpoint after dead letters failed.
func (ix *Indexer) apply(ctx context.Context, evs []story.Event, seqs []uint64, raws [][]byte, upTo uint64) (uint64, error) {
	pause := ix.Retry
	if pause <= 0 {
		pause = DefaultRetry
	}
	var err error
	for try := 1; try <= batchTries; try++ {
		var cp uint64
		if cp, err = ix.Index.ApplyStream(evs, seqs, upTo); err == nil {
			return cp, nil
		}
		if errors.Is(err, index.ErrInvalidEvent) {
			break // the same events fail the same way: find the culprit
		}
		if try == batchTries {
			break
		}
		ix.Log.Warn("indexer: batch failed, retrying", "events", len(evs), "up_to_seq", upTo, "try", try, "err", err)
		if !sleep(ctx, pause<<(try-1)) {
			return 0, ctx.Err()
		}
	}
	ix.Log.Warn("indexer: applying a failed batch event by event", "events", len(evs), "up_to_seq", upTo, "err", err)
	for i, ev := range evs {
		// Up to its own sequence only: the checkpoint must not pass the
		// events after it until they are in.
		if _, err := ix.Index.ApplyStream(evs[i:i+1], seqs[i:i+1], seqs[i]); err != nil {
			ix.Log.Error("indexer: story event dead-lettered", "seq", seqs[i], "story", ev.Story.ID, "err", err)
			ix.deadLetter(ctx, bus.StoriesSubject(ev.Type), seqs[i], raws[i], err)
		}
	}
	// Every event of the batch is now written or dead-lettered: record
	// the checkpoint up to the batch's end (undecodable events included).
	cp, err := ix.Index.ApplyStream(nil, nil, upTo)
	if err != nil {
		return 0, fmt.Errorf("indexer: checkpoint after dead letters: %w", err)
	}
	return cp, nil
}

// deadLetter records a story event the index could not take. A failure to
// record it is logged: the event stays in the stories stream, and a
// rebuilt index replays it.
func (ix *Indexer) deadLetter(ctx context.Context, subject string, seq uint64, data []byte, reason error) {
	rec := bus.DeadLetterRecord{V: 1, Stage: indexerStage, Reason: reason.Error(), Subject: subject,
		StreamSeq: seq, Deliveries: 1, At: time.Now().UTC(), Data: data}
	if err := bus.PublishDeadLetter(ctx, ix.JS, rec); err != nil {
		ix.Log.Error("indexer: dead-letter record not written", "seq", seq, "err", err)
	}
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// busyWait is how much longer a batch of n events, started elapsed ago,
// keeps filling when its flush gap ends: the rest of the busy gap if the
// gap gathered busyEvents or more, else nothing (flush now).
func busyWait(n int, elapsed, busyGap time.Duration) time.Duration {
	if n < busyEvents || elapsed >= busyGap {
		return 0
	}
	return busyGap - elapsed
}

// pruneEvery prunes the stories older than the retention at once and then
// every PruneEvery, until ctx ends. A failed prune is logged and tried
// again at the next one: what it leaves is only kept longer.
func (ix *Indexer) pruneEvery(ctx context.Context) {
	every := cmp.Or(ix.PruneEvery, DefaultPruneEvery)
	for {
		cutoff := time.Now().Add(-ix.Retain)
		if n, err := ix.Index.Prune(cutoff); err != nil {
			ix.Log.Warn("indexer: prune failed", "before", cutoff, "err", err)
		} else if n > 0 {
			ix.Log.Info("indexer: pruned stories past the retention", "stories", n, "last_updated_before", cutoff)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
