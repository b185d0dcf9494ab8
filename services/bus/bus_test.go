package bus

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// startServer starts a real embedded nats-server with JetStream, without
// any stream.
func startServer(t testing.TB) jetstream.JetStream {
	t.Helper()
	ns, err := StartEmbedded(EmbeddedConfig{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nc, js, err := Connect(ctx, ns.ClientURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return js
}

// startBus starts a real embedded nats-server with JetStream and the
// pipeline's streams.
func startBus(t *testing.T) jetstream.JetStream { return startBusB(t) }

func startBusB(t testing.TB) jetstream.JetStream {
	t.Helper()
	js := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := WaitReady(ctx, js, Options{}); err != nil {
		t.Fatal(err)
	}
	return js
}

// stopWorker cancels a worker's context and waits for its Run to return
// (when is said in the failure).
func stopWorker(t *testing.T, cancel context.CancelFunc, done <-chan error, when string) {
	t.Helper()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("the worker did not stop after cancel %s", when)
	}
}

func waitCount(t *testing.T, js jetstream.JetStream, stream, subject string, want uint64) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(20 * time.Second)
	var got uint64
	for time.Now().Before(deadline) {
		s, err := js.Stream(ctx, stream)
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.Info(ctx, jetstream.WithSubjectFilter(subject))
		if err != nil {
			t.Fatal(err)
		}
		got = info.State.Subjects[subject]
		if got == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: %d messages, want %d", subject, got, want)
}

func TestWorkerPassesAndDeadLetters(t *testing.T) {
	js := startBus(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var transient atomic.Int32
	handler := func(_ context.Context, data []byte) ([]Out, error) {
		switch string(data) {
		case "poison":
			return nil, Poison(errors.New("cannot decode"))
		case "panic":
			panic("boom")
		case "flaky":
			// fails once, then succeeds on redelivery
			if transient.Add(1) == 1 {
				return nil, errors.New("temporary")
			}
		}
		return []Out{{Subject: SubjectExtracted, Data: data, MsgID: "x:" + string(data)}}, nil
	}
	st, _ := StageNamed(StageExtractor)
	w := &Worker{JS: js, Stage: st, Handle: handler, Concurrency: 2}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	for _, m := range []string{"a", "poison", "b", "panic", "flaky", "c"} {
		if err := Publish(ctx, js, Out{Subject: SubjectRaw, Data: []byte(m), MsgID: "raw:" + m}); err != nil {
			t.Fatal(err)
		}
	}
	// The same message id again is dropped by the stream.
	if err := Publish(ctx, js, Out{Subject: SubjectRaw, Data: []byte("a"), MsgID: "raw:a"}); err != nil {
		t.Fatal(err)
	}
	waitCount(t, js, StreamArticles, SubjectRaw, 6)
	waitCount(t, js, StreamArticles, SubjectExtracted, 4)
	waitCount(t, js, StreamDLQ, DLQSubject(StageExtractor), 2)

	s, _ := js.Stream(ctx, StreamDLQ)
	reasons := map[string]string{}
	for seq := uint64(1); seq <= 2; seq++ {
		raw, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		var rec DeadLetterRecord
		if err := json.Unmarshal(raw.Data, &rec); err != nil {
			t.Fatal(err)
		}
		reasons[string(rec.Data)] = rec.Reason
		if rec.Stage != StageExtractor || rec.Subject != SubjectRaw || rec.StreamSeq == 0 {
			t.Errorf("record lacks its origin: %+v", rec)
		}
	}
	if reasons["poison"] == "" || reasons["panic"] == "" {
		t.Errorf("dead-letter reasons: %v", reasons)
	}
	stopWorker(t, cancel, done, "")
}

func TestDeadLetterCutsHugePayload(t *testing.T) {
	js := startBus(t)
	ctx := context.Background()
	rec := DeadLetterRecord{V: 1, Stage: "x", Reason: "too big", Data: make([]byte, 2*maxDLQPayload)}
	if err := PublishDeadLetter(ctx, js, rec); err != nil {
		t.Fatal(err)
	}
	waitCount(t, js, StreamDLQ, DLQSubject("x"), 1)
}

func TestStageNamed(t *testing.T) {
	for _, s := range Stages() {
		got, err := StageNamed(s.Name)
		if err != nil || !reflect.DeepEqual(got, s) {
			t.Errorf("StageNamed(%q) = %v, %v", s.Name, got, err)
		}
		if c := ConsumerConfig(s); c.MaxDeliver != len(c.BackOff)+1 {
			t.Errorf("%s: MaxDeliver %d with %d backoffs", s.Name, c.MaxDeliver, len(c.BackOff))
		}
	}
	if _, err := StageNamed("nope"); err == nil {
		t.Error("unknown stage accepted")
	}
}

func TestListAndReplayDeadLetters(t *testing.T) {
	js := startBus(t)
	ctx := context.Background()
	for i, stage := range []string{StageExtractor, StageCluster, StageExtractor} {
		rec := DeadLetterRecord{V: 1, Stage: stage, Reason: "bad", Subject: SubjectRaw, Data: []byte{byte('a' + i)}}
		if err := PublishDeadLetter(ctx, js, rec); err != nil {
			t.Fatal(err)
		}
	}
	all, err := ListDeadLetters(ctx, js, "", 0)
	if err != nil || len(all) != 3 {
		t.Fatalf("list all: %d, %v", len(all), err)
	}
	ext, _ := ListDeadLetters(ctx, js, StageExtractor, 0)
	if len(ext) != 2 || string(ext[1].Data) != "c" {
		t.Fatalf("list extractor: %+v", ext)
	}
	if err := ReplayDeadLetter(ctx, js, ext[0]); err != nil {
		t.Fatal(err)
	}
	waitCount(t, js, StreamArticles, SubjectRaw, 1)
	left, _ := ListDeadLetters(ctx, js, "", 0)
	if len(left) != 2 {
		t.Errorf("%d records left after replay, want 2", len(left))
	}
	if err := ReplayDeadLetter(ctx, js, StoredDeadLetter{Seq: 99}); err == nil {
		t.Error("replay of an empty record accepted")
	}
}

func TestPublishSendsHeaders(t *testing.T) {
	js := startBus(t)
	ctx := context.Background()
	withIDs := func(ids ...string) nats.Header {
		h := nats.Header{}
		for _, id := range ids {
			h.Add(HeaderArticle, id)
		}
		return h
	}
	tests := []struct {
		name    string
		publish func([]Out) error
		out     Out
		want    []string
	}{
		{"one by one", func(o []Out) error { return Publish(ctx, js, o...) },
			Out{Subject: StoriesSubject("created"), Data: []byte("{}"), MsgID: "s1:1:created", Header: withIDs("a,1", "b")}, []string{"a,1", "b"}},
		{"pipelined", func(o []Out) error { return errors.Join(publishPipelined(ctx, js, o, publishRetryFor)...) },
			Out{Subject: StoriesSubject("updated"), Data: []byte("{}"), MsgID: "s1:2:updated", Header: withIDs("c")}, []string{"c"}},
		{"no header", func(o []Out) error { return Publish(ctx, js, o...) },
			Out{Subject: StoriesSubject("merged"), Data: []byte("{}"), MsgID: "s1:3:merged"}, nil},
	}
	s, err := js.Stream(ctx, StreamStories)
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.publish([]Out{tc.out}); err != nil {
				t.Fatal(err)
			}
			m, err := s.GetMsg(ctx, uint64(i+1))
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Header.Values(HeaderArticle); !slices.Equal(got, tc.want) {
				t.Fatalf("%s values %q, want %q", HeaderArticle, got, tc.want)
			}
			if got := m.Header.Get(jetstream.MsgIDHeader); got != tc.out.MsgID {
				t.Fatalf("message id %q, want %q", got, tc.out.MsgID)
			}
		})
	}
}

