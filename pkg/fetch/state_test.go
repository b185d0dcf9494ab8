package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// siteLog records what a test site was asked.
type siteLog struct {
	mu    sync.Mutex
	hits  map[string]int
	conds []string // the conditional headers of each feed request
}

func (l *siteLog) hit(path string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hits[path]++
}

func (l *siteLog) count(path string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.hits[path]
}

// statefulServer serves feeds with validators, pages whose canonical
// differs from their address, and a page that fails on demand.
func statefulServer(t *testing.T) (*httptest.Server, *siteLog, *sync.Map) {
	t.Helper()
	log := &siteLog{hits: map[string]int{}}
	var flags sync.Map // "flaky" → true makes /p/flaky.html answer 503
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.hit(r.URL.Path)
		base := srv.URL
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/etag.xml":
			log.mu.Lock()
			log.conds = append(log.conds, r.Header.Get("If-None-Match")+"|"+r.Header.Get("If-Modified-Since"))
			log.mu.Unlock()
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Last-Modified", "Mon, 09 Mar 2026 10:00:00 GMT")
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>E</title><link>%[1]s/</link><description>d</description>
<item><title>One</title><link>%[1]s/p/one.html</link></item>
<item><title>Flaky</title><link>%[1]s/p/flaky.html</link></item></channel></rss>`, base)
		case "/plain.xml": // no validators at all
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>P</title><link>%[1]s/</link><description>d</description>
<item><title>One</title><link>%[1]s/p/one.html</link></item></channel></rss>`, base)
		// The same story in three feeds, linked three ways.
		case "/a.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>A</title><link>%[1]s/</link><description>d</description>
<item><title>Story</title><link>%[1]s/p/story.html?utm_source=a</link></item></channel></rss>`, base)
		case "/b.xml":
			w.Header().Set("Content-Type", "application/atom+xml")
			fmt.Fprintf(w, `<feed xmlns="http://www.w3.org/2005/Atom"><title>B</title><id>urn:b</id><updated>2026-03-09T00:00:00Z</updated>
