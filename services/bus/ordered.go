package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// orderedBatch bounds how many inputs an in-order worker handles before it
// publishes their outputs together. It stays within the cluster consumer's
// MaxAckPending, which bounds what the server hands out anyway.
const orderedBatch = 64

// asyncAckWait is how long a pipelined publish waits for its stream ack
// before it is retried on its own (its message id keeps a retry single).
const asyncAckWait = 5 * time.Second

// runOrdered is the worker loop with concurrency 1. Inputs are handled one
// by one in stream order, but whatever has already arrived is taken as a
// batch: its outputs are published pipelined, in input order, and the
// inputs are acked after their outputs are stored. One round trip per batch
// instead of one per output is what lets a stateful stage keep up.
func (w *Worker) runOrdered(ctx context.Context, cons jetstream.Consumer, log *slog.Logger) error {
	work := context.WithoutCancel(ctx)
	var prep *preparers
	if w.Prepare != nil {
		prep = w.startPreparers(work, runtime.GOMAXPROCS(0))
		defer prep.stop()
	}
	msgs := make(chan jetstream.Msg, orderedBatch)
	cc, err := cons.Consume(func(msg jetstream.Msg) { msgs <- msg }, pullOptions(orderedBatch, log)...)
	if err != nil {
		return fmt.Errorf("stage %s: consume: %w", w.Stage.Name, err)
	}
	go func() {
		untilConsumed(ctx, cc)
		close(msgs)
	}()
	batch := make([]jetstream.Msg, 0, orderedBatch)
	for msg := range msgs {
		batch = append(batch[:0], msg)
	fill:
		for len(batch) < orderedBatch {
			select {
			case m, ok := <-msgs:
				if !ok {
					break fill
				}
				batch = append(batch, m)
			default:
				break fill
			}
		}
		w.processBatch(work, ctx, log, batch, prep)
	}
	log.Info("stage stopped")
	return nil
}

// processBatch handles, publishes and settles a batch of inputs in order.
// ctx carries the work (it outlives the stage's stop, so a batch drains);
// stage ends with the stage, and stops the wait for unstored outputs.
func (w *Worker) processBatch(ctx, stage context.Context, log *slog.Logger, batch []jetstream.Msg, prep *preparers) {
	start := time.Now()
	stop := keepBatchInProgress(batch, AckWait/3)
	errs := make([]error, len(batch))
	prepared := prep.all(batch, errs)
	var outs []Out
	var owner []int // index in batch of each output
	for i, msg := range batch {
		if errs[i] != nil {
			continue
		}
		hctx := context.WithValue(ctx, subjectKey{}, msg.Subject())
		if meta, err := msg.Metadata(); err == nil {
			hctx = context.WithValue(hctx, sequenceKey{}, meta.Sequence.Stream)
		}
		if prepared != nil {
			hctx = context.WithValue(hctx, preparedKey{}, prepared[i])
		}
		o, err := w.handle(hctx, msg.Data())
		errs[i] = err
		if err != nil {
			continue
		}
		for _, x := range o {
			outs = append(outs, x)
			owner = append(owner, i)
		}
	}
	for j, err := range w.storeOutputs(ctx, stage, log, outs) {
		if err != nil && errs[owner[j]] == nil {
			errs[owner[j]] = err
		}
	}
	holdBackAfterRetry(batch, errs)
	stop()
	var last uint64
	for i, msg := range batch {
		outcome := w.settle(ctx, log, msg, errs[i])
		if w.Observe != nil {
			w.Observe(time.Since(start), outcome)
		}
		if outcome != "retry" {
			if meta, err := msg.Metadata(); err == nil {
				last = max(last, meta.Sequence.Stream)
			}
		}
	}
	if w.Checkpoint != nil && last > 0 {
		w.Checkpoint(ctx, last)
	}
}

