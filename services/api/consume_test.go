package api

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
)

// TestIndexerRefresh runs the indexer on a real embedded nats-server with
// a refresh interval: an update of a story written just before is
// deferred (read by id at once, its new article's words finding the story
// as last written, searched in its new version after the interval), the
// checkpoint and Applied stay below it meanwhile, a new story is written
// at once, and Close writes a story still deferred, so a restart has it
// and replays nothing.
func TestIndexerRefresh(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a nats-server")
	}
	dir := t.TempDir()
	ctx, js, log := testBus(t, dir)

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
	publish := func(i int) { t.Helper(); publishEvent(ctx, t, js, events[i]) }
	wait := func(what string, ok func() bool) { t.Helper(); waitFor(t, what, ok) }
	hits := func(ix *index.Index, q string) uint64 { return searchHits(t, ix, q) }
	members := func(ix *index.Index, id string) int { return storyMembers(t, ix, id) }
	checkpoint := func(ix *index.Index) uint64 { return indexCheckpoint(t, ix) }

	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	const refresh = 3 * time.Second
	run := func(ix *index.Index) (*Indexer, func() error) {
		ixr := &Indexer{JS: js, Index: ix, Log: log, FlushGap: 10 * time.Millisecond, Refresh: refresh}
		return ixr, runIndexer(ctx, ixr)
	}
	ixr, stop := run(ix)

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
	if n := searchedMembers(t, ix, "ferries"); n != 1 {
		t.Errorf("the deferred member's words find the story with %d members, want 1 (as last written)", n)
	}
	publish(2) // a new story: written at once, the checkpoint still held
	wait("the new story searchable", func() bool { return hits(ix, "budget") == 1 })
	if got := ixr.Applied(); got != 1 {
		t.Errorf("Applied = %d with event 2 deferred, want 1", got)
	}
	start := time.Now()
	wait("the deferred update written", func() bool { return ixr.Applied() == 3 })
	t.Logf("the deferred update became searchable %v after the new story", time.Since(start).Round(time.Millisecond))
	if n := searchedMembers(t, ix, "ferries"); n != 2 || checkpoint(ix) != 3 {
		t.Errorf("after the refresh: the story found with %d members, checkpoint %d; want 2, 3", n, checkpoint(ix))
	}

	publish(3) // fog again, deferred; then the indexer stops
	wait("the last update read by id", func() bool { return members(ix, "fog") == 3 })
	if cp := checkpoint(ix); cp != 3 {
		t.Errorf("checkpoint %d while event 4 is deferred, want 3", cp)
	}
	if err := stop(); err != nil {
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
	ixr, stop = run(ix)
	defer stop()
	wait("the restarted indexer caught up", func() bool { return ixr.Ready() == nil })
	if got := ixr.Applied(); got != 4 {
		t.Errorf("restarted at %d, want 4", got)
	}
}

// TestIndexerIdleWritesWaiting: a big story's refresh interval is five
// times the index's, but once no event has come for the index's interval
// the indexer writes what waits, so the end of a burst is searchable about
// a second after its last batch, not five.
func TestIndexerIdleWritesWaiting(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a nats-server")
	}
	ctx, js, log := testBus(t, t.TempDir())
	ix, err := index.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	const refresh = time.Second
	ixr := &Indexer{JS: js, Index: ix, Log: log, FlushGap: 10 * time.Millisecond, Refresh: refresh}
	stop := runIndexer(ctx, ixr)
	defer stop()

	var ms []story.Member
	var arts []article.Article
	for i := range 40 { // 40 members: an interval of 5 s
		a := testArticle(fmt.Sprintf("c%d", i), "en", "wire.example", "Harbour crane falls", "A crane fell onto the quay.")
		ms, arts = append(ms, member(a, t0)), append(arts, a)
	}
	late := testArticle("late", "en", "wire.example", "Harbour reopens", "Tugboats returned to the quay.")
	head := func(version, size int, ms ...story.Member) story.Story {
		return story.Story{ID: "crane", Headline: "Harbour crane falls", Languages: []string{"en"}, FirstSeen: t0, LastSeen: t0,
			Version: version, MemberCount: size, Members: ms}
	}
	publishEvent(ctx, t, js, story.Event{V: 2, Type: story.Created, Story: head(1, 40, ms...), Articles: arts, At: t0})
	waitFor(t, "the new story", func() bool { return ixr.Applied() == 1 })
	publishEvent(ctx, t, js, story.Event{V: 2, Type: story.Updated, Story: head(2, 41, member(late, t0)), Articles: []article.Article{late}, At: t0})
	start := time.Now()
	waitFor(t, "the update read by id", func() bool { return storyMembers(t, ix, "crane") == 41 })
	if n := searchedMembers(t, ix, "tugboats"); n != 40 {
		t.Errorf("the waiting update is searched at once: %d members, want 40", n)
	}
	waitFor(t, "the waiting update written", func() bool { return ixr.Applied() == 2 })
	took := time.Since(start)
	t.Logf("the waiting update became searchable after %v", took.Round(time.Millisecond))
	if took >= 4*refresh {
		t.Errorf("the waiting update took %v, its own interval (5 s) rather than the idle one (1 s)", took)
	}
	if n := searchedMembers(t, ix, "tugboats"); n != 41 {
		t.Errorf("after the idle write: the story found with %d members, want 41", n)
	}
}