// A stage consumer made by an older build, reading one subject, takes the
// subjects the stage reads now when the pipeline starts, and keeps its
// place in the stream.
func TestEnsureUpdatesStageSubjects(t *testing.T) {
	js := startBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, _ := StageNamed(StageCluster)
	old := ConsumerConfig(Stage{Name: st.Name, Stream: st.Stream, Subject: st.Subject})
	if _, err := js.UpdateConsumer(ctx, st.Stream, old); err != nil {
		t.Fatalf("back to the old filter: %v", err)
	}
	if err := Publish(ctx, js,
		Out{Subject: SubjectDetected, Data: []byte("a1"), MsgID: "d:a1"},
		Out{Subject: SubjectCorrections, Data: []byte("c1"), MsgID: "c:c1"},
		Out{Subject: SubjectDetected, Data: []byte("a2"), MsgID: "d:a2"}); err != nil {
		t.Fatal(err)
	}
	cons, err := js.Consumer(ctx, st.Stream, st.Name)
	if err != nil {
		t.Fatal(err)
	}
	first, err := cons.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for m := range first.Messages() {
		if string(m.Data()) != "a1" {
			t.Fatalf("old consumer gave %q first", m.Data())
		}
		if err := m.Ack(); err != nil {
			t.Fatal(err)
		}
	}
	if err := Ensure(ctx, js, Options{}); err != nil {
		t.Fatalf("Ensure over the old consumer: %v", err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Config.FilterSubjects; !reflect.DeepEqual(got, []string{SubjectDetected, SubjectCorrections}) || info.Config.FilterSubject != "" {
		t.Fatalf("filter after Ensure: %q and %v", info.Config.FilterSubject, got)
	}
	var got []string
	rest, err := cons.Fetch(2, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for m := range rest.Messages() {
		got = append(got, m.Subject()+" "+string(m.Data()))
		m.Ack()
	}
	if want := []string{SubjectCorrections + " c1", SubjectDetected + " a2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after the update the consumer gave %v, want %v", got, want)
	}
}

func TestWaitStreamsLeavesTheLayoutAlone(t *testing.T) {
	js := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// A client first on an empty server creates the layout with defaults.
	if err := WaitStreams(ctx, js); err != nil {
		t.Fatal(err)
	}
	articles := func() (maxAge, window time.Duration) {
		t.Helper()
		s, err := js.Stream(ctx, StreamArticles)
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return info.Config.MaxAge, info.Config.Duplicates
	}
	for _, st := range Stages() {
		if _, err := js.Consumer(ctx, st.Stream, st.Name); err != nil {
			t.Fatalf("consumer %s not created: %v", st.Name, err)
		}
	}
	if age, window := articles(); age != 30*24*time.Hour || window != 24*time.Hour {
		t.Fatalf("ARTICLES max age %v, duplicate window %v, want the defaults", age, window)
	}
	// The pipeline then sets its own options, and a later client keeps them.
	if err := WaitReady(ctx, js, Options{ArticlesMaxAge: 48 * time.Hour, DuplicateWindow: 2 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	if err := WaitStreams(ctx, js); err != nil {
		t.Fatal(err)
	}
	if age, window := articles(); age != 48*time.Hour || window != 2*time.Hour {
		t.Fatalf("ARTICLES max age %v, duplicate window %v after a client started, want the pipeline's 48h and 2h", age, window)
	}
	// A window longer than the articles are kept is cut to their age,
	// which JetStream would otherwise refuse.
	if err := WaitReady(ctx, js, Options{ArticlesMaxAge: 12 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	if age, window := articles(); age != 12*time.Hour || window != 12*time.Hour {
		t.Fatalf("ARTICLES max age %v, duplicate window %v, want 12h and the window cut to 12h", age, window)
	}
	// Stories are kept for ever unless a retention is given, and an
	// existing stream takes it (and gives it up) in place.
	storiesAge := func() time.Duration {
		t.Helper()
		s, err := js.Stream(ctx, StreamStories)
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return info.Config.MaxAge
	}
	for _, want := range []time.Duration{0, 30 * 24 * time.Hour, 0} {
		if err := WaitReady(ctx, js, Options{StoriesMaxAge: want}); err != nil {
			t.Fatal(err)
		}
		if got := storiesAge(); got != want {
			t.Fatalf("STORIES max age %v, want %v", got, want)
		}
	}
}

// TestBusyHandlersDropNothing: while every handler is busy for longer than
// a pull request's heartbeats, the client must queue what the server sends
// (messages, heartbeats, the statuses that end requests) rather than drop
// it as a slow consumer: a dropped status leaves the client waiting on a
// request that is gone, and a dropped message waits for its redelivery.
func TestBusyHandlersDropNothing(t *testing.T) {
	ns, err := StartEmbedded(EmbeddedConfig{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	var slow atomic.Int32
	nc, err := nats.Connect(ns.ClientURL(), nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		if errors.Is(err, nats.ErrSlowConsumer) {
			slow.Add(1)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := WaitReady(ctx, js, Options{}); err != nil {
		t.Fatal(err)
	}
	handler := func(_ context.Context, data []byte) ([]Out, error) {
		if string(data) <= "b" {
			time.Sleep(7 * time.Second) // past two 2.5 s heartbeats
		}
		return []Out{{Subject: SubjectExtracted, Data: data, MsgID: "x:" + string(data)}}, nil
	}
	st, _ := StageNamed(StageExtractor)
	w := &Worker{JS: js, Stage: st, Handle: handler, Concurrency: 2}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	// A trickle, so that pull requests stay open (and send heartbeats)
	// while the handlers are busy.
	for _, m := range []string{"a", "b", "c", "d", "e", "f"} {
		if err := Publish(ctx, js, Out{Subject: SubjectRaw, Data: []byte(m), MsgID: "raw:" + m}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
	}
	waitCount(t, js, StreamArticles, SubjectExtracted, 6)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := slow.Load(); n > 0 {
		t.Errorf("%d slow-consumer errors: the client dropped what the server sent", n)
	}
}