// storeOutputs publishes a batch's outputs in order and, while the stage
// runs, waits for those that failed for a reason a retry can cure (a
// timeout, no quorum, a reconnect) and sends them again, in order, until
// they are stored: the inputs are neither acked nor given up meanwhile, and
// no later input is taken. A stateful stage has already taken the inputs
// into its state; had it acked later inputs while one waited for
// redelivery, a restart replaying its state up to the consumer's ack floor
// would leave those later ones out. Errors a retry cannot cure (a payload
// over the limit) return at once.
func (w *Worker) storeOutputs(ctx, stage context.Context, log *slog.Logger, outs []Out) []error {
	errs := publishPipelined(ctx, w.JS, outs, w.publishRetry())
	pause, waited := holdFirstPause, false
	for {
		var again []int
		for j, err := range errs {
			if err != nil && transient(err) {
				again = append(again, j)
			}
		}
		if len(again) == 0 || stage.Err() != nil {
			if waited && w.Waiting != nil {
				w.Waiting(0) // no longer waiting: stored, or given back
			}
			return errs
		}
		waited = true
		if w.Waiting != nil {
			w.Waiting(len(again))
		}
		log.Error("outputs not stored: the batch waits and sends them again; no later input is acknowledged meanwhile",
			"outputs", len(again), "of", len(outs), "err", errs[again[0]], "next_try_in", pause)
		select {
		case <-stage.Done():
		case <-time.After(pause):
		}
		pause = min(2*pause, holdMaxPause)
		if stage.Err() != nil {
			continue // reports 0 and returns
		}
		sub := make([]Out, len(again))
		for k, j := range again {
			sub[k] = outs[j]
		}
		for k, err := range publishPipelined(ctx, w.JS, sub, w.publishRetry()) {
			errs[again[k]] = err
		}
	}
}

// The pauses between an ordered stage's tries at storing a batch's
// outputs: from holdFirstPause, doubling up to holdMaxPause.
const (
	holdFirstPause = 500 * time.Millisecond
	holdMaxPause   = 10 * time.Second
)

// errHeldBack is the outcome of an input whose outputs were stored but
// which follows, in its batch, an input that will come again: it comes
// again too, so that nothing is acked past an input not yet settled.
var errHeldBack = errors.New("held back behind an earlier input that will be retried")

// holdBackAfterRetry marks every successful input after the first one that
// will be retried (see errHeldBack). When the stage stops while outputs
// wait, that input and those after it come again: to this process, whose
// state holds them, they re-announce their stories; after a restart, which
// replays the state up to the ack floor below them, they are taken anew.
func holdBackAfterRetry(batch []jetstream.Msg, errs []error) {
	for i, err := range errs {
		if !willRetry(batch[i], err) {
			continue
		}
		for j := i + 1; j < len(errs); j++ {
			// One whose deliveries are spent would not come again: acked.
			if errs[j] == nil && deliveries(batch[j]) < MaxDeliver {
				errs[j] = errHeldBack
			}
		}
		return
	}
}

// preparedKey carries Prepare's result to Handle.
type preparedKey struct{}

// Prepared returns what Worker.Prepare returned for the input being handled.
func Prepared(ctx context.Context) any { return ctx.Value(preparedKey{}) }

// subjectKey carries the subject of the input to Prepare and Handle.
type subjectKey struct{}

// Subject returns the subject of the input being prepared or handled: a
// stage that reads several subjects (Stage.Also) tells them apart by it.
func Subject(ctx context.Context) string {
	s, _ := ctx.Value(subjectKey{}).(string)
	return s
}

// sequenceKey carries the stream sequence of the input to Handle.
type sequenceKey struct{}

// Sequence returns the stream sequence of the input an in-order worker is
// handling (0 elsewhere): where the stage can read it again.
func Sequence(ctx context.Context) uint64 {
	s, _ := ctx.Value(sequenceKey{}).(uint64)
	return s
}

// preparers run Prepare on the inputs of each batch, as many at once as
// there are CPUs. They live as long as the worker: goroutines started per
// batch grew fresh stacks to Prepare's depth every time.
type preparers struct {
	jobs chan prepJob
	wg   sync.WaitGroup
}

