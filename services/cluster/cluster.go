// Package cluster is the NATS adapter of the clustering stage:
// articles.detected → online story clustering (pkg/cluster) → stories.*.
// It is stateful and runs as a single instance.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cluster"
	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
)

// Handler returns the stage's message handler. The engine is idempotent by
// article id: a redelivered article joins no story twice, it re-announces
// its story (its events may never have been published), and the events'
// message ids make a repeat land once.
//
// With Prepare as the worker's Prepare hook, the article's features come
// computed (in parallel across a batch) and the handler only assigns.
// Editors' corrections (bus.SubjectCorrections) come in the same order
// and are applied as they come; one the engine cannot apply (an unknown
// or inactive story, stories already one, a split it cannot make) is
// dead-lettered with the reason, which is how `newsdedup stories` learns
// of it.
//
// Each article is added with its stream sequence (cluster.Prepared.Ref),
// so that a split of an article whose vector the engine let go can read
// it again from js (nil: it cannot, and such a split is refused).
func Handler(e *cluster.Engine, js jetstream.JetStream, log *slog.Logger) bus.Handler {
	return func(ctx context.Context, data []byte) ([]bus.Out, error) {
		prepared := bus.Prepared(ctx)
		if prepared == nil {
			var err error
			if prepared, err = prepare(e, bus.Subject(ctx), data, log); err != nil {
				return nil, err
			}
		}
		var events []story.Event
		var err error
		switch p := prepared.(type) {
		case noText:
			return nil, nil
		case story.Correction:
			recalled, err := recall(ctx, js, e, p, log)
			if err != nil {
				// Not the correction's fault: retried, as a failed publish is.
				return nil, fmt.Errorf("correction %s: %w", p.ID, err)
			}
			if events, err = e.Correct(p, recalled...); err != nil {
				return nil, bus.Poison(fmt.Errorf("correction %s: %w", p.ID, err))
			}
			log.Info("correction applied", "id", p.ID, "op", p.Op, "stories", p.Stories, "articles", p.Articles, "by", p.By,
				"story", events[0].Story.ID)
		case *cluster.Prepared:
			p.Ref = bus.Sequence(ctx)
			if events, err = e.AddPrepared(p); err != nil {
				return nil, bus.Poison(fmt.Errorf("cluster article: %w", err))
			}
		default:
			return nil, bus.Poison(fmt.Errorf("cluster: prepared input of type %T", prepared))
		}
		return Outs(events)
	}
}

// Prepare is the stage's bus.Worker Prepare hook: it decodes the article
// and computes what depends on it alone, or decodes a correction.
func Prepare(e *cluster.Engine, log *slog.Logger) func(context.Context, []byte) (any, error) {
	return func(ctx context.Context, data []byte) (any, error) {
		return prepare(e, bus.Subject(ctx), data, log)
	}
}

// prepare reads an input of the given subject: a story.Correction, a
// *cluster.Prepared article, or noText.
func prepare(e *cluster.Engine, subject string, data []byte, log *slog.Logger) (any, error) {
	if subject == bus.SubjectCorrections {
		c, err := story.DecodeCorrection(data)
		if err != nil {
			return nil, bus.Poison(err)
		}
		return c, nil
	}
	a, err := decode(data, log)
	if err != nil {
		return nil, err
	}
	if a == nil {
		return noText{}, nil
	}
	return e.Prepare(*a), nil
}

// recall reads again, from the ARTICLES stream, the articles correction c
// needs given again (cluster.Engine.Recall) and prepares them. One the
// stream no longer holds (past its age limit), or added without a
// sequence, is left out, and the engine refuses the split, saying so: a
// replay meets the same absence and refuses it too. Any other failure to
// read is an error, for the correction to be tried again: refused now and
// applied by a later replay, it would leave two states.
func recall(ctx context.Context, js jetstream.JetStream, e *cluster.Engine, c story.Correction, log *slog.Logger) ([]*cluster.Prepared, error) {
	refs := e.Recall(c)
	if len(refs) == 0 || js == nil {
		return nil, nil
	}
	stream, err := js.Stream(ctx, bus.StreamArticles)
	if err != nil {
		return nil, fmt.Errorf("read its articles again: %w", err)
	}
	var out []*cluster.Prepared
	for id, seq := range refs {
		if seq == 0 {
			continue
		}
		raw, err := stream.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			log.Warn("correction: article no longer in the stream", "id", c.ID, "article", id, "seq", seq)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read article %s again (sequence %d): %w", id, seq, err)
		}
		a, err := article.Decode(raw.Data)
		if err != nil || a.ID != id || raw.Subject != bus.SubjectDetected {
			log.Warn("correction: not the article at its sequence", "id", c.ID, "article", id, "seq", seq, "subject", raw.Subject, "err", err)
			continue
		}
		p := e.Prepare(a)
		p.Ref = seq
		out = append(out, p)
	}
	return out, nil
}

// noText marks a prepared input that has nothing to cluster.
type noText struct{}

// decode reads an article; nil for one with no text to cluster.
func decode(data []byte, log *slog.Logger) (*article.Article, error) {
	a, err := article.Decode(data)
	if err != nil {
		return nil, bus.Poison(err)
	}
	if a.Empty || a.Text == "" {
		log.Info("not clustered: no article text after extraction", "article", a.ID)
		return nil, nil
	}
	return &a, nil
}

// maxEventBytes is what an event's payload may take of a message, its
// headers (one per joining article) being the rest.
const maxEventBytes = bus.MaxPayload - 256<<10

