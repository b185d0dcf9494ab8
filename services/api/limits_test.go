package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
	"github.com/newsdedup/newsdedup/services/corrections"
)

func TestTake(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	every := 3 * time.Second
	for _, tc := range []struct {
		name  string
		b     tokens
		found bool
		now   time.Time
		ok    bool
		left  float64
		wait  time.Duration
	}{
		{"a first correction finds the bucket full", tokens{}, false, t0, true, 19, 0},
		{"one left", tokens{Left: 1, At: t0}, true, t0, true, 0, 0},
		{"empty", tokens{Left: 0, At: t0}, true, t0, false, 0, 3 * time.Second},
		{"refilled by a third", tokens{Left: 0, At: t0}, true, t0.Add(time.Second), false, 0, 2 * time.Second},
		{"refilled by one", tokens{Left: 0.5, At: t0}, true, t0.Add(1500 * time.Millisecond), true, 0, 0},
		{"full again, not fuller", tokens{Left: 0, At: t0}, true, t0.Add(time.Hour), true, 19, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, wait := take(tc.b, tc.found, tc.now, 20, every)
			if ok != tc.ok || wait != tc.wait || (ok && (got.Left != tc.left || !got.At.Equal(tc.now))) {
				t.Errorf("take = %+v, %v, %v; want left %v, %v, %v", got, ok, wait, tc.left, tc.ok, tc.wait)
			}
		})
	}
}

// TestEditorLimitsShared runs two API handlers, as two replicas behind a
// load balancer, on one real nats-server: an editor's burst is one for
// both, also when corrections race through both at once.
func TestEditorLimitsShared(t *testing.T) {
	ix, eds := editingSetup(t, "k9R2x7Qp4Lm8Zt3W night desk\nQ7w3Rt8Zp2Lk5Xm9 day desk\n")
	ctx, js, _ := testBus(t, t.TempDir())
	var sent atomic.Int32
	replica := func(burst int) *httptest.Server {
		srv := httptest.NewServer(NewHandler(ix, nil, nil, func(h *handler) {
			h.edit = &editing{editors: func() (*Editors, error) { return eds, nil }, burst: burst, every: time.Hour, js: js,
				send: func(_ context.Context, c story.Correction) (corrections.Outcome, error) {
					sent.Add(1)
					return corrections.Outcome{Correction: c, Refused: "already one story"}, nil
				}}
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	post := func(srv *httptest.Server, token string) int {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/corrections",
			strings.NewReader(`{"op":"merge","stories":["a","b"]}`))
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	a, b := replica(3), replica(3)
	const night, day = "k9R2x7Qp4Lm8Zt3W", "Q7w3Rt8Zp2Lk5Xm9"
	for i, tc := range []struct {
		srv    *httptest.Server
		token  string
		status int
	}{
		{a, night, http.StatusUnprocessableEntity},
		{b, night, http.StatusUnprocessableEntity},
		{a, night, http.StatusUnprocessableEntity},
		{b, night, http.StatusTooManyRequests}, // each replica alone would allow 3
		{a, night, http.StatusTooManyRequests},
		{b, day, http.StatusUnprocessableEntity}, // another editor's bucket
	} {
		if got := post(tc.srv, tc.token); got != tc.status {
			t.Errorf("correction %d: %d, want %d", i, got, tc.status)
		}
	}
	if n := sent.Load(); n != 4 {
		t.Errorf("%d corrections sent, want 4", n)
	}

	// Racing: 12 corrections by the day desk through both replicas at
	// once take the 2 its bucket has left, no more.
	sent.Store(0)
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() { post([]*httptest.Server{a, b}[i%2], day) })
	}
	wg.Wait()
	if n := sent.Load(); n != 2 {
		t.Errorf("%d racing corrections sent, want the bucket's 2", n)
	}
}

// TestEditorLimitsWithoutNATS: with the shared buckets out of reach, the
// process limits an editor on its own rather than refusing everything or
// letting everything through.
func TestEditorLimitsWithoutNATS(t *testing.T) {
	ns, err := bus.StartEmbedded(bus.EmbeddedConfig{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	nc, js, err := bus.Connect(ctx, ns.ClientURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ns.Shutdown()
	ns.WaitForShutdown()
	e := &editing{burst: 2, every: time.Hour, js: js}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := time.Now()
	for i, want := range []bool{true, true, false} {
		if ok, _ := e.allow(ctx, "night desk", now, log); ok != want {
			t.Errorf("correction %d allowed: %v, want %v", i, ok, want)
		}
	}
}
