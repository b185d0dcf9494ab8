package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// sleepRecorder stands in for the retry sleep: the test sees the waits the
// fetcher asked for without waiting them.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return nil
}

func htmlPage(w http.ResponseWriter, title string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<html><head><title>%s</title></head><body><p>%s body</p></body></html>", title, title)
}

func TestRetries(t *testing.T) {
	var mu sync.Mutex
	calls := map[string]int{}
	srv, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls[r.URL.Path]++
		n := calls[r.URL.Path]
		mu.Unlock()
		switch r.URL.Path {
		case "/429-then-ok":
			if n == 1 {
				w.Header().Set("Retry-After", "2")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			htmlPage(w, "Finally")
		case "/503-date-then-ok":
			if n == 1 {
				w.Header().Set("Retry-After", fixedNow.Add(3*time.Second).UTC().Format(http.TimeFormat))
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			htmlPage(w, "Back")
		case "/429-long":
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
		case "/500":
			w.WriteHeader(http.StatusInternalServerError)
		case "/404":
			http.NotFound(w, r)
		}
	})
	tests := []struct {
		name      string
		path      string
		wantErr   error
		wantCalls int
		check     func(t *testing.T, waits []time.Duration)
	}{
		{"429 honours Retry-After seconds", "/429-then-ok", nil, 2, func(t *testing.T, w []time.Duration) {
			if len(w) != 1 || w[0] != 2*time.Second {
				t.Errorf("waits %v, want [2s]", w)
			}
		}},
		{"503 honours Retry-After date", "/503-date-then-ok", nil, 2, func(t *testing.T, w []time.Duration) {
			if len(w) != 1 || w[0] != 3*time.Second {
				t.Errorf("waits %v, want [3s]", w)
			}
		}},
		{"Retry-After past MaxRetryWait is not waited", "/429-long", ErrStatus, 1, func(t *testing.T, w []time.Duration) {
			if len(w) != 0 {
				t.Errorf("waited %v", w)
			}
		}},
		{"5xx backs off exponentially with jitter", "/500", ErrStatus, 3, func(t *testing.T, w []time.Duration) {
			if len(w) != 2 || w[0] < 250*time.Millisecond || w[0] > 500*time.Millisecond ||
				w[1] < 500*time.Millisecond || w[1] > time.Second {
				t.Errorf("waits %v, want one in [250ms,500ms] then one in [500ms,1s]", w)
			}
		}},
		{"404 is not retried", "/404", ErrStatus, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newTestFetcher(Config{})
			rec := &sleepRecorder{}
			f.sleep = rec.sleep
			arts, _, err := f.Fetch(context.Background(), srv.URL+tt.path)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && len(arts) != 1) {
				t.Fatalf("err = %v (arts %d), want %v", err, len(arts), tt.wantErr)
			}
			mu.Lock()
			got := calls[tt.path]
			mu.Unlock()
			if got != tt.wantCalls {
				t.Errorf("%d requests, want %d", got, tt.wantCalls)
			}
			if tt.check != nil {
				tt.check(t, rec.waits)
			}
		})
	}
	t.Run("long Retry-After is reported", func(t *testing.T) {
		_, _, err := newTestFetcher(Config{}).Fetch(context.Background(), srv.URL+"/429-long")
		var se *StatusError
		if !errors.As(err, &se) || se.RetryAfter != time.Hour {
			t.Fatalf("err = %v, want a StatusError with RetryAfter 1h", err)
		}
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"": 0, "0": 0, "-5": 0, "120": 2 * time.Minute, "soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestTimeouts(t *testing.T) {
	srv, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/drip":
			// Headers at once, then a byte every 50ms: each read succeeds,
			// only a deadline on the whole body stops it.
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusOK)
			for range 400 {
				if _, err := w.Write([]byte("x")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		case "/no-headers":
			select {
			case <-r.Context().Done():
			case <-time.After(20 * time.Second):
			}
		}
	})
	tests := []struct {
		name string
		path string
		cfg  Config
	}{
		{"slow-drip body", "/drip", Config{BodyTimeout: 300 * time.Millisecond, Retries: -1}},
		{"no headers", "/no-headers", Config{HeaderTimeout: 200 * time.Millisecond, Retries: -1}},
		{"whole request", "/drip", Config{Timeout: 300 * time.Millisecond, Retries: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := newTestFetcher(tt.cfg).Fetch(context.Background(), srv.URL+tt.path)
			if !errors.Is(err, ErrTimeout) {
				t.Fatalf("err = %v, want ErrTimeout", err)
			}
			if !Retryable(err) {
				t.Errorf("a timeout should be retryable: %v", err)
			}
		})
	}
}

// bomb compresses n zero bytes: a few KB on the wire, n bytes decoded.
func bomb(t *testing.T, enc string, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch enc {
	case "gzip":
		w, _ = gzip.NewWriterLevel(&buf, gzip.BestCompression)
	case "br":
		w = brotli.NewWriterLevel(&buf, brotli.BestSpeed)
	}
	zeros := make([]byte, 1<<20)
	for range n >> 20 {
		w.Write(zeros)
	}
	w.Close()
	return buf.Bytes()
}

func TestCompression(t *testing.T) {
	gzBomb := bomb(t, "gzip", 16<<20)
	brBomb := bomb(t, "br", 16<<20)
	pageHTML := "<html><head><title>Squeezed</title></head><body><p>Brotli body.</p></body></html>"
	var brPage bytes.Buffer
	bw := brotli.NewWriter(&brPage)
	bw.Write([]byte(pageHTML))
	bw.Close()
	var accepted atomic.Value
	srv, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		accepted.Store(r.Header.Get("Accept-Encoding"))
		w.Header().Set("Content-Type", "text/html")
		switch r.URL.Path {
		case "/gzip-bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzBomb)
		case "/br-bomb":
			w.Header().Set("Content-Encoding", "br")
			w.Write(brBomb)
		case "/gz-file-bomb":
			// A compressed file, not a compressed transfer (sitemap.xml.gz).
			w.Header().Set("Content-Type", "application/gzip")
			w.Write(gzBomb)
		case "/br":
			w.Header().Set("Content-Encoding", "br")
			w.Write(brPage.Bytes())
		case "/weird":
			w.Header().Set("Content-Encoding", "compress")
			w.Write([]byte("??"))
		}
	})
	cfg := Config{MaxBodyBytes: 1 << 20}
	for _, path := range []string{"/gzip-bomb", "/br-bomb", "/gz-file-bomb"} {
		t.Run(path, func(t *testing.T) {
			_, _, err := newTestFetcher(cfg).Fetch(context.Background(), srv.URL+path)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
		})
	}
	t.Run("brotli page", func(t *testing.T) {
		arts, _, err := newTestFetcher(cfg).Fetch(context.Background(), srv.URL+"/br")
		if err != nil || len(arts) != 1 || !strings.Contains(arts[0].HTML, "Brotli body.") || arts[0].Title != "Squeezed" {
			t.Fatalf("arts %+v, err %v", arts, err)
		}
		if got, _ := accepted.Load().(string); !strings.Contains(got, "br") || !strings.Contains(got, "gzip") {
			t.Errorf("Accept-Encoding %q", got)
		}
	})
	t.Run("unknown encoding", func(t *testing.T) {
		if _, _, err := newTestFetcher(cfg).Fetch(context.Background(), srv.URL+"/weird"); !errors.Is(err, ErrUnsupported) {
			t.Fatalf("err = %v", err)
		}
	})
}
