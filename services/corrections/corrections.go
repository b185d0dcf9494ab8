// Package corrections sends editors' corrections (story.Correction) to the
// clustering stage and reports what became of each: the story events it
// caused, or the reason the stage refused it. The `newsdedup stories`
// command and the API's POST /api/corrections both go through it.
//
// A correction travels on articles.corrections, in the ARTICLES stream,
// where the clustering stage reads it in order with the articles. The
// stage marks the events a correction causes with its id (the
// Newsdedup-Correction header), and dead-letters a correction it refuses
// with the reason, so the answer is read from stories.> and dlq.cluster.
package corrections

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
)

// Outcome is what became of a correction.
type Outcome struct {
	Correction story.Correction
	// Events are the story events the correction caused, in the order they
	// came; none when it was refused or no answer came in time.
	Events []story.Event
	// Refused is the reason the clustering stage gave for refusing it.
	Refused string
}

// Answered tells whether the stage answered: it applied the correction or
// refused it. An unanswered correction stays queued in the stream and is
// applied (or refused) when the stage gets to it.
func (o Outcome) Answered() bool { return o.Refused != "" || len(o.Events) > 0 }

// NewID is a random correction id. The stream drops a repeated one, so a
// correction sent twice by a retry lands once, while two editors' equal
// corrections are two (the second refused: already one story, or an
// article already moved out of the story it was in).
func NewID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "c-" + hex.EncodeToString(b)
}

// Send publishes c and waits up to wait for its answer; with wait 0 it
// returns once the stream has stored it. c must pass Check. Only a failure
// to reach NATS is an error: a refusal is an Outcome.
func Send(ctx context.Context, js jetstream.JetStream, c story.Correction, wait time.Duration) (Outcome, error) {
	out := Outcome{Correction: c}
	data, err := story.EncodeCorrection(c)
	if err != nil {
		return out, err
	}
	nc := js.Conn()
	// Subscribed before the correction is sent, so no answer is missed.
	answers := make(chan *nats.Msg, 64)
	if wait > 0 {
		for _, subj := range []string{bus.SubjectStories + ".>", bus.DLQSubject(bus.StageCluster)} {
			sub, err := nc.ChanSubscribe(subj, answers)
			if err != nil {
				return out, fmt.Errorf("correction %s: subscribe %s: %w", c.ID, subj, err)
			}
			defer sub.Unsubscribe()
		}
		if err := nc.Flush(); err != nil {
			return out, fmt.Errorf("correction %s: %w", c.ID, err)
		}
	}
	if err := bus.Publish(ctx, js, bus.Out{Subject: bus.SubjectCorrections, Data: data, MsgID: "correction:" + c.ID}); err != nil {
		return out, fmt.Errorf("correction %s: send: %w", c.ID, err)
	}
	if wait <= 0 {
		return out, nil
	}
	return await(ctx, out, answers, wait)
}

// await gathers the story events that carry the correction, or the reason
// its dead-letter record gives. The events of one correction are published
// together: once one came, the others follow within moments.
func await(ctx context.Context, out Outcome, answers <-chan *nats.Msg, wait time.Duration) (Outcome, error) {
	c := out.Correction
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	var settle <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return out, ctx.Err()
		case <-deadline.C:
			return out, nil
		case <-settle:
			return out, nil
		case m := <-answers:
			if strings.HasPrefix(m.Subject, bus.SubjectDLQ+".") {
				var rec bus.DeadLetterRecord
				if json.Unmarshal(m.Data, &rec) != nil {
					continue
				}
				if id, reason, ok := refusal(rec); ok && id == c.ID {
					out.Refused = reason
					return out, nil
				}
				continue
			}
			if m.Header.Get(bus.HeaderCorrection) != c.ID {
				continue // another change: not decoded
			}
			ev, err := story.Decode(m.Data)
			if err != nil || ev.Edit == nil || ev.Edit.ID != c.ID {
				continue
			}
			out.Events = append(out.Events, ev)
			if len(out.Unreported()) == 0 {
				return out, nil
			}
			settle = time.After(time.Second)
		}
	}
}