<entry><title>Story</title><id>urn:s</id><link href="%[1]s/p/story.html?utm_medium=b&amp;utm_campaign=x"/><updated>2026-03-09T00:00:00Z</updated></entry></feed>`, base)
		case "/c.json":
			w.Header().Set("Content-Type", "application/feed+json")
			fmt.Fprintf(w, `{"version":"https://jsonfeed.org/version/1.1","title":"C","items":[{"id":"s","url":"%[1]s/amp/story.html","title":"Story"}]}`, base)
		case "/amp/story.html":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, `<html><head><link rel="canonical" href="%s/p/story.html"></head><body>amp</body></html>`, base)
		case "/p/flaky.html":
			if v, _ := flags.Load("flaky"); v == true {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			fallthrough
		default:
			if strings.HasPrefix(r.URL.Path, "/p/") {
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprintf(w, `<html><head><title>%s</title></head><body>page</body></html>`, r.URL.Path)
				return
			}
			if r.URL.Path == "/down.xml" {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			if r.URL.Path == "/throttled.xml" {
				w.Header().Set("Retry-After", "7200")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, log, &flags
}

func TestConditionalGet(t *testing.T) {
	srv, log, flags := statefulServer(t)
	ctx := context.Background()
	store := NewMemoryState()
	f := newTestFetcher(Config{State: store})
	feed := srv.URL + "/etag.xml"

	// 1: a page fails for now: the poll is incomplete, validators not kept.
	flags.Store("flaky", true)
	res, err := f.Do(ctx, Request{URL: feed})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Articles) != 1 || !res.Incomplete || len(res.Errors) != 1 || !res.Errors[0].(*EntryError).Retry {
		t.Fatalf("poll 1: %d articles, incomplete %v, errors %v", len(res.Articles), res.Incomplete, res.Errors)
	}
	if err := f.Commit(ctx, res); err != nil {
		t.Fatal(err)
	}
	// 2: not conditional; the article already published is skipped and
	// the flaky one fetched.
	flags.Store("flaky", false)
	res, err = f.Do(ctx, Request{URL: feed})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Articles) != 1 || res.Articles[0].Title != "Flaky" || res.Skipped != 1 || res.Incomplete {
		t.Fatalf("poll 2: %+v", res)
	}
	if err := f.Commit(ctx, res); err != nil {
		t.Fatal(err)
	}
	// 3: conditional, 304, nothing fetched.
	res, err = f.Do(ctx, Request{URL: feed})
	if err != nil || !res.NotModified || len(res.Articles) != 0 {
		t.Fatalf("poll 3: %+v, %v", res, err)
	}
	want := []string{"|", "|", `"v1"|Mon, 09 Mar 2026 10:00:00 GMT`}
	if strings.Join(log.conds, " ") != strings.Join(want, " ") {
		t.Errorf("conditional headers %q, want %q", log.conds, want)
	}
	// Flaky: three tries in poll 1 (two retries), one in poll 2.
	if log.count("/p/one.html") != 1 || log.count("/p/flaky.html") != 4 {
		t.Errorf("page fetches: one %d, flaky %d", log.count("/p/one.html"), log.count("/p/flaky.html"))
	}
	st, _ := store.Load(ctx, feed)
	if st.ETag != `"v1"` || st.LastStatus != 304 || st.Articles != 2 || st.Failures != 0 || st.Kind != KindFeed {
		t.Errorf("state %+v", st)
	}
	// Force ignores the validators.
	if res, err := f.Do(ctx, Request{URL: feed, Force: true}); err != nil || res.NotModified {
		t.Errorf("forced: %+v, %v", res, err)
	}

	t.Run("unchanged body without validators", func(t *testing.T) {
		plain := srv.URL + "/plain.xml"
		res, err := f.Do(ctx, Request{URL: plain})
		if err != nil || res.NotModified {
			t.Fatalf("%+v, %v", res, err)
		}
		f.Commit(ctx, res)
		res, err = f.Do(ctx, Request{URL: plain})
		if err != nil || !res.NotModified {
			t.Fatalf("same body again: %+v, %v", res, err)
		}
	})
}

func TestSameArticleInThreeFeeds(t *testing.T) {
	srv, log, _ := statefulServer(t)
	ctx := context.Background()
	f := newTestFetcher(Config{State: NewMemoryState()})
	var published []string
	for _, feed := range []string{"/a.xml", "/b.xml", "/c.json"} {
		res, err := f.Do(ctx, Request{URL: srv.URL + feed})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Articles {
			published = append(published, a.URL)
		}
		if err := f.Commit(ctx, res); err != nil {
			t.Fatal(err)
		}
		if feed == "/c.json" && res.Duplicates != 1 {
			t.Errorf("the AMP page should count as a duplicate: %+v", res)
		}
	}
	if len(published) != 1 || published[0] != srv.URL+"/p/story.html" {
		t.Errorf("published %v, want the story once", published)
	}
	if n := log.count("/p/story.html"); n != 1 {
		t.Errorf("story page fetched %d times, want 1", n)
	}
	// A second round fetches no page at all.
	for _, feed := range []string{"/a.xml", "/b.xml", "/c.json"} {
		if res, err := f.Do(ctx, Request{URL: srv.URL + feed}); err != nil || len(res.Articles) != 0 {
			t.Errorf("%s again: %+v, %v", feed, res, err)
		}
	}
	if log.count("/amp/story.html") != 1 {
		t.Errorf("AMP page fetched %d times", log.count("/amp/story.html"))
	}
}

func TestFailingSourceBackedOff(t *testing.T) {
	srv, log, _ := statefulServer(t)
	ctx := context.Background()
	store := NewMemoryState()
	now := fixedNow
	f := newTestFetcher(Config{State: store, Retries: -1, FailureBackoff: time.Minute})
	f.now = func() time.Time { return now }
	down := srv.URL + "/down.xml"

	for i := 1; i <= 2; i++ {
		if _, err := f.Do(ctx, Request{URL: down}); !errors.Is(err, ErrStatus) {
			t.Fatalf("poll %d: err = %v", i, err)
		}
	}
	st, _ := store.Load(ctx, down)
	if st.Failures != 2 || st.LastStatus != 500 || !st.BackedOff(now) || st.BackoffUntil.After(now.Add(70*time.Second)) {
		t.Fatalf("after two failures: %+v", st)
	}
	var be *BackoffError
	if _, err := f.Do(ctx, Request{URL: down}); !errors.As(err, &be) || !errors.Is(err, ErrBackedOff) {
		t.Fatalf("during backoff: err = %v", err)
	}
	if log.count("/down.xml") != 2 {
		t.Errorf("server asked %d times, want 2", log.count("/down.xml"))
	}
	// The third failure doubles the wait.
	now = st.BackoffUntil.Add(time.Second)
	f.Do(ctx, Request{URL: down})
	st, _ = store.Load(ctx, down)
	if st.Failures != 3 || st.BackoffUntil.Sub(now) < 100*time.Second {
		t.Errorf("after three failures: %+v", st)
	}

	t.Run("long Retry-After backs off at once", func(t *testing.T) {
		u := srv.URL + "/throttled.xml"
		f.Do(ctx, Request{URL: u})
		st, _ := store.Load(ctx, u)
		if st.Failures != 1 || st.BackoffUntil.Sub(now) != 2*time.Hour {
			t.Errorf("%+v", st)
		}
	})
	t.Run("success resets", func(t *testing.T) {
		st, _ := store.Load(ctx, down)
		st.URL = srv.URL + "/plain.xml"
		store.Save(ctx, st)
		res, err := f.Do(ctx, Request{URL: st.URL, Force: true})
		if err != nil {
			t.Fatal(err)
		}
		f.Commit(ctx, res)
		st, _ = store.Load(ctx, st.URL)
		if st.Failures != 0 || st.LastError != "" || st.BackedOff(now) {
			t.Errorf("%+v", st)
		}
		list, _ := store.List(ctx)
		if len(list) != 3 {
			t.Errorf("List: %d states", len(list))
		}
	})
}

func TestDeadlineDefersEntries(t *testing.T) {
	srv, _, _ := statefulServer(t)
	// One request per second per host with no burst beyond the feed's own:
	// with a short deadline, entry pages wait past it and are deferred.
	f := newTestFetcher(Config{State: NewMemoryState(), HostRate: 1, HostBurst: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := f.Do(ctx, Request{URL: srv.URL + "/etag.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Deferred != 2 || !res.Incomplete || len(res.Errors) != 0 {
		t.Errorf("%+v", res)
	}
}

func TestKey(t *testing.T) {
	if Key("https://Example.org/a?utm_source=x") != Key("https://example.org/a") || len(Key("x")) != 32 {
		t.Error("Key should be 32 hex chars of the canonical URL")
	}
}

func TestOverdue(t *testing.T) {
	at := fixedNow
	polled := State{LastAttempt: at, NextPoll: at.Add(10 * time.Minute)}
	backedOff := polled
	backedOff.BackoffUntil = at.Add(time.Hour)
	for _, tc := range []struct {
		name  string
		st    State
		after time.Duration
		want  bool
	}{
		{"before its next poll", polled, 5 * time.Minute, false},
		{"a poll late by less than an interval", polled, 19 * time.Minute, false},
		{"nobody polled it for a whole interval past its next poll", polled, 21 * time.Minute, true},
		{"backed off: late only an interval past its backoff", backedOff, 65 * time.Minute, false},
		{"backed off and then not polled", backedOff, 71 * time.Minute, true},
		{"fetched off schedule", State{LastAttempt: at}, 1000 * time.Hour, false},
		{"next poll not after the last attempt", State{LastAttempt: at, NextPoll: at}, time.Hour, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.st.Overdue(at.Add(tc.after)); got != tc.want {
				t.Errorf("Overdue %v after the last attempt = %v, want %v", tc.after, got, tc.want)
			}
		})
	}
}

func TestPollKeepsNextPoll(t *testing.T) {
	srv, _, _ := statefulServer(t)
	ctx := context.Background()
	store := NewMemoryState()
	now := fixedNow
	f := newTestFetcher(Config{State: store, Retries: -1, FailureBackoff: time.Minute})
	f.now = func() time.Time { return now }
	for _, tc := range []struct {
		name, path string
		interval   time.Duration
		want       time.Time
	}{
		{"a scheduled success", "/plain.xml", 15 * time.Minute, now.Add(15 * time.Minute)},
		{"a scheduled failure", "/down.xml", 15 * time.Minute, now.Add(15 * time.Minute)},
		{"off schedule", "/a.xml", 0, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if res, err := f.Do(ctx, Request{URL: srv.URL + tc.path, Interval: tc.interval}); err == nil {
				if err := f.Commit(ctx, res); err != nil {
					t.Fatal(err)
				}
			}
			st, _ := store.Load(ctx, srv.URL+tc.path)
			if !st.NextPoll.Equal(tc.want) || !st.LastAttempt.Equal(now) {
				t.Errorf("next poll %v, last attempt %v; want %v, %v", st.NextPoll, st.LastAttempt, tc.want, now)
			}
		})
	}
}
