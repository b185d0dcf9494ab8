package ops

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServe(t *testing.T) {
	m := NewMetrics()
	m.Observe("extractor", 3*time.Millisecond, "ok")
	m.Observe("extractor", time.Millisecond, "dead_letter")
	m.ActiveStories.Set(7)
	m.HeldArticles.Set(40)
	m.Waiting("cluster", 3)
	ready := errors.New("catching up")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, err := Serve(ctx, "127.0.0.1:0", m, func() error { return ready }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tests := []struct {
		path, contains string
		code           int
	}{
		{"/healthz", "ok", 200},
		{"/readyz", "catching up", 503},
		{"/metrics", `newsdedup_messages_total{outcome="dead_letter",stage="extractor"} 1`, 200},
		{"/metrics", "newsdedup_active_stories 7", 200},
		{"/metrics", "newsdedup_held_articles 40", 200},
		{"/metrics", `newsdedup_outputs_waiting{stage="cluster"} 3`, 200},
		{"/metrics", "newsdedup_stage_seconds_bucket", 200},
	}
	for _, tt := range tests {
		code, body := get(tt.path)
		if code != tt.code || !strings.Contains(body, tt.contains) {
			t.Errorf("GET %s = %d, want %d containing %q; body:\n%.300s", tt.path, code, tt.code, tt.contains, body)
		}
	}
	ready = nil
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("readyz after ready: %d", code)
	}
}
