package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

const (
	defaultHeartbeat = 15 * time.Second
	// watchBuffer is how many changes a slow client may lag behind before
	// it is told to resynchronise instead.
	watchBuffer = 256
	// retryMS is the reconnection delay a browser's EventSource is given.
	retryMS = 2000
)

// events: GET /api/events, a server-sent event stream of index changes.
//
//	event: story    data: {"type","story_id","version","headline","absorbed","edit","at"}
//	event: resync   data: {"missed":N}  (changes were dropped: read again)
//
// Each event is sent once the change is searchable, so a client that
// reacts by searching sees it.
func (h *handler) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprintf(w, "retry: %d\n: newsdedup story events\n\n", retryMS); err != nil {
		return
	}
	if err := rc.Flush(); err != nil {
		h.log.Warn("api: event stream cannot be flushed", "err", err)
		return
	}

	done := h.streams.hook(r)
	wt := h.ix.Watch(watchBuffer)
	defer wt.Stop()
	beat := time.NewTicker(h.heartbeat)
	defer beat.Stop()
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case <-done:
			return
		case c, ok := <-wt.C:
			if !ok {
				return // the index was closed
			}
			b, _ := json.Marshal(c) // a Change always encodes
			_, err = fmt.Fprintf(w, "event: story\ndata: %s\n\n", b)
		case <-beat.C:
			_, err = fmt.Fprint(w, ": keep-alive\n\n")
		}
		if err == nil {
			if n := wt.Missed(); n > 0 {
				_, err = fmt.Fprintf(w, "event: resync\ndata: {\"missed\":%d}\n\n", n)
			}
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return // the client went away
		}
	}
}

// streams ends every event stream when the server they are served by shuts
// down: http.Server.Shutdown waits for active requests, and an event stream
// never ends by itself. Hooking the server found in the request context
// needs no help from whoever built the server.
type streams struct {
	mu     sync.Mutex
	hooked map[*http.Server]bool
	done   chan struct{}
	once   sync.Once
}

func newStreams() *streams {
	return &streams{hooked: map[*http.Server]bool{}, done: make(chan struct{})}
}

// hook registers the shutdown hook of r's server (once per server) and
// returns the channel closed at shutdown.
func (s *streams) hook(r *http.Request) <-chan struct{} {
	srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server)
	if !ok {
		return s.done
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.hooked[srv] {
		s.hooked[srv] = true
		srv.RegisterOnShutdown(func() { s.once.Do(func() { close(s.done) }) })
	}
	return s.done
}