// TestIndexerDeadLetters runs the indexer on a real embedded nats-server
// with a poison message and an outage: an undecodable event between two
// good ones gets a dead-letter record and costs nothing else; an event the
// index cannot take (it was closed under the indexer) is retried, then
// dead-lettered, and the checkpoint stays before it, so a restarted
// indexer applies it.
func TestIndexerDeadLetters(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a nats-server")
	}
	dir := t.TempDir()
	ctx, js, log := testBus(t, dir)
	fog := testArticle("a1", "en", "x.example", "Harbour fog delays ships", "Thick fog delayed ships in the harbour.")
	ferry := testArticle("a2", "en", "y.example", "Ferries cancelled", "Ferries to the islands were cancelled, the pilots said.")
	budget := testArticle("b1", "en", "w.example", "Budget vote tonight", "The council votes on the budget tonight.")
	created := func(id string, a article.Article) story.Event {
		return story.Event{V: 2, Type: story.Created, Story: story.Story{ID: id, Headline: a.Title, Languages: []string{"en"},
			FirstSeen: t0, LastSeen: t0, Version: 1, MemberCount: 1, Members: []story.Member{member(a, t0)}},
			Articles: []article.Article{a}, At: t0}
	}
	update := story.Event{V: 2, Type: story.Updated, Story: story.Story{ID: "fog", Headline: fog.Title, Languages: []string{"en"},
		FirstSeen: t0, LastSeen: t0, Version: 2, MemberCount: 2, Members: []story.Member{member(ferry, t0)}},
		Articles: []article.Article{ferry}, At: t0}
	letters := func() []bus.StoredDeadLetter {
		t.Helper()
		recs, err := bus.ListDeadLetters(ctx, js, indexerStage, 0)
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}

	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	run := func(ix *index.Index) (*Indexer, func() error) {
		ixr := &Indexer{JS: js, Index: ix, Log: log, FlushGap: 300 * time.Millisecond, Refresh: -1, Retry: 10 * time.Millisecond}
		return ixr, runIndexer(ctx, ixr)
	}
	ixr, stop := run(ix)

	// Within one flush gap: good, poison, good.
	publishEvent(ctx, t, js, created("fog", fog))
	if err := bus.Publish(ctx, js, bus.Out{Subject: bus.StoriesSubject(story.Updated), Data: []byte("{not an event")}); err != nil {
		t.Fatal(err)
	}
	publishEvent(ctx, t, js, created("budget", budget))
	waitFor(t, "the good events applied", func() bool { return ixr.Applied() == 3 })
	if a, b := searchHits(t, ix, "harbour"), searchHits(t, ix, "budget"); a != 1 || b != 1 {
		t.Errorf("hits for the good events: %d and %d, want 1 and 1", a, b)
	}
	recs := letters()
	if len(recs) != 1 || recs[0].StreamSeq != 2 || string(recs[0].Data) != "{not an event" || recs[0].Reason == "" {
		t.Fatalf("dead letters after the poison event: %+v, want one for stream sequence 2 with its data and reason", recs)
	}

	// The index fails under the indexer: the event is retried, then
	// dead-lettered; the checkpoint does not pass it.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	publishEvent(ctx, t, js, update)
	waitFor(t, "the failed event dead-lettered", func() bool { return len(letters()) == 2 })
	if rec := letters()[1]; rec.StreamSeq != 4 || rec.Subject != bus.StoriesSubject(story.Updated) {
		t.Errorf("dead letter of the failed event: sequence %d on %q, want 4 on %q", rec.StreamSeq, rec.Subject, bus.StoriesSubject(story.Updated))
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	ix, err = index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if cp := indexCheckpoint(t, ix); cp != 3 {
		t.Errorf("checkpoint after the failure %d, want 3", cp)
	}
	ixr, stop = run(ix)
	defer stop()
	waitFor(t, "the restarted indexer applied the failed event", func() bool { return ixr.Applied() == 4 })
	if n, m := searchHits(t, ix, "ferries"), storyMembers(t, ix, "fog"); n != 1 || m != 2 {
		t.Errorf("after the restart: %d hits for the failed event's member, fog has %d members; want 1, 2", n, m)
	}
}

// runIndexer runs ixr until the stop it returns is called; stop waits for
// Run to end and gives its error.
func runIndexer(ctx context.Context, ixr *Indexer) (stop func() error) {
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ixr.Run(rctx) }()
	return func() error {
		cancel()
		return <-done
	}
}

