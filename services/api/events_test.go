package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// sseEvent is one server-sent event: its name and data.
type sseEvent struct{ name, data string }

// readEvents parses an event stream into ch until it ends.
func readEvents(body *bufio.Reader, ch chan<- sseEvent) {
	defer close(ch)
	var ev sseEvent
	for {
		line, err := body.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if ev.name != "" || ev.data != "" {
				ch <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.data += strings.TrimPrefix(line, "data: ")
		}
	}
}

func TestEventStream(t *testing.T) {
	ix, err := index.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: NewHandler(ix, nil, nil, WithHeartbeat(50*time.Millisecond))}
	go srv.Serve(ln)
	base := "http://" + ln.Addr().String()

	res, err := http.Get(base + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type = %q", ct)
	}
	ch := make(chan sseEvent, 16)
	go readEvents(bufio.NewReader(res.Body), ch)

	// The stream is open once the handler has flushed its preamble; a
	// change applied now must reach it. Apply until the watcher exists.
	a := article.Article{ID: "a1", Lang: "it", Title: "Sciopero", Text: "Treni fermi."}
	ev := story.Event{V: 1, Type: story.Created, At: t0, Articles: []article.Article{a},
		Story: story.Story{ID: "s1", Headline: "Sciopero", Version: 1, FirstSeen: t0, LastSeen: t0,
			Members: []story.Member{{ArticleID: "a1", Lang: "it", Added: t0}}}}
	deadline := time.After(10 * time.Second)
	for got := false; !got; {
		ev.Story.Version++
		if err := ix.Apply(ev); err != nil {
			t.Fatal(err)
		}
		select {
		case e := <-ch:
			if e.name != "story" {
				continue
			}
			var c index.Change
			if err := json.Unmarshal([]byte(e.data), &c); err != nil {
				t.Fatal(err)
			}
			if c.StoryID != "s1" || c.Type != story.Created || c.Headline != "Sciopero" {
				t.Errorf("change = %+v", c)
			}
			got = true
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			t.Fatal("no story event within 10s")
		}
	}

	// Shutdown must not wait for the open stream.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown with an open event stream: %v", err)
	}
	for range ch { // drained: the stream ended
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Error("shutdown waited for its deadline")
	}
}
