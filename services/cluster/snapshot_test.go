package cluster

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cluster"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/services/bus"
)

// Tests of the clustering state's snapshots against a real embedded
// nats-server with JetStream.

func startJS(t testing.TB) jetstream.JetStream {
	t.Helper()
	ns, err := bus.StartEmbedded(bus.EmbeddedConfig{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nc, js, err := bus.Connect(ctx, ns.ClientURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	if err := bus.WaitReady(ctx, js, bus.Options{}); err != nil {
		t.Fatal(err)
	}
	return js
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// reports makes n short articles about n/6 invented events, a minute
// apart, every fifth an exact copy of the one before under another id.
func reports(from, n int) []article.Article {
	places := []string{"Tarvel", "Skerra", "Brennock", "Dunmore", "Avelin", "Korsa", "Lindqvist", "Marrow", "Pellan", "Quillon"}
	things := []string{"bridge collapse", "harvest festival", "water shortage", "council budget", "power cut", "ferry strike"}
	base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var out []article.Article
	for i := from; i < from+n; i++ {
		ev := i / 6
		place, thing := places[ev%len(places)], things[(ev/len(places))%len(things)]
		who := fmt.Sprintf("Mayor %s %s", strings.ToUpper(string(rune('A'+ev%26))), places[(ev+3)%len(places)])
		at := base.Add(time.Duration(i) * time.Minute)
		text := fmt.Sprintf("%s said the %s in %s affected %d residents on Monday. Officials in %s met %s again. Report %d of event %d.",
			who, thing, place, 100+ev*37, place, who, i, ev)
		if i%5 == 4 {
			text = fmt.Sprintf("%s said the %s in %s affected %d residents on Monday. Officials in %s met %s again. Report %d of event %d.",
				who, thing, place, 100+ev*37, place, who, i-1, ev)
		}
		out = append(out, article.Article{ID: fmt.Sprintf("a-%04d", i), Lang: "en", Source: fmt.Sprintf("s%d.example", i%4),
			Title: fmt.Sprintf("%s: %s in %s", who, thing, place), Text: text, Published: &at})
	}
	return out
}

func publish(t *testing.T, js jetstream.JetStream, as []article.Article) uint64 {
	t.Helper()
	var last uint64
	for _, a := range as {
		b, err := article.Encode(a)
		if err != nil {
			t.Fatal(err)
		}
		ack, err := js.Publish(context.Background(), bus.SubjectDetected, b, jetstream.WithMsgID("detected:"+a.ID))
		if err != nil {
			t.Fatal(err)
		}
		last = ack.Sequence
	}
	return last
}

// process runs the stage's worker over e until the message at lastSeq is
// acknowledged, then stops it as a shutdown would.
func process(t *testing.T, js jetstream.JetStream, e *cluster.Engine, sn *Snapshotter, lastSeq uint64) {
	t.Helper()
	st, _ := bus.StageNamed(bus.StageCluster)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &bus.Worker{JS: js, Stage: st, Handle: Handler(e, js, testLog(t)), Concurrency: 1, Log: testLog(t)}
	if sn != nil {
		w.Handle, w.Checkpoint = sn.Counting(w.Handle), sn.Checkpoint
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	deadline := time.Now().Add(40 * time.Second)
	for ackFloor(t, js) < lastSeq {
		if time.Now().After(deadline) {
			t.Fatalf("ack floor %d, want %d", ackFloor(t, js), lastSeq)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if sn != nil {
		sn.Wait()
	}
}

func ackFloor(t *testing.T, js jetstream.JetStream) uint64 {
	t.Helper()
	c, err := js.Consumer(context.Background(), bus.StreamArticles, bus.StageCluster)
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.AckFloor.Stream
}

func snapshotBytes(t *testing.T, e *cluster.Engine) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := e.WriteSnapshot(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sameEngines compares two engines' whole states through their snapshots,
// and what they say of every article.
func sameEngines(t *testing.T, want, got *cluster.Engine, as []article.Article) {
	t.Helper()
	if w, g := want.Stats(), got.Stats(); w != g {
		t.Fatalf("stats: got %+v, want %+v", g, w)
	}
	for _, a := range as {
		w, _ := want.StoryOf(a.ID)
		g, _ := got.StoryOf(a.ID)
		if w != g {
			t.Fatalf("article %s: story %s, want %s", a.ID, g, w)
		}
	}
	if !bytes.Equal(snapshotBytes(t, want), snapshotBytes(t, got)) {
		t.Fatal("the engines' states differ")
	}
}

func newEngine(t *testing.T, fx *features.Extractor) *cluster.Engine {
	return cluster.New(cluster.DefaultConfig(), fx)
}

// TestRestoreFromSnapshot processes articles through the stage with
// snapshots, then restores a new engine from the latest snapshot and the
// acknowledged messages after it: the same state as the engine that ran
// uninterrupted, from a replay of the tail only, and both go on alike.
func TestRestoreFromSnapshot(t *testing.T) {
	js := startJS(t)
	fx, err := features.New()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store, err := OpenSnapshots(ctx, js, 1)
	if err != nil {
		t.Fatal(err)
	}
	// 100 articles with snapshots every 50 or so (a checkpoint comes per
	// batch of inputs), then 30 more without.
	first := reports(0, 130)
	a := newEngine(t, fx)
	var stats []SnapshotStat
	sn := NewSnapshotter(store, a, 50, 0, testLog(t), func(s SnapshotStat) { stats = append(stats, s) })
	process(t, js, a, sn, publish(t, js, first[:100]))
	last := publish(t, js, first[100:])
	process(t, js, a, nil, last)
	if len(stats) == 0 || stats[0].Err != nil {
		t.Fatalf("snapshots: %+v", stats)
	}
	info, res, err := store.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res.Close()
	if info.Seq < 50 || info.Seq > 100 || info.Format != cluster.SnapshotVersion || info.Articles == 0 {
		t.Fatalf("latest snapshot %+v; want one from 50 to 100", info)
	}

	b := newEngine(t, fx)
	r, err := Restore(ctx, js, b, store, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	if !r.FromSnapshot || r.SnapshotSeq != info.Seq || r.UpTo != last || r.Replayed != int(last-info.Seq) {
		t.Fatalf("restore %+v; want from the snapshot at %d, replaying %d messages up to %d", r, info.Seq, last-info.Seq, last)
	}
	t.Logf("restored from the snapshot at %d of %d, replaying %d messages", r.SnapshotSeq, last, r.Replayed)
	sameEngines(t, a, b, first)

	// The restored engine takes the stream on as the first would have.
	more := reports(130, 40)
	from := last + 1
	last = publish(t, js, more)
	process(t, js, b, NewSnapshotter(store, b, 0, 0, testLog(t), nil), last)
	addAt(t, a, more, from)
	sameEngines(t, a, b, append(first, more...))

	// A redelivered article re-announces its story with its own member,
	// under an id of its own: the story's last event, already stored under
	// the story's id and version, carries other members.
	outs, err := Handler(b, nil, testLog(t))(ctx, mustEncode(t, first[7]))
	if err != nil || len(outs) != 1 || outs[0].Subject != bus.StoriesSubject("updated") {
		t.Fatalf("redelivery: %+v, %v", outs, err)
	}
	sid, _ := b.StoryOf(first[7].ID)
	s, _ := b.Story(sid)
	if want := fmt.Sprintf("%s:%d:repeat:%s", s.ID, s.Version, first[7].ID); outs[0].MsgID != want {
		t.Errorf("redelivery message id %s, want %s", outs[0].MsgID, want)
	}
}

// addAt adds as to e as the stage does, each with its stream sequence,
// from the first's on.
func addAt(t *testing.T, e *cluster.Engine, as []article.Article, first uint64) {
	t.Helper()
	for i, a := range as {
		p := e.Prepare(a)
		p.Ref = first + uint64(i)
		if _, err := e.AddPrepared(p); err != nil {
			t.Fatal(err)
		}
	}
}

func mustEncode(t *testing.T, a article.Article) []byte {
	t.Helper()
	b, err := article.Encode(a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRestoreFallsBack: a snapshot that cannot serve is logged and the
// whole stream replayed; the stage never fails for it.
func TestRestoreFallsBack(t *testing.T) {
	js := startJS(t)
	fx, err := features.New()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store, err := OpenSnapshots(ctx, js, 1)
	if err != nil {
		t.Fatal(err)
	}
	as := reports(0, 60)
	last := publish(t, js, as)
	ref := newEngine(t, fx)
	process(t, js, ref, nil, last)

	// A genuine snapshot of the state at 30 to damage.
	half := newEngine(t, fx)
	addAt(t, half, as[:30], 1)
	good := snapshotBytes(t, half)
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	for _, tc := range []struct {
		name string
		data []byte
		info SnapshotInfo
	}{
		{"garbage", []byte("not a snapshot at all"), SnapshotInfo{Seq: 30, Format: cluster.SnapshotVersion}},
		{"truncated", good[:len(good)-100], SnapshotInfo{Seq: 30, Format: cluster.SnapshotVersion}},
		{"a flipped bit", flipped, SnapshotInfo{Seq: 30, Format: cluster.SnapshotVersion}},
		{"another format", good, SnapshotInfo{Seq: 30, Format: cluster.SnapshotVersion + 1}},
		{"past the end of the stream", good, SnapshotInfo{Seq: last + 100, Format: cluster.SnapshotVersion}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := store.Save(ctx, tc.data, tc.info); err != nil {
				t.Fatal(err)
			}
			e := newEngine(t, fx)
			r, err := Restore(ctx, js, e, store, testLog(t))
			if err != nil {
				t.Fatalf("restore failed: %v", err)
			}
			if r.FromSnapshot || r.Replayed != int(last) {
				t.Fatalf("restore %+v; want a full replay of %d messages", r, last)
			}
			sameEngines(t, ref, e, as)
		})
	}
	t.Run("the genuine snapshot", func(t *testing.T) {
		if err := store.Save(ctx, good, SnapshotInfo{Seq: 30, Format: cluster.SnapshotVersion}); err != nil {
			t.Fatal(err)
		}
		e := newEngine(t, fx)
		r, err := Restore(ctx, js, e, store, testLog(t))
		if err != nil || !r.FromSnapshot || r.Replayed != int(last)-30 {
			t.Fatalf("restore %+v, %v", r, err)
		}
		sameEngines(t, ref, e, as)
	})
}

// TestSnapshotterPolicy: a snapshot once enough messages or time passed,
// at the highest sequence settled, and a last one on Flush.
func TestSnapshotterPolicy(t *testing.T) {
	js := startJS(t)
	fx, err := features.New()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store, err := OpenSnapshots(ctx, js, 1)
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, fx)
	var seqs []uint64
	observe := func(s SnapshotStat) {
		if s.Err != nil {
			t.Errorf("snapshot at %d: %v", s.Info.Seq, s.Err)
		}
		seqs = append(seqs, s.Info.Seq)
	}
	noop := func(context.Context, []byte) ([]bus.Out, error) { return nil, nil }
	settle := func(sn *Snapshotter, n int, seq uint64) {
		h := sn.Counting(noop)
		for range n {
			h(ctx, nil)
		}
		sn.Checkpoint(ctx, seq)
		sn.Wait()
	}
	byCount := NewSnapshotter(store, e, 3, 0, testLog(t), observe)
	settle(byCount, 2, 2)
	settle(byCount, 1, 3)  // three messages: a snapshot
	settle(byCount, 1, 1)  // a redelivery: the sequence does not go back
	settle(byCount, 2, 12) // three more
	byCount.Flush(ctx)     // nothing new since
	byTime := NewSnapshotter(store, e, 0, 20*time.Millisecond, testLog(t), observe)
	settle(byTime, 1, 13)
	time.Sleep(30 * time.Millisecond)
	settle(byTime, 1, 14)
	settle(byTime, 1, 15)
	byTime.Flush(ctx) // 15 is not in a snapshot yet
	if want := []uint64{3, 12, 14, 15}; !slices.Equal(seqs, want) {
		t.Errorf("snapshots at %v, want %v", seqs, want)
	}
	if info, res, err := store.Open(ctx); err != nil || info.Seq != 15 {
		t.Errorf("stored snapshot %+v, %v", info, err)
	} else {
		res.Close()
	}
}

// BenchmarkSnapshotStore stores and reads back a snapshot-sized object in
// the bucket of an embedded server (file storage, one replica): what a
// snapshot costs beyond encoding, and a restore beyond decoding.
// NEWSDEDUP_BENCH_SNAPSHOT_MB sets the size (default 290, about the snapshot of
// 100,000 active stories; see pkg/cluster BenchmarkSnapshot).
func BenchmarkSnapshotStore(b *testing.B) {
	mb := 290
	if v, err := strconv.Atoi(os.Getenv("NEWSDEDUP_BENCH_SNAPSHOT_MB")); err == nil && v > 0 {
		mb = v
	}
	js := startJS(b)
	ctx := context.Background()
	store, err := OpenSnapshots(ctx, js, 1)
	if err != nil {
		b.Fatal(err)
	}
	// Random bytes: a snapshot's signatures and ids barely compress.
	data := make([]byte, mb<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i+8 <= len(data); i += 8 {
		binary.LittleEndian.PutUint64(data[i:], rng.Uint64())
	}
	b.Run(fmt.Sprintf("save/MB=%d", mb), func(b *testing.B) {
		for b.Loop() {
			if err := store.Save(ctx, data, SnapshotInfo{Seq: 1, Format: cluster.SnapshotVersion}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(mb)*float64(b.N)/b.Elapsed().Seconds(), "MB/s")
	})
	b.Run(fmt.Sprintf("open/MB=%d", mb), func(b *testing.B) {
		for b.Loop() {
			_, res, err := store.Open(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.Copy(io.Discard, res)
			res.Close()
			if err != nil || n != int64(len(data)) {
				b.Fatalf("read %d bytes: %v", n, err)
			}
		}
		b.ReportMetric(float64(mb)*float64(b.N)/b.Elapsed().Seconds(), "MB/s")
	})
}