// refusal reads a dead-letter record of the clustering stage: the id of
// the correction it refused, and why (without the poison prefix); ok is
// false for a record of anything else.
func refusal(rec bus.DeadLetterRecord) (id, reason string, ok bool) {
	if rec.Subject != bus.SubjectCorrections {
		return "", "", false
	}
	c, err := story.DecodeCorrection(rec.Data)
	if err != nil {
		return "", "", false
	}
	return c.ID, strings.TrimPrefix(rec.Reason, bus.ErrPoison.Error()+": "), true
}

// Unreported lists what the correction names that its events so far do
// not account for. A merge: the stories that are neither the survivor, nor
// absorbed, nor its aliases (a story merged into another earlier, named by
// its old id). A split: the articles no split event removed.
func (o Outcome) Unreported() []string {
	c := o.Correction
	if len(o.Events) == 0 {
		if c.Op == story.OpSplit {
			return slices.Clone(c.Articles)
		}
		return slices.Clone(c.Stories)
	}
	last := o.Events[len(o.Events)-1].Story
	if c.Op == story.OpSplit {
		return slices.DeleteFunc(slices.Clone(c.Articles), func(id string) bool {
			return slices.ContainsFunc(o.Events, func(ev story.Event) bool { return slices.Contains(ev.Removed, id) })
		})
	}
	return slices.DeleteFunc(slices.Clone(c.Stories), func(id string) bool {
		if id == last.ID || slices.Contains(last.Aliases, id) {
			return true
		}
		return slices.ContainsFunc(o.Events, func(ev story.Event) bool { return slices.Contains(ev.Absorbed, id) })
	})
}

// Result is an answered correction's effect, as the API gives it.
type Result struct {
	// Story is the story the correction leaves: the survivor of a merge,
	// the story a split took articles out of.
	Story string `json:"story"`
	// Size is Story's number of articles afterwards.
	Size int `json:"size"`
	// Absorbed are the stories a merge took in; Removed the articles a
	// split moved, Into the story they now form.
	Absorbed []string `json:"absorbed,omitempty"`
	Removed  []string `json:"removed,omitempty"`
	Into     string   `json:"into,omitempty"`
	// Unreported is what the correction named that no event accounted for
	// yet (see Unreported).
	Unreported []string `json:"not_reported,omitempty"`
}

// Result sums up the events of an answered, applied correction.
func (o Outcome) Result() Result {
	if len(o.Events) == 0 {
		return Result{Unreported: o.Unreported()}
	}
	last := o.Events[len(o.Events)-1]
	r := Result{Story: last.Story.ID, Size: last.Story.Size(), Unreported: o.Unreported()}
	for _, ev := range o.Events {
		r.Absorbed = append(r.Absorbed, ev.Absorbed...)
		if len(ev.Removed) > 0 {
			// The story a split leaves, not the one it founds (whose
			// created event has no removed articles).
			r.Story, r.Size = ev.Story.ID, ev.Story.Size()
			r.Removed, r.Into = append(r.Removed, ev.Removed...), ev.Into
		}
	}
	return r
}

// Summary says in one line what an applied correction did.
func (o Outcome) Summary() string {
	if len(o.Events) == 0 {
		return "no change reported"
	}
	r := o.Result()
	c := o.Correction
	var s string
	switch c.Op {
	case story.OpSplit:
		s = fmt.Sprintf("moved %s out of %s (%d articles left) into the new story %s (correction %s)",
			strings.Join(r.Removed, ", "), r.Story, r.Size, r.Into, c.ID)
	default:
		s = fmt.Sprintf("merged %s into %s: %d articles, version %d; the merged ids now lead to %s (correction %s)",
			strings.Join(r.Absorbed, ", "), r.Story, r.Size, o.Events[len(o.Events)-1].Story.Version, r.Story, c.ID)
	}
	if len(r.Unreported) > 0 {
		s += "\nnot reported yet: " + strings.Join(r.Unreported, ", ")
	}
	return s
}
