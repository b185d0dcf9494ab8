package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Out is one message a handler wants published before its input is acked.
type Out struct {
	Subject string
	Data    []byte
	// MsgID becomes the Nats-Msg-Id header, so a republished output (after a
	// crash between publish and ack) is stored once.
	MsgID string
	// Header is sent with the message (nil: none besides MsgID's).
	Header nats.Header
}

// message builds the NATS message of o.
func (o Out) message() *nats.Msg {
	m := nats.NewMsg(o.Subject)
	m.Data = o.Data
	for k, vs := range o.Header {
		for _, v := range vs {
			m.Header.Add(k, v)
		}
	}
	return m
}

// Handler turns one input message into the messages it produces.
// An error wrapped with Poison is never retried: the input is dead-lettered
// at once. Any other error is retried with backoff, then dead-lettered.
type Handler func(ctx context.Context, data []byte) ([]Out, error)

// ErrPoison marks an input that no retry can fix (undecodable, binary, too large).
var ErrPoison = errors.New("poison message")

// Poison wraps err so the worker dead-letters the input without retrying.
func Poison(err error) error { return fmt.Errorf("%w: %w", ErrPoison, err) }

// Worker runs one stage: it pulls from the stage's durable consumer, calls
// the handler, publishes what it returns, then acks.
type Worker struct {
	JS          jetstream.JetStream
	Stage       Stage
	Handle      Handler
	Concurrency int // parallel handlers in this process; 1 keeps input order
	Log         *slog.Logger
	// Observe, if set, is told how long each input took and its outcome:
	// "ok", "retry" or "dead_letter".
	Observe func(d time.Duration, outcome string)
	// Prepare, if set on an in-order worker (Concurrency 1), runs on the
	// inputs of a batch in parallel before Handle sees them one by one in
	// order; Handle gets what it returned through Prepared(ctx). It suits
	// the part of a stateful stage's work that depends on the input alone.
	// An error from Prepare is the input's error, as from Handle.
	Prepare func(ctx context.Context, data []byte) (any, error)
	// Checkpoint, if set, is called after each input is settled (its outputs
	// published and the input acked, or dead-lettered) with the input's
	// stream sequence. With Concurrency 1 it runs before the next input
	// reaches the handler, so a stateful stage can save its state there.
	Checkpoint func(ctx context.Context, streamSeq uint64)
	// PublishRetry bounds how long one output's publish is retried before
	// it counts as failed (default 45 s). An in-order worker then keeps
	// trying while the stage runs (storeOutputs); a concurrent one has the
	// input redelivered.
	PublishRetry time.Duration
	// Waiting, if set, is told how many of a batch's outputs an in-order
	// worker is waiting to store (storeOutputs), then 0 once they are.
	Waiting func(n int)
}

func (w *Worker) publishRetry() time.Duration {
	if w.PublishRetry > 0 {
		return w.PublishRetry
	}
	return publishRetryFor
}

