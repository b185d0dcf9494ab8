package bus

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// countingMsg counts the in-progress signals it is sent.
type countingMsg struct {
	jetstream.Msg // nil: only what the tests call is implemented
	data          []byte
	signals       atomic.Int32
}

func (m *countingMsg) InProgress() error { m.signals.Add(1); return nil }
func (m *countingMsg) Data() []byte      { return m.data }
func (m *countingMsg) Subject() string   { return SubjectDetected }

// TestInProgressSignalsBusyHandlersOnly: a tick signals the message of
// every busy handler, once each, and none that has been settled.
func TestInProgressSignalsBusyHandlersOnly(t *testing.T) {
	p := newInProgress(3)
	a, b := &countingMsg{}, &countingMsg{}
	p.set(0, a)
	p.set(2, b)
	p.signal()
	p.set(0, nil)
	p.signal()
	if got := a.signals.Load(); got != 1 {
		t.Errorf("settled message signalled %d times, want 1", got)
	}
	if got := b.signals.Load(); got != 2 {
		t.Errorf("busy message signalled %d times, want 2", got)
	}
}

// TestInProgressTicks: run signals a busy handler's message every interval
// and stops when told.
func TestInProgressTicks(t *testing.T) {
	p := newInProgress(1)
	m := &countingMsg{}
	p.set(0, m)
	stop := p.run(5 * time.Millisecond)
	deadline := time.Now().Add(5 * time.Second)
	for m.signals.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	stop()
	n := m.signals.Load()
	if n < 3 {
		t.Fatalf("%d signals in 5 s, want ≥ 3", n)
	}
	time.Sleep(20 * time.Millisecond)
	if got := m.signals.Load(); got != n {
		t.Errorf("signals went on after stop: %d, then %d", n, got)
	}
}

// TestPreparersAcrossBatches: the same preparers serve batch after batch,
// each result lands at its input's index, and a panic is the input's error.
func TestPreparersAcrossBatches(t *testing.T) {
	var running, peak atomic.Int32
	var mu sync.Mutex
	w := &Worker{Prepare: func(_ context.Context, data []byte) (any, error) {
		n := running.Add(1)
		defer running.Add(-1)
		mu.Lock()
		peak.Store(max(peak.Load(), n))
		mu.Unlock()
		time.Sleep(time.Millisecond)
		switch string(data) {
		case "panic":
			panic("boom")
		case "bad":
			return nil, errors.New("bad input")
		}
		return string(data) + "!", nil
	}}
	p := w.startPreparers(context.Background(), 2)
	defer p.stop()
	for round := range 3 {
		inputs := []string{"a", "bad", "b", "panic", "c"}
		batch := make([]jetstream.Msg, len(inputs))
		for i, s := range inputs {
			batch[i] = &countingMsg{data: []byte(s)}
		}
		errs := make([]error, len(batch))
		out := p.all(batch, errs)
		for i, s := range inputs {
			switch s {
			case "bad":
				if errs[i] == nil || errors.Is(errs[i], ErrPoison) {
					t.Errorf("round %d: %q: err %v, want a plain error", round, s, errs[i])
				}
			case "panic":
				if !errors.Is(errs[i], ErrPoison) {
					t.Errorf("round %d: %q: err %v, want poison", round, s, errs[i])
				}
			default:
				if errs[i] != nil || out[i] != s+"!" {
					t.Errorf("round %d: %q: %v, %v", round, s, out[i], errs[i])
				}
			}
		}
	}
	if peak.Load() > 2 {
		t.Errorf("%d Prepare calls at once, want ≤ 2", peak.Load())
	}
	var none *preparers
	if none.all(make([]jetstream.Msg, 2), make([]error, 2)) != nil {
		t.Error("no Prepare: want no results")
	}
}
