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
	"github.com/newsdedup/newsdedup/pkg/sources"
	"github.com/newsdedup/newsdedup/services/bus"
)

// request is bus.FetchRequest with the fields a scheduled poll adds;
// readers that know only bus.FetchRequest ignore them.
type request struct {
	V        int    `json:"v"`
	URL      string `json:"url"`
	Source   string `json:"source,omitempty"`
	Kind     string `json:"kind,omitempty"`
	MaxItems int    `json:"max_items,omitempty"`
	// Poll marks a request of the scheduler for a listed source: its
	// failures are recorded in the source's state and backed off, not
	// retried by the bus nor dead-lettered every interval.
	Poll bool `json:"poll,omitempty"`
	// Force fetches even an unchanged or backed-off source.
	Force bool `json:"force,omitempty"`
}

// HandlerOptions tune NewHandler.
type HandlerOptions struct {
	// Budget bounds the work on one request (45s), under the consumer's
	// ack wait. Entries not fetched by then are fetched by the next poll.
	Budget time.Duration
	// Stop, when closed, cuts the fetching short (shutdown): what was
	// fetched is still published and committed.
	Stop <-chan struct{}
	// Lookup finds a listed source by URL, so that a one-off request for a
	// listed URL gets its name, kind and item cap.
	Lookup func(url string) (sources.Source, bool)
}

// maxArticleBytes keeps an encoded article under the bus's payload limit.
const maxArticleBytes = bus.MaxPayload - 64<<10

// NewHandler returns the stage's handler over a Fetcher with a StateStore
// (Run builds both). It publishes articles itself before committing them
// to the seen-set, so that a failed publish is fetched again rather than
// lost; it returns no outputs to the worker.
func NewHandler(f *fetch.Fetcher, js jetstream.JetStream, o HandlerOptions, log *slog.Logger) bus.Handler {
	if o.Budget <= 0 {
		o.Budget = 45 * time.Second
	}
	if log == nil {
		log = slog.Default()
	}
	return func(ctx context.Context, data []byte) ([]bus.Out, error) {
		var req request
		if err := json.Unmarshal(data, &req); err != nil || req.URL == "" {
			return nil, bus.Poison(fmt.Errorf("bad fetch request: %v", err))
		}
		freq := fetch.Request{URL: req.URL, Source: req.Source, Kind: fetch.Kind(req.Kind), MaxItems: req.MaxItems,
			Force: req.Force, Once: !req.Poll}
		if o.Lookup != nil {
			if s, ok := o.Lookup(req.URL); ok {
				freq.Once = false // a listed source keeps its state however it is asked for
				freq.Source = orElse(freq.Source, s.Name)
				if freq.Kind == "" {
					freq.Kind = fetch.Kind(s.Kind)
				}
				if freq.MaxItems == 0 {
					freq.MaxItems = s.MaxItems
				}
				if !s.Disabled {
					freq.Interval = s.Interval
				}
			}
		}
		fctx, cancel := context.WithTimeout(ctx, o.Budget)
		defer cancel()
		if o.Stop != nil {
			go func() {
				select {
				case <-o.Stop:
					cancel()
				case <-fctx.Done():
				}
			}()
		}
		res, err := f.Do(fctx, freq)
		if err != nil {
			switch {
			case errors.Is(err, fetch.ErrBackedOff):
				log.Debug("source backed off", "url", req.URL, "err", err)
				return nil, nil
			case req.Poll:
				log.Warn("poll failed", "url", req.URL, "err", err)
				return nil, nil
			case fctx.Err() != nil:
				return nil, fmt.Errorf("fetch %s: %w", req.URL, err) // try again later
			case !fetch.Retryable(err):
				return nil, bus.Poison(err)
			}
			return nil, err
		}
		var outs []bus.Out
		var tooBig []error
		for _, a := range res.Articles {
			b, err := article.Encode(a)
			if err != nil {
				return nil, bus.Poison(err)
			}
			if len(b) > maxArticleBytes {
				tooBig = append(tooBig, &fetch.EntryError{URL: a.URL, Err: fmt.Errorf("%w: article of %d bytes exceeds the bus limit", fetch.ErrTooLarge, len(b))})
				continue
			}
			outs = append(outs, bus.Out{Subject: bus.SubjectRaw, Data: b, MsgID: "raw:" + a.ID})
		}
		if err := bus.Publish(ctx, js, outs...); err != nil {
			return nil, err // nothing committed: the next try fetches them again
		}
		failed := 0
		for _, e := range append(res.Errors, tooBig...) {
			var ee *fetch.EntryError
			if !errors.As(e, &ee) || ee.URL == "" {
				log.Debug("malformed entry", "source", req.URL, "err", e)
				continue
			}
			if ee.Retry {
				continue // the next poll tries it again
			}
			failed++
			log.Warn("feed entry failed", "source", req.URL, "entry", ee.URL, "err", ee.Err)
			entryReq, _ := json.Marshal(request{V: 1, URL: ee.URL, Source: freq.Source})
			rec := bus.DeadLetterRecord{V: 1, Stage: bus.StageFetcher, Reason: e.Error(), Subject: bus.SubjectFetch,
				At: time.Now().UTC(), Data: entryReq}
			if err := bus.PublishDeadLetter(ctx, js, rec); err != nil {
				return nil, err
			}
		}
		if err := f.Commit(ctx, res); err != nil {
			return nil, err
		}
		log.Info("fetched", "url", req.URL, "kind", res.Kind, "articles", len(outs), "not_modified", res.NotModified,
			"skipped", res.Skipped, "duplicates", res.Duplicates, "failed", failed, "deferred", res.Deferred)
		return nil, nil
	}
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