// Outs turns story events into messages; the message id (story, version,
// type) makes a re-emitted event after a crash land once. A repeat (an
// article delivered again) is named after its article too: it must not be
// taken for the event that made its story's current version, which carries
// other members, when the article's own event was the one lost.
func Outs(events []story.Event) ([]bus.Out, error) {
	outs := make([]bus.Out, 0, len(events))
	for _, ev := range events {
		b, ev, err := story.Fit(ev, maxEventBytes)
		if err != nil {
			return nil, bus.Poison(err)
		}
		var h nats.Header
		for _, a := range ev.Articles {
			if h == nil {
				h = nats.Header{}
			}
			h.Add(bus.HeaderArticle, a.ID)
		}
		if ev.Edit != nil {
			if h == nil {
				h = nats.Header{}
			}
			h.Set(bus.HeaderCorrection, ev.Edit.ID)
		}
		id := ev.Story.ID + ":" + strconv.Itoa(ev.Story.Version) + ":" + ev.Type
		if ev.Repeat {
			id = ev.Story.ID + ":" + strconv.Itoa(ev.Story.Version) + ":repeat"
			for _, a := range ev.Articles {
				id += ":" + a.ID
			}
		}
		outs = append(outs, bus.Out{Subject: bus.StoriesSubject(ev.Type), Data: b, MsgID: id, Header: h})
	}
	return outs, nil
}

// Restored says how Restore rebuilt the engine.
type Restored struct {
	FromSnapshot bool
	SnapshotSeq  uint64 // last message the snapshot includes (0: none used)
	UpTo         uint64 // the durable consumer's ack floor: the last message replayed
	Replayed     int    // messages replayed from the stream after the snapshot
	Took         time.Duration
}

// Restore rebuilds the engine's state, which must be fresh from
// cluster.New: from the latest snapshot in snaps (nil: none), then by
// replaying in stream order the articles.detected messages after it that
// the stage had acknowledged before this process started. A snapshot that
// cannot serve (corrupt, another format or configuration) is logged and
// the whole stream is replayed instead: it never fails the stage. The
// engine is deterministic, so the stories come out as they were; their
// events are not republished.
func Restore(ctx context.Context, js jetstream.JetStream, e *cluster.Engine, snaps *SnapshotStore, log *slog.Logger) (Restored, error) {
	start := time.Now()
	var res Restored
	cons, err := js.Consumer(ctx, bus.StreamArticles, bus.StageCluster)
	if err != nil {
		return res, fmt.Errorf("restore: open consumer: %w", err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return res, fmt.Errorf("restore: consumer info: %w", err)
	}
	res.UpTo = info.AckFloor.Stream
	if snaps != nil {
		si, err := snaps.load(ctx, js, e)
		switch {
		case err == nil:
			res.FromSnapshot, res.SnapshotSeq = true, si.Seq
			log.Info("clustering state loaded from its snapshot", "seq", si.Seq, "stories", si.Stories,
				"articles", si.Articles, "bytes", si.Size, "taken", si.Taken, "took", time.Since(start).Round(time.Millisecond))
			if si.Seq > res.UpTo {
				// Messages acked after a nacked one lie past the ack floor:
				// the unacked ones come again and re-announce their stories.
				log.Info("the snapshot is past the ack floor: nothing to replay", "ack_floor", res.UpTo)
			}
		case errors.Is(err, ErrNoSnapshot):
			log.Info("no clustering snapshot yet: replaying the whole article stream")
		default:
			log.Warn("clustering snapshot unusable: replaying the whole article stream", "err", err, "seq", si.Seq)
		}
	}
	from := res.SnapshotSeq + 1
	if res.UpTo >= from {
		n, err := replay(ctx, js, e, from, res.UpTo)
		res.Replayed = n
		if err != nil {
			return res, err
		}
	}
	res.Took = time.Since(start)
	log.Info("clustering state restored", "from_snapshot", res.FromSnapshot, "snapshot_seq", res.SnapshotSeq,
		"replayed", res.Replayed, "up_to_seq", res.UpTo, "took", res.Took.Round(time.Millisecond))
	return res, nil
}

// replay adds to e, in stream order, the articles.detected messages and
// the corrections from sequence from to upTo, and returns how many
// messages it read.
func replay(ctx context.Context, js jetstream.JetStream, e *cluster.Engine, from, upTo uint64) (int, error) {
	st, err := bus.StageNamed(bus.StageCluster)
	if err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: st.Subjects()}
	if from > 1 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, from
	}
	oc, err := js.OrderedConsumer(ctx, bus.StreamArticles, cfg)
	if err != nil {
		return 0, fmt.Errorf("restore: ordered consumer: %w", err)
	}
	it, err := oc.Messages()
	if err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	defer it.Stop()
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
		n++
		// As the handler does; what it could not take was dead-lettered then.
		if msg.Subject() == bus.SubjectCorrections {
			if c, err := story.DecodeCorrection(msg.Data()); err == nil {
				recalled, err := recall(ctx, js, e, c, slog.New(slog.DiscardHandler))
				if err != nil {
					return n, fmt.Errorf("restore: correction %s: %w", c.ID, err)
				}
				e.Correct(c, recalled...)
			}
		} else if a, err := article.Decode(msg.Data()); err == nil && !a.Empty && a.Text != "" {
			p := e.Prepare(a)
			p.Ref = meta.Sequence.Stream
			e.AddPrepared(p)
		}
		if meta.Sequence.Stream == upTo || meta.NumPending == 0 {
			break
		}
	}
	return n, nil
}
