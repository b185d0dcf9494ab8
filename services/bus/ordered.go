package bus

import (
	"context"
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
		w.processBatch(work, log, batch, prep)
	}
	log.Info("stage stopped")
	return nil
}

// processBatch handles, publishes and settles a batch of inputs in order.
func (w *Worker) processBatch(ctx context.Context, log *slog.Logger, batch []jetstream.Msg, prep *preparers) {
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
		hctx := ctx
		if prepared != nil {
			hctx = context.WithValue(ctx, preparedKey{}, prepared[i])
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
	for j, err := range publishPipelined(ctx, w.JS, outs) {
		if err != nil && errs[owner[j]] == nil {
			errs[owner[j]] = err
		}
	}
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

// preparedKey carries Prepare's result to Handle.
type preparedKey struct{}

// Prepared returns what Worker.Prepare returned for the input being handled.
func Prepared(ctx context.Context) any { return ctx.Value(preparedKey{}) }

// preparers run Prepare on the inputs of each batch, as many at once as
// there are CPUs. They live as long as the worker: goroutines started per
// batch grew fresh stacks to Prepare's depth every time.
type preparers struct {
	jobs chan prepJob
	wg   sync.WaitGroup
}

// prepJob is one input to prepare; its result goes to *out and *err.
type prepJob struct {
	data []byte
	out  *any
	err  *error
	done *sync.WaitGroup
}

func (w *Worker) startPreparers(ctx context.Context, n int) *preparers {
	p := &preparers{jobs: make(chan prepJob)}
	for range max(n, 1) {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				*j.out, *j.err = w.prepareOne(ctx, j.data)
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
		p.jobs <- prepJob{data: batch[i].Data(), out: &out[i], err: &errs[i], done: &done}
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
// is retried on its own as Publish does. It returns one error per output.
func publishPipelined(ctx context.Context, js jetstream.JetStream, outs []Out) []error {
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
		errs[i] = publishOne(ctx, js, outs[i])
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