// prepJob is one input to prepare; its result goes to *out and *err.
type prepJob struct {
	subject string
	data    []byte
	out     *any
	err     *error
	done    *sync.WaitGroup
}

func (w *Worker) startPreparers(ctx context.Context, n int) *preparers {
	p := &preparers{jobs: make(chan prepJob)}
	for range max(n, 1) {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				*j.out, *j.err = w.prepareOne(context.WithValue(ctx, subjectKey{}, j.subject), j.data)
				j.done.Done()
			}
		}()
	}
	return p
}

func (p *preparers) stop() {
	close(p.jobs)
	p.wg.Wait()
}

// all runs Prepare on every input of the batch (nil p: no Prepare); a
// failure (or panic) is recorded in errs.
func (p *preparers) all(batch []jetstream.Msg, errs []error) []any {
	if p == nil {
		return nil
	}
	out := make([]any, len(batch))
	var done sync.WaitGroup
	done.Add(len(batch))
	for i := range batch {
		p.jobs <- prepJob{subject: batch[i].Subject(), data: batch[i].Data(), out: &out[i], err: &errs[i], done: &done}
	}
	done.Wait()
	return out
}

func (w *Worker) prepareOne(ctx context.Context, data []byte) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Poison(fmt.Errorf("prepare panic: %v", r))
		}
	}()
	return w.Prepare(ctx, data)
}

// publishPipelined sends every output without waiting between them, then
// waits for their stream acks; an output whose ack fails or does not come
// is retried on its own as Publish does, for up to retryFor. It returns one
// error per output.
func publishPipelined(ctx context.Context, js jetstream.JetStream, outs []Out, retryFor time.Duration) []error {
	errs := make([]error, len(outs))
	futures := make([]jetstream.PubAckFuture, len(outs))
	for i, o := range outs {
		m := o.message()
		var opts []jetstream.PublishOpt
		if o.MsgID != "" {
			opts = append(opts, jetstream.WithMsgID(o.MsgID))
		}
		f, err := js.PublishMsgAsync(m, opts...)
		if err != nil {
			errs[i] = err
			continue
		}
		futures[i] = f
	}
	timeout := time.NewTimer(asyncAckWait)
	defer timeout.Stop()
	expired := false
	for i, f := range futures {
		if f == nil {
			continue
		}
		if expired {
			errs[i] = nats.ErrTimeout
			continue
		}
		select {
		case <-f.Ok():
		case err := <-f.Err():
			errs[i] = err
		case <-timeout.C:
			expired = true
			errs[i] = nats.ErrTimeout
		case <-ctx.Done():
			errs[i] = ctx.Err()
		}
	}
	for i, err := range errs {
		if err == nil {
			continue
		}
		if !transient(err) {
			errs[i] = fmt.Errorf("publish to %s: %w", outs[i].Subject, err)
			continue
		}
		errs[i] = publishOne(ctx, js, outs[i], retryFor)
	}
	return errs
}

// keepBatchInProgress signals every interval that a batch's inputs are
// still being worked on.
func keepBatchInProgress(batch []jetstream.Msg, every time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				for _, m := range batch {
					_ = m.InProgress()
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// Unsettled tells whether the stage's durable consumer has delivered
// messages it has not had acknowledged: after an in-order worker stopped
// while outputs waited (it gives the inputs back), those inputs are in its
// state but will come again. A stateful stage should then not snapshot
// that state on its way out: the next instance, restoring the snapshot
// before and replaying up to the ack floor, takes them anew.
func Unsettled(ctx context.Context, js jetstream.JetStream, stage Stage) (bool, error) {
	cons, err := js.Consumer(ctx, stage.Stream, stage.Name)
	if err != nil {
		return false, fmt.Errorf("stage %s: open consumer: %w", stage.Name, err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return false, fmt.Errorf("stage %s: consumer info: %w", stage.Name, err)
	}
	return info.Delivered.Stream > info.AckFloor.Stream, nil
}
