// Package extractor is the NATS adapter of the extraction stage:
// articles.raw → boilerplate removal (pkg/extract) → articles.extracted.
// With a key-value bucket it adds the per-source layer, whose counts the
// replicas share through JetStream and keep across restarts.
package extractor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/extract"
	"github.com/newsdedup/newsdedup/pkg/ingest"
	"github.com/newsdedup/newsdedup/services/bus"
)

// Handler returns the stage's message handler without the per-source layer.
func Handler(x *extract.Extractor) bus.Handler {
	return NewHandler(x, nil, nil)
}

// NewHandler returns the stage's message handler. With counts (a
// SourceCounts over the bucket, see SourcesBucket), blocks that recur
// across a source's articles are removed too, with layer "source". A
// failing store does not hold articles back: they go on without that
// layer, and the failure is logged.
func NewHandler(x *extract.Extractor, counts extract.Counts, log *slog.Logger) bus.Handler {
	if log == nil {
		log = slog.Default()
	}
	var model *extract.SourceModel
	if counts != nil {
		model = extract.NewSourceModel(counts, extract.SourceConfig{})
	}
	return func(ctx context.Context, data []byte) ([]bus.Out, error) {
		a, err := article.Decode(data)
		if err != nil {
			return nil, bus.Poison(err)
		}
		a, err = x.Apply(a)
		if err != nil {
			if errors.Is(err, extract.ErrBinary) || errors.Is(err, extract.ErrTooLarge) || errors.Is(err, extract.ErrEmptyInput) {
				return nil, bus.Poison(fmt.Errorf("article %s: %w", a.ID, err))
			}
			return nil, fmt.Errorf("article %s: %w", a.ID, err)
		}
		if model != nil {
			a = applySource(ctx, model, a, log)
		}
		b, err := article.Encode(a)
		if err != nil {
			return nil, bus.Poison(err)
		}
		return []bus.Out{{Subject: bus.SubjectExtracted, Data: b, MsgID: "extracted:" + a.ID}}, nil
	}
}

// applySource runs the per-source layer; an article without a source is
// attributed to its URL's site.
func applySource(ctx context.Context, m *extract.SourceModel, a article.Article, log *slog.Logger) article.Article {
	orig := a.Source
	if a.Source == "" && a.URL != "" {
		a.Source = ingest.SourceOf(a.URL)
	}
	out, err := m.Apply(ctx, a)
	if err != nil {
		log.Warn("per-source layer skipped", "article", a.ID, "err", err)
	}
	out.Source = orig
	return out
}
