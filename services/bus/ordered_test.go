package bus

import (
	"context"
	"errors"
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
	if errs := publishPipelined(ctx, js, outs); errors.Join(errs...) != nil {
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
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("worker did not stop after cancel")
	}
}

// TestOrderedWorkerPrepare: Prepare runs on each input and Handle gets its
// result in input order; a failed Prepare dead-letters its input only.
func TestOrderedWorkerPrepare(t *testing.T) {
	js := startBus(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 100
	st, _ := StageNamed(StageCluster)
	var order []int
	w := &Worker{JS: js, Stage: st, Concurrency: 1,
		Prepare: func(_ context.Context, data []byte) (any, error) {
			i, err := strconv.Atoi(string(data))
			if err != nil {
				return nil, Poison(err)
			}
			return i * 10, nil
		},
		Handle: func(ctx context.Context, data []byte) ([]Out, error) {
			v, ok := Prepared(ctx).(int)
			if !ok {
				return nil, errors.New("no prepared value")
			}
			order = append(order, v)
			return []Out{{Subject: StoriesSubject("created"), Data: []byte(strconv.Itoa(v)), MsgID: "p:" + string(data)}}, nil
		},
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var outs []Out
	for i := range n {
		outs = append(outs, Out{Subject: SubjectDetected, Data: []byte(strconv.Itoa(i)), MsgID: "d:" + strconv.Itoa(i)})
	}
	outs = append(outs, Out{Subject: SubjectDetected, Data: []byte("not a number"), MsgID: "d:bad"})
	if errs := publishPipelined(ctx, js, outs); errors.Join(errs...) != nil {
		t.Fatal(errors.Join(errs...))
	}
	waitCount(t, js, StreamStories, StoriesSubject("created"), n)
	waitCount(t, js, StreamDLQ, DLQSubject(StageCluster), 1)
	cancel()
	<-done
	for i, v := range order {
		if v != i*10 {
			t.Fatalf("handled %v, want 0, 10, 20… in order", order)
		}
	}
}
