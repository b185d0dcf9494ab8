package corrections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
)

// What became of a correction in the log (Entry.Outcome).
const (
	Applied = "applied" // the clustering stage took it and announced its events
	Refused = "refused" // the stage dead-lettered it, with a reason
	Queued  = "queued"  // the stage has not got to it yet
)

// Entry is a correction as the log lists it: who asked for what, when,
// and what became of it.
type Entry struct {
	story.Correction
	Outcome string `json:"outcome"`
	Reason  string `json:"reason,omitempty"` // why it was refused
}

// Recent lists the latest corrections sent (limit of them, newest first),
// read from articles.corrections in the ARTICLES stream (so as far back as
// the stream keeps articles), each with its outcome: refused when the
// clustering stage dead-lettered it, applied once the stage's consumer has
// acknowledged it, queued before. A delivery of a correction the stage had
// already applied (a retry) is listed once.
func Recent(ctx context.Context, js jetstream.JetStream, limit int) ([]Entry, error) {
	stream, err := js.Stream(ctx, bus.StreamArticles)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	info, err := stream.Info(ctx, jetstream.WithSubjectFilter(bus.SubjectCorrections))
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	if info.State.Subjects[bus.SubjectCorrections] == 0 {
		return nil, nil
	}
	oc, err := js.OrderedConsumer(ctx, bus.StreamArticles, jetstream.OrderedConsumerConfig{FilterSubjects: []string{bus.SubjectCorrections}})
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	type sent struct {
		c   story.Correction
		seq uint64
	}
	var all []sent
	seen := map[string]bool{}
	for {
		msg, err := oc.Next(jetstream.FetchMaxWait(2 * time.Second))
		if errors.Is(err, jetstream.ErrNoMessages) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("corrections: %w", err)
		}
		meta, err := msg.Metadata()
		if err != nil {
			return nil, fmt.Errorf("corrections: %w", err)
		}
		if c, err := story.DecodeCorrection(msg.Data()); err == nil && !seen[c.ID] {
			seen[c.ID] = true
			all = append(all, sent{c, meta.Sequence.Stream})
		}
		if meta.NumPending == 0 {
			break
		}
	}
	refused := map[string]string{}
	dls, err := bus.ListDeadLetters(ctx, js, bus.StageCluster, 0)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	for _, d := range dls {
		if id, reason, ok := refusal(d.DeadLetterRecord); ok {
			refused[id] = reason
		}
	}
	var done uint64
	if cons, err := js.Consumer(ctx, bus.StreamArticles, bus.StageCluster); err == nil {
		if ci, err := cons.Info(ctx); err == nil {
			done = ci.AckFloor.Stream
		}
	}
	out := make([]Entry, 0, min(len(all), max(limit, 0)))
	for i := len(all) - 1; i >= 0 && len(out) < limit; i-- {
		e := Entry{Correction: all[i].c, Outcome: Queued}
		switch reason, ok := refused[e.ID]; {
		case ok:
			e.Outcome, e.Reason = Refused, reason
		case all[i].seq <= done:
			e.Outcome = Applied
		}
		out = append(out, e)
	}
	return out, nil
}
