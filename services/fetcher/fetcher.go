// Package fetcher is the NATS adapter of the fetch stage:
// fetch.requests → HTTP (pkg/fetch) → articles.raw. Run is the whole stage:
// fetch state and the seen-set in JetStream KV, the source list (YAML file,
// --feed URLs, sources added through the sources.* API) polled each on its
// own interval, and the worker.
package fetcher

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/services/bus"
)

// Request publishes a fetch request for url.
func Request(ctx context.Context, js jetstream.JetStream, url string) error {
	b, err := json.Marshal(bus.FetchRequest{V: 1, URL: url})
	if err != nil {
		return fmt.Errorf("encode fetch request: %w", err)
	}
	return bus.Publish(ctx, js, bus.Out{Subject: bus.SubjectFetch, Data: b})
}