// Run consumes until ctx is cancelled, then drains: messages already pulled
// are finished and acked, none is dropped.
func (w *Worker) Run(ctx context.Context) error {
	log := w.Log
	if log == nil {
		log = slog.Default()
	}
	log = log.With("stage", w.Stage.Name)
	conc := max(w.Concurrency, 1)
	cons, err := w.JS.Consumer(ctx, w.Stage.Stream, w.Stage.Name)
	if err != nil {
		return fmt.Errorf("stage %s: open consumer: %w", w.Stage.Name, err)
	}
	if conc == 1 {
		return w.runOrdered(ctx, cons, log)
	}
	// A small client buffer: the ack timer starts when a message reaches the
	// buffer, so pulling far ahead of the handlers would expire acks. The
	// channel to the handlers is unbuffered: the callback blocks while every
	// handler is busy, which holds the pulls back.
	//
	// conc goroutines live as long as the stage: a goroutine per message
	// grew a fresh stack to the handler's depth every time (stack copies
	// were about 1 % of the pipeline's CPU). They get a context that
	// outlives the drain: shutdown finishes work.
	work := context.WithoutCancel(ctx)
	inflight := newInProgress(conc)
	stop := inflight.run(AckWait / 3)
	next := make(chan jetstream.Msg)
	var wg sync.WaitGroup
	for slot := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for msg := range next {
				start := time.Now()
				outcome := w.process(work, log, msg, inflight, slot)
				if w.Observe != nil {
					w.Observe(time.Since(start), outcome)
				}
				if w.Checkpoint != nil && outcome != "retry" {
					if meta, err := msg.Metadata(); err == nil {
						w.Checkpoint(work, meta.Sequence.Stream)
					}
				}
			}
		}()
	}
	cc, err := cons.Consume(func(msg jetstream.Msg) { next <- msg }, pullOptions(2*conc, log)...)
	if err != nil {
		close(next)
		wg.Wait()
		stop()
		return fmt.Errorf("stage %s: consume: %w", w.Stage.Name, err)
	}
	untilConsumed(ctx, cc)
	close(next)
	wg.Wait()
	stop()
	log.Info("stage stopped")
	return nil
}

// pullOptions are the pull settings of a stage's consumer: at most max
// messages buffered ahead of the handlers, pull requests of 5 s.
//
// Consume rather than Messages: Messages hands messages over through a
// channel of max slots and drops what arrives when it is full (heartbeats,
// the statuses that end pull requests, and after a missed heartbeat the
// messages of a second request): "slow consumer, messages dropped", a
// dropped status leaving the client waiting on a request that is gone and a
// dropped message waiting for its redelivery. Consume's subscription queues
// whatever arrives.
func pullOptions(max int, log *slog.Logger) []jetstream.PullConsumeOpt {
	return []jetstream.PullConsumeOpt{
		jetstream.PullMaxMessages(max),
		jetstream.PullExpiry(5 * time.Second),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			log.Warn("pull", "err", err)
		}),
	}
}

// untilConsumed returns once consuming has ended: after ctx is cancelled and the
// messages already pulled went through the callback, or once the
// subscription is gone (its connection closed). Either way no callback is
// running any more, so the caller may close what the callback sends on.
//
// Closed is asked once, while the subscription is live: that channel is
// closed only after the subscription's last callback has returned. Asked
// again after Drain, it may come back already closed, because the
// subscription is removed as soon as nothing is pending, which can be while
// a callback still holds the last message.
func untilConsumed(ctx context.Context, cc jetstream.ConsumeContext) {
	closed := cc.Closed()
	select {
	case <-ctx.Done():
		cc.Drain()
		<-closed
	case <-closed:
	}
}

// process handles one message and says what became of it; slot is the
// handler's place in inflight, which keeps the message in progress meanwhile.
func (w *Worker) process(ctx context.Context, log *slog.Logger, msg jetstream.Msg, inflight *inProgress, slot int) string {
	inflight.set(slot, msg)
	outs, err := w.handle(context.WithValue(ctx, subjectKey{}, msg.Subject()), msg.Data())
	inflight.set(slot, nil)
	if err == nil {
		err = Publish(ctx, w.JS, outs...)
	}
	return w.settle(ctx, log, msg, err)
}

// deliveries is how many times msg was delivered (1 when unknown).
func deliveries(msg jetstream.Msg) uint64 {
	if meta, err := msg.Metadata(); err == nil {
		return meta.NumDelivered
	}
	return 1
}

// willRetry tells that settle will have msg, which failed with err,
// delivered again: err is not poison and deliveries are left.
func willRetry(msg jetstream.Msg, err error) bool {
	return err != nil && !errors.Is(err, ErrPoison) && deliveries(msg) < MaxDeliver
}

