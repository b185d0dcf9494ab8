package fetcher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/fetch"
	"github.com/newsdedup/newsdedup/pkg/sources"
)

// Subjects of the sources API: core NATS request/reply, answered by one
// fetcher replica (queue group "fetcher"). Sources added this way live in
// the FETCH_STATE bucket, so every replica polls them and they survive
// restarts; the YAML file wins over them for the same URL.
const (
	SubjectSourcesAdd    = "sources.add"    // payload: a sources.Source as JSON; reply: SourcesReply
	SubjectSourcesRemove = "sources.remove" // payload: {"url"}; reply: SourcesReply
	SubjectSourcesList   = "sources.list"   // payload: none; reply: SourcesReply with every source in force
)

// SourcesReply answers the sources API.
type SourcesReply struct {
	OK      bool             `json:"ok"`
	Error   string           `json:"error,omitempty"`
	Sources []sources.Source `json:"sources,omitempty"`
}

// AddSource validates src under o and stores it in FETCH_STATE.
func AddSource(ctx context.Context, kv jetstream.KeyValue, src sources.Source, o sources.Options) (sources.Source, error) {
	src, err := src.Normalize(o)
	if err != nil {
		return src, err
	}
	b, err := json.Marshal(src)
	if err != nil {
		return src, fmt.Errorf("fetcher: encode source: %w", err)
	}
	if _, err := kv.Put(ctx, sourcePrefix+fetch.Key(src.URL), b); err != nil {
		return src, fmt.Errorf("fetcher: store source %s: %w", src.URL, err)
	}
	return src, nil
}

// RemoveSource deletes a source added at run time. A source of the YAML
// file is removed by editing the file.
func RemoveSource(ctx context.Context, kv jetstream.KeyValue, url string) error {
	if err := kv.Delete(ctx, sourcePrefix+fetch.Key(url)); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("fetcher: remove source %s: %w", url, err)
	}
	return nil
}

// ListSources returns the sources added at run time, sorted by URL.
func ListSources(ctx context.Context, kv jetstream.KeyValue) ([]sources.Source, error) {
	return decodeAll(ctx, kv, sourcePrefix, func(s sources.Source) string { return s.URL })
}

// RequestAddSource asks a running fetcher to add src, for the CLI and API.
func RequestAddSource(ctx context.Context, nc *nats.Conn, src sources.Source) (SourcesReply, error) {
	b, err := json.Marshal(src)
	if err != nil {
		return SourcesReply{}, fmt.Errorf("encode source: %w", err)
	}
	return callSources(ctx, nc, SubjectSourcesAdd, b)
}

// RequestRemoveSource asks a running fetcher to remove a source added at run time.
func RequestRemoveSource(ctx context.Context, nc *nats.Conn, url string) (SourcesReply, error) {
	b, _ := json.Marshal(map[string]string{"url": url})
	return callSources(ctx, nc, SubjectSourcesRemove, b)
}

// RequestListSources asks a running fetcher for the sources in force.
func RequestListSources(ctx context.Context, nc *nats.Conn) (SourcesReply, error) {
	return callSources(ctx, nc, SubjectSourcesList, nil)
}

func callSources(ctx context.Context, nc *nats.Conn, subject string, data []byte) (SourcesReply, error) {
	msg, err := nc.RequestWithContext(ctx, subject, data)
	if err != nil {
		return SourcesReply{}, fmt.Errorf("%s: %w (is a fetcher running?)", subject, err)
	}
	var r SourcesReply
	if err := json.Unmarshal(msg.Data, &r); err != nil {
		return SourcesReply{}, fmt.Errorf("%s: bad reply: %w", subject, err)
	}
	if !r.OK {
		return r, fmt.Errorf("%s: %s", subject, r.Error)
	}
	return r, nil
}

// serveSources answers the sources API until ctx ends.
func serveSources(ctx context.Context, nc *nats.Conn, kv jetstream.KeyValue, o sources.Options, current func() []sources.Source) (func(), error) {
	reply := func(m *nats.Msg, r SourcesReply) {
		b, _ := json.Marshal(r)
		_ = m.Respond(b)
	}
	fail := func(m *nats.Msg, err error) { reply(m, SourcesReply{Error: err.Error()}) }
	handle := func(m *nats.Msg) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		switch m.Subject {
		case SubjectSourcesAdd:
			var src sources.Source
			if err := json.Unmarshal(m.Data, &src); err != nil {
				fail(m, err)
				return
			}
			got, err := AddSource(ctx, kv, src, o)
			if err != nil {
				fail(m, err)
				return
			}
			reply(m, SourcesReply{OK: true, Sources: []sources.Source{got}})
		case SubjectSourcesRemove:
			var req struct {
				URL string `json:"url"`
			}
			if err := json.Unmarshal(m.Data, &req); err != nil || req.URL == "" {
				fail(m, fmt.Errorf("want {\"url\": ...}"))
				return
			}
			if err := RemoveSource(ctx, kv, req.URL); err != nil {
				fail(m, err)
				return
			}
			reply(m, SourcesReply{OK: true})
		case SubjectSourcesList:
			reply(m, SourcesReply{OK: true, Sources: current()})
		}
	}
	var subs []*nats.Subscription
	stop := func() {
		for _, s := range subs {
			_ = s.Unsubscribe()
		}
	}
	for _, subj := range []string{SubjectSourcesAdd, SubjectSourcesRemove, SubjectSourcesList} {
		s, err := nc.QueueSubscribe(subj, "fetcher", handle)
		if err != nil {
			stop()
			return nil, fmt.Errorf("fetcher: subscribe %s: %w", subj, err)
		}
		subs = append(subs, s)
	}
	return stop, nil
}
