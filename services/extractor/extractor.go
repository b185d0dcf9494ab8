// Package extractor is the NATS adapter of the extraction stage:
// articles.raw → boilerplate removal (pkg/extract) → articles.extracted.
package extractor

import (
	"context"
	"errors"
	"fmt"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/extract"
	"github.com/newsdedup/newsdedup/services/bus"
)

// Handler returns the stage's message handler.
func Handler(x *extract.Extractor) bus.Handler {
	return func(_ context.Context, data []byte) ([]bus.Out, error) {
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
		b, err := article.Encode(a)
		if err != nil {
			return nil, bus.Poison(err)
		}
		return []bus.Out{{Subject: bus.SubjectExtracted, Data: b, MsgID: "extracted:" + a.ID}}, nil
	}
}