// testBus starts an embedded nats-server with its data in dir and the
// project's streams, for as long as the test runs.
func testBus(t *testing.T, dir string) (context.Context, jetstream.JetStream, *slog.Logger) {
	t.Helper()
	ns, err := bus.StartEmbedded(bus.EmbeddedConfig{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	nc, js, err := bus.Connect(ctx, ns.ClientURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	if err := bus.Ensure(ctx, js, bus.Options{Replicas: 1}); err != nil {
		t.Fatal(err)
	}
	return ctx, js, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func publishEvent(ctx context.Context, t *testing.T, js jetstream.JetStream, ev story.Event) {
	t.Helper()
	data, err := story.Encode(ev)
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Publish(ctx, js, bus.Out{Subject: bus.StoriesSubject(ev.Type), Data: data}); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func searchHits(t *testing.T, ix *index.Index, q string) uint64 {
	t.Helper()
	r, err := ix.Search(index.SearchQuery{Q: q, Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	return r.Total
}

// searchedMembers gives the members of the first story q finds, as its
// search document was last written: 0 when none is found. An article's
// words are searchable once its own document is written, with its story;
// its story's search document may be written later (a refresh interval).
func searchedMembers(t *testing.T, ix *index.Index, q string) int {
	t.Helper()
	r, err := ix.Search(index.SearchQuery{Q: q, Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) == 0 {
		return 0
	}
	return len(r.Hits[0].Story.Members)
}

func storyMembers(t *testing.T, ix *index.Index, id string) int {
	t.Helper()
	v, _, err := ix.Story(id)
	if err != nil {
		t.Fatal(err)
	}
	return len(v.Members)
}

func indexCheckpoint(t *testing.T, ix *index.Index) uint64 {
	t.Helper()
	cp, err := ix.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func TestBusyWait(t *testing.T) {
	for _, c := range []struct {
		name    string
		n       int
		elapsed time.Duration
		want    time.Duration
	}{
		{"quiet: a few events flush at the gap", 10, 250 * time.Millisecond, 0},
		{"just under busy", busyEvents - 1, 250 * time.Millisecond, 0},
		{"busy: fill to the busy gap", busyEvents, 250 * time.Millisecond, 750 * time.Millisecond},
		{"busy, gap already past", 500, time.Second, 0},
		{"busy, late timer", 500, 1200 * time.Millisecond, 0},
	} {
		if got := busyWait(c.n, c.elapsed, time.Second); got != c.want {
			t.Errorf("%s: busyWait(%d, %v) = %v, want %v", c.name, c.n, c.elapsed, got, c.want)
		}
	}
}

// TestIndexerRetention: with a retention, the indexer prunes the stories
// last updated before it, through a real nats-server, at start and then
// periodically: a story that ages past it while the indexer runs goes too.
func TestIndexerRetention(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a nats-server")
	}
	dir := t.TempDir()
	ctx, js, log := testBus(t, dir)
	now := time.Now().UTC()
	const retain = 7 * 24 * time.Hour
	mk := func(id, word string, last time.Time) story.Event {
		a := testArticle(id+"-a", "en", "x.example", "Report on the "+word, "The "+word+" was reported today.")
		s := story.Story{ID: id, Headline: "h " + id, Languages: []string{"en"}, FirstSeen: last, LastSeen: last,
			Version: 1, MemberCount: 1, Members: []story.Member{member(a, last)}}
		return story.Event{V: 2, Type: story.Created, Story: s, Articles: []article.Article{a}, At: last}
	}
	old := mk("old", "eclipse", now.Add(-10*24*time.Hour))
	// Past the retention a moment after the indexer starts.
	aging := mk("aging", "comet", now.Add(-retain+1500*time.Millisecond))
	fresh := mk("fresh", "meteor", now.Add(-time.Hour))
	for _, ev := range []story.Event{old, aging, fresh} {
		publishEvent(ctx, t, js, ev)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ixr := &Indexer{JS: js, Index: ix, Log: log, FlushGap: 10 * time.Millisecond, Retain: retain, PruneEvery: 200 * time.Millisecond}
	stop := runIndexer(ctx, ixr)
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	found := func(id string) bool {
		_, ok, err := ix.Story(id)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	waitFor(t, "the three events indexed", func() bool { return ixr.Applied() == 3 })
	waitFor(t, "the story past the retention pruned", func() bool { return !found("old") })
	if !found("aging") || !found("fresh") {
		t.Fatalf("aging found %v, fresh found %v, want both while within the retention", found("aging"), found("fresh"))
	}
	waitFor(t, "the story that aged past the retention pruned", func() bool { return !found("aging") })
	if !found("fresh") || searchHits(t, ix, "meteor") != 1 || searchHits(t, ix, "eclipse") != 0 {
		t.Error("the fresh story should stay searchable and the old one should not be found")
	}
}