// settle acks msg when its outputs are stored (err == nil); otherwise it
// schedules a redelivery with backoff, or dead-letters msg when the error
// is poison or the deliveries are spent. It says what became of msg.
func (w *Worker) settle(ctx context.Context, log *slog.Logger, msg jetstream.Msg, err error) string {
	if err == nil {
		if err := msg.Ack(); err != nil {
			log.Warn("ack failed; the message will be redelivered and its outputs deduplicated", "err", err)
		}
		return "ok"
	}
	n := deliveries(msg)
	if willRetry(msg, err) {
		log.Warn("handler failed, will retry", "err", err, "delivery", n)
		if nerr := msg.NakWithDelay(backoff[min(int(n)-1, len(backoff)-1)]); nerr != nil {
			log.Warn("nak failed", "err", nerr)
		}
		return "retry"
	}
	log.Error("dead-lettering message", "err", err, "delivery", n, "subject", msg.Subject())
	if derr := DeadLetter(ctx, w.JS, w.Stage.Name, msg, err); derr != nil {
		// Not acked: it will be redelivered and dead-lettered again later.
		log.Error("dead-letter publish failed", "err", derr)
		return "retry"
	}
	if terr := msg.TermWithReason(truncate(err.Error(), 200)); terr != nil {
		log.Warn("term failed", "err", terr)
	}
	return "dead_letter"
}

// inProgress holds the message each handler of a concurrent worker is
// working on, so that one ticker tells the server they are all still being
// worked on (slow work is then not redelivered to another replica), instead
// of a goroutine and a ticker per message.
type inProgress struct {
	mu    sync.Mutex
	slots []jetstream.Msg // nil: the handler is idle
}

func newInProgress(n int) *inProgress { return &inProgress{slots: make([]jetstream.Msg, n)} }

func (p *inProgress) set(slot int, msg jetstream.Msg) {
	p.mu.Lock()
	p.slots[slot] = msg
	p.mu.Unlock()
}

// signal sends an in-progress signal for every message being handled.
func (p *inProgress) signal() {
	p.mu.Lock()
	busy := make([]jetstream.Msg, 0, len(p.slots))
	for _, m := range p.slots {
		if m != nil {
			busy = append(busy, m)
		}
	}
	p.mu.Unlock()
	for _, m := range busy {
		_ = m.InProgress()
	}
}

// run signals every interval until stop is called. A message is signalled
// within an interval of its start and every interval after, well inside
// AckWait.
func (p *inProgress) run(every time.Duration) (stop func()) {
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
				p.signal()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// handle shields the stage from a panicking handler: a panic is poison.
func (w *Worker) handle(ctx context.Context, data []byte) (outs []Out, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Poison(fmt.Errorf("handler panic: %v", r))
		}
	}()
	return w.Handle(ctx, data)
}

// Publish sends each message and waits for the stream's ack. A publish that
// gets no answer (a node lost, a stream electing its leader) is retried for a
// while: every message carries its id, so a retry never stores it twice.
func Publish(ctx context.Context, js jetstream.JetStream, outs ...Out) error {
	for _, o := range outs {
		if err := publishOne(ctx, js, o, publishRetryFor); err != nil {
			return err
		}
	}
	return nil
}

// publishRetryFor bounds how long one message is retried.
const publishRetryFor = 45 * time.Second

func publishOne(ctx context.Context, js jetstream.JetStream, o Out, retryFor time.Duration) error {
	var opts []jetstream.PublishOpt
	if o.MsgID != "" {
		opts = append(opts, jetstream.WithMsgID(o.MsgID))
	}
	deadline := time.Now().Add(retryFor)
	wait := 100 * time.Millisecond
	for {
		m := o.message()
		attempt, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := js.PublishMsg(attempt, m, opts...)
		cancel()
		if err == nil {
			return nil
		}
		if !transient(err) || ctx.Err() != nil || time.Now().After(deadline) {
			return fmt.Errorf("publish to %s: %w", o.Subject, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("publish to %s: %w", o.Subject, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Second)
	}
}

// transient tells errors that a retry can cure from those it cannot (a
// payload over the limit, a subject no stream takes).
func transient(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) ||
		errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrNoStreamResponse) ||
		errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, nats.ErrConnectionReconnecting) ||
		errors.Is(err, nats.ErrDisconnected)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
