package bus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// TestOrderedWorkerKeepsOrder runs a concurrency-1 worker over a burst, so
// inputs arrive in batches: outputs must be stored in input order, a poison
// input dead-lettered without stopping the others, and the checkpoint must
// reach the last input's sequence.
func TestOrderedWorkerKeepsOrder(t *testing.T) {
	js := startBus(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 300
	var checkpoint atomic.Uint64
	st, _ := StageNamed(StageCluster)
	w := &Worker{JS: js, Stage: st, Concurrency: 1,
		Handle: func(_ context.Context, data []byte) ([]Out, error) {
			if string(data) == "poison" {
				return nil, Poison(errors.New("cannot decode"))
			}
			// Two outputs per input, as a story change often brings.
			return []Out{
				{Subject: StoriesSubject("created"), Data: data, MsgID: "c:" + string(data)},
				{Subject: StoriesSubject("updated"), Data: data, MsgID: "u:" + string(data)},
			}, nil
		},
		Checkpoint: func(_ context.Context, seq uint64) { checkpoint.Store(seq) },
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	var outs []Out
	for i := range n {
		data := strconv.Itoa(i)
		if i == n/2 {
			data = "poison"
		}
		outs = append(outs, Out{Subject: SubjectDetected, Data: []byte(data), MsgID: "d:" + data})
	}
	if errs := publishPipelined(ctx, js, outs, publishRetryFor); errors.Join(errs...) != nil {
		t.Fatal(errors.Join(errs...))
	}
	waitCount(t, js, StreamStories, StoriesSubject("updated"), n-1)
	waitCount(t, js, StreamDLQ, DLQSubject(StageCluster), 1)

	s, err := js.Stream(ctx, StreamStories)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for seq := uint64(1); seq <= 2*(n-1); seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		if want == n/2 {
			want++
		}
		kind := StoriesSubject("created")
		if seq%2 == 0 {
			kind = StoriesSubject("updated")
		}
		if m.Subject != kind || string(m.Data) != strconv.Itoa(want) {
			t.Fatalf("seq %d: %s %q, want %s %d", seq, m.Subject, m.Data, kind, want)
		}
		if seq%2 == 0 {
			want++
		}
	}
	in, err := js.Stream(ctx, StreamArticles)
	if err != nil {
		t.Fatal(err)
	}
	info, err := in.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for checkpoint.Load() != info.State.LastSeq && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := checkpoint.Load(); got != info.State.LastSeq {
		t.Errorf("checkpoint at %d, want the last input's sequence %d", got, info.State.LastSeq)
	}
	cons, _ := js.Consumer(ctx, StreamArticles, StageCluster)
	if ci, err := cons.Info(ctx); err != nil || ci.NumAckPending != 0 {
		t.Errorf("inputs left unacked: %+v %v", ci, err)
	}
	stopWorker(t, cancel, done, "")
}

// TestOrderedWorkerPrepare: Prepare runs on each input and Handle gets its
// result in input order, both told the input's subject (the stage reads
// corrections among the articles); a failed Prepare dead-letters its input
// only.
func TestOrderedWorkerPrepare(t *testing.T) {
	js := startBus(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 100
	st, _ := StageNamed(StageCluster)
	subjectOf := func(i int) string {
		if i%7 == 3 {
			return SubjectCorrections
		}
		return SubjectDetected
	}
	var order []int
	var wrong []string
	w := &Worker{JS: js, Stage: st, Concurrency: 1,
		Prepare: func(ctx context.Context, data []byte) (any, error) {
			i, err := strconv.Atoi(string(data))
			if err != nil {
				return nil, Poison(err)
			}
			if got := Subject(ctx); got != subjectOf(i) {
				return nil, Poison(fmt.Errorf("prepare of %d told subject %q", i, got))
			}
			return i * 10, nil
		},
		Handle: func(ctx context.Context, data []byte) ([]Out, error) {
			v, ok := Prepared(ctx).(int)
			if !ok {
				return nil, errors.New("no prepared value")
			}
			if got := Subject(ctx); got != subjectOf(v/10) {
				wrong = append(wrong, fmt.Sprintf("%d: %s", v/10, got))
			}
			order = append(order, v)
			return []Out{{Subject: StoriesSubject("created"), Data: []byte(strconv.Itoa(v)), MsgID: "p:" + string(data)}}, nil
		},
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var outs []Out
	for i := range n {
		outs = append(outs, Out{Subject: subjectOf(i), Data: []byte(strconv.Itoa(i)), MsgID: "d:" + strconv.Itoa(i)})
	}
	outs = append(outs, Out{Subject: SubjectDetected, Data: []byte("not a number"), MsgID: "d:bad"})
	if errs := publishPipelined(ctx, js, outs, publishRetryFor); errors.Join(errs...) != nil {
		t.Fatal(errors.Join(errs...))
	}
	waitCount(t, js, StreamStories, StoriesSubject("created"), n)
	waitCount(t, js, StreamDLQ, DLQSubject(StageCluster), 1)
	cancel()
	<-done
	if len(wrong) > 0 {
		t.Errorf("handlers told the wrong subject: %v", wrong)
	}
	for i, v := range order {
		if v != i*10 {
			t.Fatalf("handled %v, want 0, 10, 20… in order", order)
		}
	}
}

// TestOrderedWorkerHoldsThroughOutage: while its outputs cannot be stored
// (the stories stream stops taking them), an in-order worker waits with the batch
// instead of having it redelivered and going on: no later input is taken or
// acked past it, and once the stream is back every output is stored in
// input order. Redelivering and going on stored the inputs that came after
// the outage before the held ones, and acked them past the ack floor,
// beyond which a restarted stateful stage does not replay its state.
func TestOrderedWorkerHoldsThroughOutage(t *testing.T) {
	js := startBus(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, _ := StageNamed(StageCluster)
	var retried, waiting atomic.Int64
	firstRetry := make(chan struct{}, 1)
	w := &Worker{JS: js, Stage: st, Concurrency: 1, PublishRetry: 200 * time.Millisecond,
		Handle: func(_ context.Context, data []byte) ([]Out, error) {
			return []Out{{Subject: StoriesSubject("updated"), Data: data, MsgID: "u:" + string(data)}}, nil
		},
		Waiting: func(n int) { waiting.Store(int64(n)) },
		Observe: func(_ time.Duration, outcome string) {
			if outcome == "retry" {
				retried.Add(1)
				select {
				case firstRetry <- struct{}{}:
				default:
				}
			}
		},
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	in := func(from, to int) uint64 {
		t.Helper()
		var outs []Out
		for i := from; i < to; i++ {
			outs = append(outs, Out{Subject: SubjectDetected, Data: []byte(strconv.Itoa(i)), MsgID: "d:" + strconv.Itoa(i)})
		}
		if errs := publishPipelined(ctx, js, outs, publishRetryFor); errors.Join(errs...) != nil {
			t.Fatal(errors.Join(errs...))
		}
		info, err := js.Stream(ctx, StreamArticles)
		if err != nil {
			t.Fatal(err)
		}
		si, err := info.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return si.State.LastSeq
	}
	cons, err := js.Consumer(ctx, StreamArticles, StageCluster)
	if err != nil {
		t.Fatal(err)
	}
	ackFloor := func() uint64 {
		t.Helper()
		ci, err := cons.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ci.AckFloor.Stream
	}

	before := in(0, 10)
	waitCount(t, js, StreamStories, StoriesSubject("updated"), 10)
	for ackFloor() < before {
		time.Sleep(20 * time.Millisecond)
	}
	// The outage: the stories stream stops taking its subjects, so every
	// publish to them fails (after the client's half-second wait for a
	// stream's answer), as when a stream has lost its quorum.
	stories, err := js.Stream(ctx, StreamStories)
	if err != nil {
		t.Fatal(err)
	}
	si, err := stories.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := si.Config
	cfg.Subjects = []string{"elsewhere.>"}
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	in(10, 15)
	// Several tries fail; a worker that gave the batch up for redelivery
	// says so at once.
	select {
	case <-firstRetry:
	case <-time.After(4 * time.Second):
	}
	if got := ackFloor(); got != before {
		t.Fatalf("during the outage the ack floor moved from %d to %d", before, got)
	}
	if n := retried.Load(); n > 0 {
		t.Errorf("%d inputs were given up for redelivery during the outage", n)
	}
	if n := waiting.Load(); n == 0 {
		t.Error("during the outage the worker reported no output waiting")
	}
	// The stream comes back; inputs published right after must wait for
	// the held ones.
	if _, err := js.UpdateStream(ctx, si.Config); err != nil {
		t.Fatal(err)
	}
	last := in(15, 20)
	waitCount(t, js, StreamStories, StoriesSubject("updated"), 20)
	// Each output once; those of the inputs taken after the outage after
	// every held one (within a batch, a pipelined output still in flight
	// when the stream came back may land before an earlier one sent again).
	var got []int
	for seq := uint64(11); seq <= 20; seq++ {
		m, err := stories.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(string(m.Data))
		got = append(got, n)
	}
	if !slices.IsSorted(got[5:]) || slices.Min(got[5:]) != 15 || !slices.Equal(slices.Sorted(slices.Values(got)), []int{10, 11, 12, 13, 14, 15, 16, 17, 18, 19}) {
		t.Errorf("stories after the outage hold %v: want 10–14 (any order), then 15–19", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for ackFloor() < last && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := ackFloor(); got != last {
		t.Errorf("ack floor %d, want the last input's %d", got, last)
	}
	if held, err := Unsettled(ctx, js, st); err != nil || held {
		t.Errorf("after the outage: unsettled %v (%v), want none", held, err)
	}
	if n := waiting.Load(); n != 0 {
		t.Errorf("after the outage %d outputs reported waiting, want 0", n)
	}

	// Stopped during an outage, the worker gives the waiting batch back
	// for redelivery instead of waiting on: nothing acked, nothing lost.
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	in(20, 23)
	time.Sleep(1500 * time.Millisecond)
	stopWorker(t, cancel, done, "during the outage")
	if held, err := Unsettled(context.Background(), js, st); err != nil || !held {
		t.Errorf("stopped in the outage: unsettled %v (%v), want the given-back inputs", held, err)
	}
	ci, err := cons.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ci.AckFloor.Stream != last || ci.NumAckPending+ci.NumRedelivered == 0 && ci.NumPending == 0 {
		t.Errorf("after stopping in the outage: %+v; want the ack floor at %d and the three inputs to come again", ci, last)
	}
}
