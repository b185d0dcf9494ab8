package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
)

// cmdStories sends editors' corrections to the clustering stage: `stories
// merge` makes stories one, `stories split` moves articles out of their
// story into one of their own. The correction goes into the articles'
// stream, where the stage reads it in order with the articles; the command
// then waits for the events it causes, or for its dead-letter record,
// which says why it was refused.
func cmdStories(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] != story.OpMerge && args[0] != story.OpSplit {
		return fmt.Errorf("stories: give merge and two story ids or more, or split and article ids: %w", errUsage)
	}
	op := args[0]
	fs := flag.NewFlagSet("stories "+op, flag.ContinueOnError)
	natsURL := fs.String("nats", "nats://127.0.0.1:4222", "NATS server URL")
	by := fs.String("by", os.Getenv("USER"), "who asks for the correction (shown on its events)")
	note := fs.String("note", "", "why, in a few words (shown on its events)")
	wait := fs.Duration("wait", 15*time.Second, "how long to wait for the clustering stage's answer (0: do not wait)")
	if err := fs.Parse(reorder(fs, args[1:])); err != nil {
		return err
	}
	c := story.Correction{ID: correctionID(), Op: op, By: *by, Note: *note, At: time.Now().UTC()}
	if op == story.OpMerge {
		c.Stories = fs.Args()
	} else {
		c.Articles = fs.Args()
	}
	data, err := story.EncodeCorrection(c)
	if err != nil {
		return fmt.Errorf("stories %s: %w", op, err)
	}
	nc, js, err := bus.Connect(ctx, *natsURL, "stories")
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := bus.WaitStreams(ctx, js); err != nil {
		return err
	}
	// Subscribed before the correction is sent, so no answer is missed.
	answers := make(chan *nats.Msg, 64)
	for _, subj := range []string{bus.SubjectStories + ".>", bus.DLQSubject(bus.StageCluster)} {
		sub, err := nc.ChanSubscribe(subj, answers)
		if err != nil {
			return fmt.Errorf("stories %s: subscribe %s: %w", op, subj, err)
		}
		defer sub.Unsubscribe()
	}
	if err := nc.Flush(); err != nil {
		return fmt.Errorf("stories %s: %w", op, err)
	}
	if err := bus.Publish(ctx, js, bus.Out{Subject: bus.SubjectCorrections, Data: data, MsgID: "correction:" + c.ID}); err != nil {
		return fmt.Errorf("stories %s: send: %w", op, err)
	}
	log.Info("correction sent", "id", c.ID, "op", op, "stories", c.Stories, "articles", c.Articles)
	if *wait <= 0 {
		fmt.Fprintf(stdout, "correction %s sent; the clustering stage applies it in turn\n", c.ID)
		return nil
	}
	return awaitCorrection(ctx, c, answers, *wait, stdout)
}

// awaitCorrection reports the story events that carry correction c, or the
// reason its dead-letter record gives. The events of one correction are
// published together: once one came, the others follow within moments.
func awaitCorrection(ctx context.Context, c story.Correction, answers <-chan *nats.Msg, wait time.Duration, stdout io.Writer) error {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	var evs []story.Event
	var settle <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			if len(evs) > 0 {
				return reportCorrection(c, evs, stdout)
			}
			return fmt.Errorf("stories %s: no answer from the clustering stage within %v; correction %s stays queued and is applied when the stage runs (`newsdedup dlq list --stage cluster` shows it if refused)", c.Op, wait, c.ID)
		case <-settle:
			return reportCorrection(c, evs, stdout)
		case m := <-answers:
			if strings.HasPrefix(m.Subject, bus.SubjectDLQ+".") {
				var rec bus.DeadLetterRecord
				if json.Unmarshal(m.Data, &rec) != nil || rec.Subject != bus.SubjectCorrections {
					continue
				}
				if got, err := story.DecodeCorrection(rec.Data); err == nil && got.ID == c.ID {
					return fmt.Errorf("stories %s: refused: %s", c.Op, strings.TrimPrefix(rec.Reason, bus.ErrPoison.Error()+": "))
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
			evs = append(evs, ev)
			if len(unreported(c, evs)) == 0 {
				return reportCorrection(c, evs, stdout)
			}
			settle = time.After(time.Second)
		}
	}
}

func reportCorrection(c story.Correction, evs []story.Event, stdout io.Writer) error {
	if len(evs) == 0 {
		return errors.New("stories: no change reported")
	}
	last := evs[len(evs)-1]
	switch c.Op {
	case story.OpSplit:
		fmt.Fprintf(stdout, "moved %s out of %s (%d articles left) into the new story %s (correction %s)\n",
			strings.Join(last.Removed, ", "), last.Story.ID, last.Story.Size(), last.Into, c.ID)
	default:
		var absorbed []string
		for _, ev := range evs {
			absorbed = append(absorbed, ev.Absorbed...)
		}
		fmt.Fprintf(stdout, "merged %s into %s: %d articles, version %d; the merged ids now lead to %s (correction %s)\n",
			strings.Join(absorbed, ", "), last.Story.ID, last.Story.Size(), last.Story.Version, last.Story.ID, c.ID)
	}
	if missing := unreported(c, evs); len(missing) > 0 {
		fmt.Fprintf(stdout, "not reported yet: %s\n", strings.Join(missing, ", "))
	}
	return nil
}

// unreported lists what c names that its events so far do not account
// for. A merge: the stories that are neither the survivor, nor absorbed,
// nor its aliases (a story merged into another earlier, named by its old
// id). A split: the articles no split event removed.
func unreported(c story.Correction, evs []story.Event) []string {
	last := evs[len(evs)-1].Story
	if c.Op == story.OpSplit {
		return slices.DeleteFunc(slices.Clone(c.Articles), func(id string) bool {
			return slices.ContainsFunc(evs, func(ev story.Event) bool { return slices.Contains(ev.Removed, id) })
		})
	}
	return slices.DeleteFunc(slices.Clone(c.Stories), func(id string) bool {
		if id == last.ID || slices.Contains(last.Aliases, id) {
			return true
		}
		return slices.ContainsFunc(evs, func(ev story.Event) bool { return slices.Contains(ev.Absorbed, id) })
	})
}

// correctionID is a random id: the stream drops a repeated one, so a
// correction sent twice by a retry lands once, while two editors' equal
// corrections are two (the second refused: already one story, or an
// article already moved out of the story it was in).
func correctionID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "c-" + hex.EncodeToString(b)
}
