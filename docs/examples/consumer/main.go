// Command consumer is the example of docs/consumer.md: it reads newsdedup's
// story events (stories.created, stories.updated, stories.merged) from the
// STORIES JetStream stream, from the start, from a stream sequence, from a
// time, or from where a named (durable) consumer last stopped, folds them
// into whole stories (story.Fold: an event carries only the members that
// changed) and prints one line per event.
//
//	go run ./docs/examples/consumer --nats nats://127.0.0.1:4222
//	go run ./docs/examples/consumer --since 1h
//	go run ./docs/examples/consumer --durable my-newsroom   # resumes on restart
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// The contract with the pipeline (docs/api.md): one stream, three subjects.
const (
	streamStories  = "STORIES"
	subjectStories = "stories.>"
)

func main() {
	url := flag.String("nats", nats.DefaultURL, "NATS server URL")
	fromSeq := flag.Uint64("from-seq", 0, "first stream sequence to read (0: the first event)")
	since := flag.Duration("since", 0, "read the events of the last d (e.g. 1h) instead")
	durable := flag.String("durable", "", "durable consumer name: the server remembers the position across runs")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *url, *fromSeq, *since, *durable); err != nil {
		log.Error("consumer stopped", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url string, fromSeq uint64, since time.Duration, durable string) error {
	nc, err := nats.Connect(url, nats.Name("newsdedup-consumer-example"))
	if err != nil {
		return fmt.Errorf("connect %s: %w", url, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("jetstream: %w", err)
	}

	cfg := jetstream.ConsumerConfig{
		Durable:       durable, // empty: an ephemeral consumer, gone after the run
		FilterSubject: subjectStories,
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	}
	switch {
	case since > 0:
		start := time.Now().Add(-since)
		cfg.DeliverPolicy, cfg.OptStartTime = jetstream.DeliverByStartTimePolicy, &start
	case fromSeq > 0:
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, fromSeq
	}
	if durable == "" {
		cfg.InactiveThreshold = time.Minute
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, streamStories, cfg)
	if err != nil {
		return fmt.Errorf("consumer on %s: %w", streamStories, err)
	}

	// The stories as the events leave them. Consume calls the handler
	// one message at a time, so the map needs no lock. A real consumer
	// would keep them in its own store, and drop those it no longer needs.
	stories := &folder{held: map[string]*story.Story{}, gone: map[string]bool{}}
	failed := make(chan error, 1)
	cc, err := cons.Consume(func(msg jetstream.Msg) {
		ev, err := story.Decode(msg.Data())
		if errors.Is(err, story.ErrUnknownVersion) {
			// Written by a newer pipeline: stop rather than misread it;
			// the message stays unacknowledged for the upgraded consumer.
			_ = msg.Nak()
			select {
			case failed <- fmt.Errorf("upgrade this consumer: %w", err):
			default:
			}
			return
		}
		meta, _ := msg.Metadata()
		var seq uint64
		if meta != nil {
			seq = meta.Sequence.Stream
		}
		if err != nil {
			fmt.Printf("#%d undecodable event skipped: %v\n", seq, err)
			_ = msg.Term()
			return
		}
		s, note := stories.fold(ev)
		fmt.Println(describe(seq, ev, s, note))
		_ = msg.Ack()
	})
	if err != nil {
		return fmt.Errorf("consume: %w", err)
	}
	defer cc.Stop()
	select {
	case <-ctx.Done():
		return nil
	case err := <-failed:
		return err
	}
}

// folder keeps every story whole by folding its events.
type folder struct {
	held map[string]*story.Story
	gone map[string]bool // merged away: later events never name them
}

// fold applies ev and returns the story it leaves, with a note when the
// story is not whole here.
func (f *folder) fold(ev story.Event) (story.Story, string) {
	if f.gone[ev.Story.ID] {
		return ev.Story, "merged away before"
	}
	var absorbed []*story.Story
	for _, id := range ev.Absorbed {
		absorbed = append(absorbed, f.held[id])
	}
	note := ""
	s, _, err := story.Fold(f.held[ev.Story.ID], ev, absorbed...)
	if errors.Is(err, story.ErrNotHeld) {
		// Started mid-stream: keep what this event tells; the whole story
		// is at GET /api/stories/{id} (or replay from the start).
		s, _, _ = story.Fold(&story.Story{}, ev)
		note = "earlier members not seen: GET /api/stories/" + ev.Story.ID
	}
	f.held[s.ID] = &s
	for _, id := range ev.Absorbed {
		delete(f.held, id)
		f.gone[id] = true
	}
	return s, note
}

// describe is one line per event: what happened to which story, whose
// whole state (s) the events so far give.
func describe(seq uint64, ev story.Event, s story.Story, note string) string {
	line := fmt.Sprintf("#%d %s %-7s %s v%d %q: %d articles in %s from %d sources",
		seq, ev.At.Format(time.RFC3339), ev.Type, s.ID, s.Version, s.Headline,
		s.Size(), strings.Join(s.Languages, ","), len(s.Sources))
	if note != "" {
		line += " (" + note + ")"
	}
	for _, a := range ev.Articles {
		line += fmt.Sprintf("\n    + %s [%s] %s (%d chars of text)", a.ID, a.Lang, a.Title, len(a.Text))
	}
	if len(ev.Absorbed) > 0 {
		line += "\n    absorbed " + strings.Join(ev.Absorbed, ", ")
	}
	if len(ev.Removed) > 0 {
		line += "\n    moved out " + strings.Join(ev.Removed, ", ") + " into " + ev.Into
	}
	if e := ev.Edit; e != nil {
		line += fmt.Sprintf("\n    by an editor (%s): %s [correction %s]", e.By, e.Note, e.ID)
	}
	return line
}
