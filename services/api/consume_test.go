package api

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
)

// TestIndexerRefresh runs the indexer on a real embedded nats-server with
// a refresh interval: an update of a story written just before is
// deferred (read by id at once, searchable after the interval), the
// checkpoint and Applied stay below it meanwhile, a new story is written
// at once, and Close writes a story still deferred, so a restart has it
// and replays nothing.
func TestIndexerRefresh(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a nats-server")
	}
	dir := t.TempDir()
	ns, err := bus.StartEmbedded(bus.EmbeddedConfig{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	nc, js, err := bus.Connect(ctx, ns.ClientURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := bus.Ensure(ctx, js, bus.Options{Replicas: 1}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	a1 := testArticle("a1", "en", "x.example", "Harbour fog delays ships", "Thick fog delayed ships in the harbour.")
	a2 := testArticle("a2", "en", "y.example", "Ferries cancelled", "Ferries to the islands were cancelled, the pilots said.")
	a3 := testArticle("a3", "en", "z.example", "Lighthouse keepers", "Lighthouse keepers sounded the horn all morning.")
	b1 := testArticle("b1", "en", "w.example", "Budget vote tonight", "The council votes on the budget tonight.")
	head := func(id string, version, size int, ms ...story.Member) story.Story {
		return story.Story{ID: id, Headline: "h " + id, Languages: []string{"en"}, FirstSeen: t0, LastSeen: t0,
			Version: version, MemberCount: size, Members: ms}
	}
	events := []story.Event{
		{V: 2, Type: story.Created, Story: head("fog", 1, 1, member(a1, t0)), Articles: []article.Article{a1}, At: t0},
		{V: 2, Type: story.Updated, Story: head("fog", 2, 2, member(a2, t0)), Articles: []article.Article{a2}, At: t0},
		{V: 2, Type: story.Created, Story: head("budget", 1, 1, member(b1, t0)), Articles: []article.Article{b1}, At: t0},
		{V: 2, Type: story.Updated, Story: head("fog", 3, 3, member(a3, t0)), Articles: []article.Article{a3}, At: t0},
	}
	publish := func(i int) {
		t.Helper()
		data, err := story.Encode(events[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := bus.Publish(ctx, js, bus.Out{Subject: bus.StoriesSubject(events[i].Type), Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	wait := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	hits := func(ix *index.Index, q string) uint64 {
		t.Helper()
		r, err := ix.Search(index.SearchQuery{Q: q, Now: t0})
		if err != nil {
			t.Fatal(err)
		}
		return r.Total
	}
	members := func(ix *index.Index, id string) int {
		t.Helper()
		v, _, err := ix.Story(id)
		if err != nil {
			t.Fatal(err)
		}
		return len(v.Members)
	}
	checkpoint := func(ix *index.Index) uint64 {
		t.Helper()
		cp, err := ix.Checkpoint()
		if err != nil {
			t.Fatal(err)
		}
		return cp
	}

	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	const refresh = 3 * time.Second
	run := func(ix *index.Index) (*Indexer, context.CancelFunc, chan error) {
		rctx, stop := context.WithCancel(ctx)
		ixr := &Indexer{JS: js, Index: ix, Log: log, FlushGap: 10 * time.Millisecond, Refresh: refresh}
		done := make(chan error, 1)
		go func() { done <- ixr.Run(rctx) }()
		return ixr, stop, done
	}
	ixr, stop, done := run(ix)

	publish(0)
	wait("the new story", func() bool { return ixr.Applied() == 1 })
	publish(1) // fog again, just written: deferred
	wait("the update read by id", func() bool { return members(ix, "fog") == 2 })
	if got := ixr.Applied(); got != 1 {
		t.Errorf("Applied = %d while event 2 is deferred, want 1", got)
	}
	if cp := checkpoint(ix); cp != 1 {
		t.Errorf("checkpoint %d while event 2 is deferred, want 1", cp)
	}
	if n := hits(ix, "ferries"); n != 0 {
		t.Errorf("the deferred member is searchable already (%d hits)", n)
	}
	publish(2) // a new story: written at once, the checkpoint still held
	wait("the new story searchable", func() bool { return hits(ix, "budget") == 1 })
	if got := ixr.Applied(); got != 1 {
		t.Errorf("Applied = %d with event 2 deferred, want 1", got)
	}
	start := time.Now()
	wait("the deferred update written", func() bool { return ixr.Applied() == 3 })
	t.Logf("the deferred update became searchable %v after the new story", time.Since(start).Round(time.Millisecond))
	if n := hits(ix, "ferries"); n != 1 || checkpoint(ix) != 3 {
		t.Errorf("after the refresh: %d hits, checkpoint %d; want 1, 3", n, checkpoint(ix))
	}

	publish(3) // fog again, deferred; then the indexer stops
	wait("the last update read by id", func() bool { return members(ix, "fog") == 3 })
	if cp := checkpoint(ix); cp != 3 {
		t.Errorf("checkpoint %d while event 4 is deferred, want 3", cp)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix, err = index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if cp := checkpoint(ix); cp != 4 {
		t.Errorf("after Close and reopen: checkpoint %d, want 4", cp)
	}
	if n, m := hits(ix, "lighthouse"), members(ix, "fog"); n != 1 || m != 3 {
		t.Errorf("after Close and reopen: %d hits for the last member, fog has %d members; want 1, 3", n, m)
	}
	ixr, stop, done = run(ix)
	defer func() {
		stop()
		<-done
	}()
	wait("the restarted indexer caught up", func() bool { return ixr.Ready() == nil })
	if got := ixr.Applied(); got != 4 {
		t.Errorf("restarted at %d, want 4", got)
	}
}
