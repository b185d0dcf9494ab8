// Package cluster is the NATS adapter of the clustering stage:
// articles.detected → online story clustering (pkg/cluster) → stories.*.
// It is stateful and runs as a single instance.
package cluster

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cluster"
	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
)

// Handler returns the stage's message handler. The engine is idempotent by
// article id, so a redelivered article produces no second assignment.
func Handler(e *cluster.Engine, log *slog.Logger) bus.Handler {
	return func(_ context.Context, data []byte) ([]bus.Out, error) {
		a, err := article.Decode(data)
		if err != nil {
			return nil, bus.Poison(err)
		}
		if a.Empty || a.Text == "" {
			log.Info("not clustered: no article text after extraction", "article", a.ID)
			return nil, nil
		}
		events, err := e.Add(a)
		if err != nil {
			return nil, bus.Poison(fmt.Errorf("cluster article %s: %w", a.ID, err))
		}
		return Outs(events)
	}
}

// Outs turns story events into messages; the message id (story, version,
// type) makes a re-emitted event after a crash land once.
func Outs(events []story.Event) ([]bus.Out, error) {
	outs := make([]bus.Out, 0, len(events))
	for _, ev := range events {
		b, err := story.Encode(ev)
		if err != nil {
			return nil, bus.Poison(err)
		}
		outs = append(outs, bus.Out{
			Subject: bus.StoriesSubject(ev.Type),
			Data:    b,
			MsgID:   ev.Story.ID + ":" + strconv.Itoa(ev.Story.Version) + ":" + ev.Type,
		})
	}
	return outs, nil
}

// Restore rebuilds the engine's state by replaying, in stream order, every
// article the stage had already acknowledged before this process started.
// The engine is deterministic, so the stories come out as they were; their
// events are not republished.
func Restore(ctx context.Context, js jetstream.JetStream, e *cluster.Engine, log *slog.Logger) (int, error) {
	cons, err := js.Consumer(ctx, bus.StreamArticles, bus.StageCluster)
	if err != nil {
		return 0, fmt.Errorf("restore: open consumer: %w", err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("restore: consumer info: %w", err)
	}
	upTo := info.AckFloor.Stream
	if upTo == 0 {
		return 0, nil
	}
	oc, err := js.OrderedConsumer(ctx, bus.StreamArticles, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{bus.SubjectDetected},
	})
	if err != nil {
		return 0, fmt.Errorf("restore: ordered consumer: %w", err)
	}
	it, err := oc.Messages()
	if err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	defer it.Stop()
	start := time.Now()
	n := 0
	for {
		msg, err := it.Next(jetstream.NextMaxWait(10 * time.Second))
		if err != nil {
			return n, fmt.Errorf("restore: replay stopped before sequence %d: %w", upTo, err)
		}
		meta, err := msg.Metadata()
		if err != nil {
			return n, fmt.Errorf("restore: %w", err)
		}
		if meta.Sequence.Stream > upTo {
			break
		}
		if a, err := article.Decode(msg.Data()); err == nil && !a.Empty && a.Text != "" {
			if _, err := e.Add(a); err == nil {
				n++
			}
		}
		if meta.Sequence.Stream == upTo || meta.NumPending == 0 {
			break
		}
	}
	log.Info("clustering state restored from the article stream", "articles", n, "up_to_seq", upTo, "took", time.Since(start).Round(time.Millisecond))
	return n, nil
}
