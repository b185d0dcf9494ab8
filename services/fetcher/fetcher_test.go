package fetcher

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/fetch"
	"github.com/newsdedup/newsdedup/pkg/sources"
	"github.com/newsdedup/newsdedup/services/bus"
)

// startBus starts a real embedded nats-server with the pipeline's streams.
func startBus(t *testing.T) (*nats.Conn, jetstream.JetStream) {
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
	return nc, js
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		ok, s := cond()
		if ok {
			return
		}
		last = s
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: still %s", what, last)
}

// rawArticles reads every article on articles.raw.
func rawArticles(t *testing.T, js jetstream.JetStream) []article.Article {
	t.Helper()
	ctx := context.Background()
	s, err := js.Stream(ctx, bus.StreamArticles)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []article.Article
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			continue
		}
		if m.Subject != bus.SubjectRaw {
			continue
		}
		a, err := article.Decode(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func TestKVState(t *testing.T) {
	_, js := startBus(t)
	ctx := context.Background()
	if list, err := FeedStatusOf(ctx, js); err != nil || list != nil {
		t.Fatalf("before any fetcher: %v, %v", list, err)
	}
	kvs, err := OpenState(ctx, js, StateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenState(ctx, js, StateOptions{}); err != nil {
		t.Fatalf("opening again (another replica): %v", err)
	}
	u := "https://example.org/feed.xml"
	st, err := kvs.Load(ctx, u)
	if err != nil || st.URL != u || st.ETag != "" {
		t.Fatalf("unknown source: %+v, %v", st, err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	want := fetch.State{URL: u, ETag: `"x"`, Failures: 3, BackoffUntil: now.Add(time.Hour), LastError: "boom", Articles: 7}
	if err := kvs.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	if err := kvs.Save(ctx, fetch.State{URL: "https://a.example/rss"}); err != nil {
		t.Fatal(err)
	}
	got, err := kvs.Load(ctx, u)
	if err != nil || got.ETag != want.ETag || got.Failures != 3 || !got.BackoffUntil.Equal(want.BackoffUntil) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	list, err := kvs.List(ctx)
	if err != nil || len(list) != 2 || list[0].URL != "https://a.example/rss" {
		t.Fatalf("list: %+v, %v", list, err)
	}
	if seen, err := kvs.Seen(ctx, "https://example.org/a"); err != nil || seen {
		t.Fatalf("seen before marking: %v %v", seen, err)
	}
	if err := kvs.MarkSeen(ctx, "https://example.org/a", "https://example.org/b"); err != nil {
		t.Fatal(err)
	}
	if seen, err := kvs.Seen(ctx, "https://example.org/b"); err != nil || !seen {
		t.Fatalf("seen after marking: %v %v", seen, err)
	}
	// The API's view, from the bucket alone.
	kv, err := js.KeyValue(ctx, BucketState)
	if err != nil {
		t.Fatal(err)
	}
	status, err := FeedStatus(ctx, kv)
	if err != nil || len(status) != 2 {
		t.Fatalf("status: %+v, %v", status, err)
	}
	if again, err := FeedStatusOf(ctx, js); err != nil || len(again) != 2 {
		t.Fatalf("FeedStatusOf: %v, %v", again, err)
	}
	if s := status[1]; !s.BackedOff || s.Healthy || s.Articles != 7 {
		t.Errorf("failing source status: %+v", s)
	}
	if sum := Summarize(status); sum != (Summary{Sources: 2, Failing: 1, BackedOff: 1, Articles: 7}) {
		t.Errorf("summary %+v", sum)
	}
	// A source no fetcher polls any more (taken out of the list after it
	// failed) is overdue, not failing, and listed last.
	gone := fetch.State{URL: "https://0.example/gone.xml", Failures: 1, LastError: "boom", Articles: 2,
		LastAttempt: now.Add(-3 * time.Hour), NextPoll: now.Add(-2 * time.Hour)}
	if err := kvs.Save(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if status, err = FeedStatus(ctx, kv); err != nil || len(status) != 3 || !status[0].Overdue || status[1].Overdue || status[2].Overdue {
		t.Fatalf("status with an overdue source: %+v, %v", status, err)
	}
	if sum := Summarize(status); sum != (Summary{Sources: 3, Failing: 1, BackedOff: 1, Overdue: 1, Articles: 9}) {
		t.Errorf("summary with an overdue source %+v", sum)
	}
	Rank(status)
	var order []string
	for _, s := range status {
		order = append(order, s.URL)
	}
	if want := []string{u, "https://a.example/rss", gone.URL}; !slices.Equal(order, want) {
		t.Errorf("ranked %q, want %q (failing, healthy, overdue)", order, want)
	}
}

// site is a local news site: feeds, pages, and a count of what was asked.
type site struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits map[string]int
	n304 int
}

func newSite(t *testing.T) *site {
	s := &site{hits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		base := s.srv.URL
		feed := func(items ...string) {
			if r.Header.Get("If-None-Match") == `"`+r.URL.Path+`"` {
				s.mu.Lock()
				s.n304++
				s.mu.Unlock()
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"`+r.URL.Path+`"`)
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>T</title><link>%s/</link><description>d</description>`, base)
			for _, it := range items {
				fmt.Fprintf(w, `<item><title>%s</title><link>%s%s</link></item>`, it, base, it)
			}
			fmt.Fprint(w, `</channel></rss>`)
		}
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/one.xml":
			feed("/p/a.html", "/p/shared.html?utm_source=one")
		case "/two.xml":
			feed("/p/b.html", "/p/shared.html?utm_source=two")
		case "/three.xml":
			feed("/p/c.html", "/p/shared.html#top", "/p/gone.html")
		default:
			if strings.HasPrefix(r.URL.Path, "/p/") && r.URL.Path != "/p/gone.html" {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprintf(w, `<html><head><title>%s</title></head><body><p>Text of %s.</p></body></html>`, r.URL.Path, r.URL.Path)
				return
			}
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func TestRun(t *testing.T) {
	nc, js := startBus(t)
	site := newSite(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "sources.yaml")
	write := func(body string) {
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(fmt.Sprintf("sources:\n  - url: %s/one.xml\n    name: One Daily\n    interval: 1s\n", site.srv.URL))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := Config{
		Fetch:       fetch.Config{AllowPrivate: true, HostRate: -1},
		SourcesFile: file,
		Sources:     sources.Options{MinInterval: 100 * time.Millisecond, DefaultInterval: time.Hour},
		ReloadEvery: 100 * time.Millisecond,
	}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, js, cfg, quietLog()) }()

	byURL := func() map[string]article.Article {
		m := map[string]article.Article{}
		for _, a := range rawArticles(t, js) {
			m[a.URL] = a
		}
		return m
	}
	raw := func(n int) func() (bool, string) {
		return func() (bool, string) {
			got := rawArticles(t, js)
			return len(got) == n, fmt.Sprintf("%d articles on %s", len(got), bus.SubjectRaw)
		}
	}
	waitFor(t, "first feed", raw(2))
	if a := byURL()[site.srv.URL+"/p/a.html"]; a.Source != "One Daily" || a.HTML == "" {
		t.Errorf("article %+v: want the source name of the file", a)
	}
	// The 1s interval polls again: a conditional GET answered 304.
	waitFor(t, "a conditional re-poll", func() (bool, string) {
		site.mu.Lock()
		defer site.mu.Unlock()
		return site.n304 >= 1, fmt.Sprintf("%d answers 304", site.n304)
	})

	// Editing the file adds a source without a restart.
	write(fmt.Sprintf("sources:\n  - url: %s/one.xml\n    name: One Daily\n    interval: 1s\n  - url: %s/two.xml\n    interval: 1h\n",
		site.srv.URL, site.srv.URL))
	waitFor(t, "second feed from the reloaded file", raw(3))

	// A source added through the API is polled by every replica.
	add := sources.Source{URL: site.srv.URL + "/three.xml", Interval: time.Hour}
	rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
	defer rcancel()
	if _, err := RequestAddSource(rctx, nc, add); err != nil {
		t.Fatal(err)
	}
	if _, err := RequestAddSource(rctx, nc, sources.Source{URL: "ftp://nope"}); err == nil {
		t.Error("an invalid source was accepted")
	}
	waitFor(t, "third feed added through the API", raw(4))
	list, err := RequestListSources(rctx, nc)
	if err != nil || len(list.Sources) != 3 {
		t.Errorf("list: %+v, %v", list, err)
	}

	// The shared article was in three feeds: fetched once, published once.
	if n := site.count("/p/shared.html"); n != 1 {
		t.Errorf("shared page fetched %d times", n)
	}
	got := byURL()
	if _, ok := got[site.srv.URL+"/p/shared.html"]; !ok || len(got) != 4 {
		t.Errorf("articles: %v", got)
	}
	// The dead entry was dead-lettered once, as a request for that entry.
	waitFor(t, "dead-lettered entry", func() (bool, string) {
		s, _ := js.Stream(ctx, bus.StreamDLQ)
		info, _ := s.Info(ctx)
		return info.State.Msgs == 1, fmt.Sprintf("%d dead letters", info.State.Msgs)
	})

	kv, err := js.KeyValue(ctx, BucketState)
	if err != nil {
		t.Fatal(err)
	}
	status, err := FeedStatus(ctx, kv)
	if err != nil || len(status) != 3 {
		t.Fatalf("status %+v, %v", status, err)
	}
	// Each listed source's state says when its next poll is: one of its
	// intervals after the last attempt.
	intervals := map[string]time.Duration{"/one.xml": time.Second, "/two.xml": time.Hour, "/three.xml": time.Hour}
	for _, s := range status {
		if !s.Healthy || s.Articles == 0 || s.ETag == "" || s.Overdue {
			t.Errorf("status %+v", s)
		}
		if iv := intervals[strings.TrimPrefix(s.URL, site.srv.URL)]; s.NextPoll.Sub(s.LastAttempt) != iv {
			t.Errorf("%s: next poll %v after the last attempt, want its interval %v", s.URL, s.NextPoll.Sub(s.LastAttempt), iv)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not stop")
	}
}

// A restarted fetcher does not fetch again what an earlier one did.
func TestRunRestartKeepsState(t *testing.T) {
	_, js := startBus(t)
	site := newSite(t)
	feed := site.srv.URL + "/one.xml"
	cfg := Config{
		Fetch:   fetch.Config{AllowPrivate: true, HostRate: -1},
		Feeds:   []string{feed},
		Sources: sources.Options{DefaultInterval: time.Hour},
	}
	for round := 1; round <= 2; round++ {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- Run(ctx, js, cfg, quietLog()) }()
		if round == 2 {
			// The restarted scheduler's request for the same slot is
			// dropped by the stream; ask for the feed explicitly instead.
			if err := Request(ctx, js, feed); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, "feed polled", func() (bool, string) {
			n := site.count("/one.xml")
			return n == round, fmt.Sprintf("feed asked %d times", n)
		})
		waitFor(t, "articles", func() (bool, string) {
			n := len(rawArticles(t, js))
			return n == 2, fmt.Sprintf("%d articles", n)
		})
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	site.mu.Lock()
	defer site.mu.Unlock()
	if site.n304 != 1 || site.hits["/p/a.html"] != 1 {
		t.Errorf("after restart: %d answers 304, page fetched %d times", site.n304, site.hits["/p/a.html"])
	}
}

func TestHandlerOneOff(t *testing.T) {
	_, js := startBus(t)
	site := newSite(t)
	kvs, err := OpenState(context.Background(), js, StateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := fetch.New(fetch.Config{AllowPrivate: true, HostRate: -1, Retries: -1, State: kvs})
	h := NewHandler(f, js, HandlerOptions{}, quietLog())
	ctx := context.Background()
	if _, err := h(ctx, []byte(`{"v":1,"url":"`+site.srv.URL+`/p/gone.html"}`)); err == nil || !strings.Contains(err.Error(), bus.ErrPoison.Error()) {
		t.Errorf("404 page: err = %v, want poison", err)
	}
	if _, err := h(ctx, []byte(`{"v":1}`)); err == nil {
		t.Error("request without URL accepted")
	}
	if _, err := h(ctx, []byte(`{"v":1,"url":"`+site.srv.URL+`/p/x.html","source":"Given"}`)); err != nil {
		t.Fatal(err)
	}
	arts := rawArticles(t, js)
	if len(arts) != 1 || arts[0].Source != "Given" {
		t.Fatalf("articles %+v", arts)
	}
	// A one-off URL keeps no source state of its own.
	if list, _ := kvs.List(ctx); len(list) != 0 {
		t.Errorf("one-off fetches left state: %+v", list)
	}
}
