// Package langdetect is the NATS adapter of the language stage:
// articles.extracted → lingua-go (pkg/langid) → articles.detected.
package langdetect

import (
	"context"
	"errors"
	"log/slog"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/langid"
	"github.com/newsdedup/newsdedup/services/bus"
)

// Handler returns the stage's message handler. A language given with the
// input is trusted; otherwise the title and text decide.
func Handler(d *langid.Detector, log *slog.Logger) bus.Handler {
	return func(_ context.Context, data []byte) ([]bus.Out, error) {
		a, err := article.Decode(data)
		if err != nil {
			return nil, bus.Poison(err)
		}
		if a.LangGiven && a.Lang != "" {
			a.LangConfidence = 1
		} else if res, err := d.Detect(a.Title + "\n" + a.Text); err == nil {
			a.Lang, a.LangConfidence = res.Lang, res.Confidence
		} else if errors.Is(err, langid.ErrUndetermined) {
			// An article without a readable language still flows on: the
			// clustering features that cross languages do not need it.
			a.Lang, a.LangConfidence = "", 0
			log.Info("language undetermined", "article", a.ID)
		} else {
			return nil, err
		}
		b, err := article.Encode(a)
		if err != nil {
			return nil, bus.Poison(err)
		}
		return []bus.Out{{Subject: bus.SubjectDetected, Data: b, MsgID: "detected:" + a.ID}}, nil
	}
}
