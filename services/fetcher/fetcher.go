// Package fetcher is the NATS adapter of the fetch stage:
// fetch.requests → HTTP (pkg/fetch) → articles.raw. Run is the whole stage:
// fetch state and the seen-set in JetStream KV, the source list (YAML file,
// --feed URLs, sources added through the sources.* API) polled each on its
// own interval, and the worker. Handler and Poll are the first, stateless
// version, kept until the command switches to Run.
package fetcher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/fetch"
	"github.com/newsdedup/newsdedup/services/bus"
)

// Handler returns the stateless message handler: no conditional GET, no
// seen-set. A feed entry that fails is dead-lettered on its own; the others
// flow on. Run uses NewHandler instead.
func Handler(f *fetch.Fetcher, js jetstream.JetStream, log *slog.Logger) bus.Handler {
	return func(ctx context.Context, data []byte) ([]bus.Out, error) {
		var req bus.FetchRequest
		if err := json.Unmarshal(data, &req); err != nil || req.URL == "" {
			return nil, bus.Poison(fmt.Errorf("bad fetch request: %v", err))
		}
		arts, errs, err := f.Fetch(ctx, req.URL)
		if err != nil {
			if errors.Is(err, fetch.ErrScheme) || errors.Is(err, fetch.ErrTooLarge) {
				return nil, bus.Poison(err)
			}
			return nil, err
		}
		for _, e := range errs {
			log.Warn("feed entry failed", "feed", req.URL, "err", e)
			rec := bus.DeadLetterRecord{V: 1, Stage: bus.StageFetcher, Reason: e.Error(), Subject: bus.SubjectFetch, At: time.Now().UTC(), Data: data}
			if err := bus.PublishDeadLetter(ctx, js, rec); err != nil {
				return nil, err
			}
		}
		outs := make([]bus.Out, 0, len(arts))
		for _, a := range arts {
			if req.Source != "" {
				a.Source = req.Source
			}
			b, err := article.Encode(a)
			if err != nil {
				return nil, bus.Poison(err)
			}
			outs = append(outs, bus.Out{Subject: bus.SubjectRaw, Data: b, MsgID: "raw:" + a.ID})
		}
		log.Info("fetched", "url", req.URL, "articles", len(arts), "failed", len(errs))
		return outs, nil
	}
}

// Request publishes a fetch request for url.
func Request(ctx context.Context, js jetstream.JetStream, url string) error {
	b, err := json.Marshal(bus.FetchRequest{V: 1, URL: url})
	if err != nil {
		return fmt.Errorf("encode fetch request: %w", err)
	}
	return bus.Publish(ctx, js, bus.Out{Subject: bus.SubjectFetch, Data: b})
}

// Poll requests every feed now and then every interval until ctx ends.
// Articles already seen are dropped by the stream's message-id dedup.
func Poll(ctx context.Context, js jetstream.JetStream, feeds []string, every time.Duration, log *slog.Logger) {
	if len(feeds) == 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for _, u := range feeds {
			if err := Request(ctx, js, u); err != nil && ctx.Err() == nil {
				log.Warn("could not request feed", "feed", u, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
