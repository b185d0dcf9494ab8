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

// cmdStories sends editors' corrections to the clustering stage:
// `stories merge` makes stories one. The correction goes into the articles'
// stream, where the stage reads it in order with the articles; the command
// then waits for the merged events it causes, or for its dead-letter
// record, which says why it was refused.
func cmdStories(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] != story.OpMerge {
		return fmt.Errorf("stories: give merge and two story ids or more: %w", errUsage)
	}
	fs := flag.NewFlagSet("stories merge", flag.ContinueOnError)
	natsURL := fs.String("nats", "nats://127.0.0.1:4222", "NATS server URL")
	by := fs.String("by", os.Getenv("USER"), "who asks for the correction (shown on its events)")
	note := fs.String("note", "", "why, in a few words (shown on its events)")
	wait := fs.Duration("wait", 15*time.Second, "how long to wait for the clustering stage's answer (0: do not wait)")
	if err := fs.Parse(reorder(fs, args[1:])); err != nil {
		return err
	}
	c := story.Correction{ID: correctionID(), Op: story.OpMerge, Stories: fs.Args(), By: *by, Note: *note, At: time.Now().UTC()}
	data, err := story.EncodeCorrection(c)
	if err != nil {
		return fmt.Errorf("stories merge: %w", err)
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
	for _, subj := range []string{bus.StoriesSubject(story.Merged), bus.DLQSubject(bus.StageCluster)} {
		sub, err := nc.ChanSubscribe(subj, answers)
		if err != nil {
			return fmt.Errorf("stories merge: subscribe %s: %w", subj, err)
		}
		defer sub.Unsubscribe()
	}
	if err := nc.Flush(); err != nil {
		return fmt.Errorf("stories merge: %w", err)
	}
	if err := bus.Publish(ctx, js, bus.Out{Subject: bus.SubjectCorrections, Data: data, MsgID: "correction:" + c.ID}); err != nil {
		return fmt.Errorf("stories merge: send: %w", err)
	}
	log.Info("correction sent", "id", c.ID, "stories", c.Stories)
	if *wait <= 0 {
		fmt.Fprintf(stdout, "correction %s sent; the clustering stage applies it in turn\n", c.ID)
		return nil
	}
	return awaitMerge(ctx, c, answers, *wait, stdout)
}

// awaitMerge reports the merged events that carry correction c, or the
// reason its dead-letter record gives. The events of one correction are
// published together: once one came, the others follow within moments.
func awaitMerge(ctx context.Context, c story.Correction, answers <-chan *nats.Msg, wait time.Duration, stdout io.Writer) error {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	var merged []story.Event
	var settle <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			if len(merged) > 0 {
				return reportMerge(c, merged, stdout)
			}
			return fmt.Errorf("stories merge: no answer from the clustering stage within %v; correction %s stays queued and is applied when the stage runs (`newsdedup dlq list --stage cluster` shows it if refused)", wait, c.ID)
		case <-settle:
			return reportMerge(c, merged, stdout)
		case m := <-answers:
			if strings.HasPrefix(m.Subject, bus.SubjectDLQ+".") {
				var rec bus.DeadLetterRecord
				if json.Unmarshal(m.Data, &rec) != nil || rec.Subject != bus.SubjectCorrections {
					continue
				}
				if got, err := story.DecodeCorrection(rec.Data); err == nil && got.ID == c.ID {
					return fmt.Errorf("stories merge: refused: %s", strings.TrimPrefix(rec.Reason, bus.ErrPoison.Error()+": "))
				}
				continue
			}
			ev, err := story.Decode(m.Data)
			if err != nil || ev.Edit == nil || ev.Edit.ID != c.ID {
				continue
			}
			merged = append(merged, ev)
			if len(unreported(c, merged)) == 0 {
				return reportMerge(c, merged, stdout)
			}
			settle = time.After(time.Second)
		}
	}
}

func reportMerge(c story.Correction, merged []story.Event, stdout io.Writer) error {
	if len(merged) == 0 {
		return errors.New("stories merge: no merge reported")
	}
	last := merged[len(merged)-1].Story
	var absorbed []string
	for _, ev := range merged {
		absorbed = append(absorbed, ev.Absorbed...)
	}
	fmt.Fprintf(stdout, "merged %s into %s: %d articles, version %d; the merged ids now lead to %s (correction %s)\n",
		strings.Join(absorbed, ", "), last.ID, last.Size(), last.Version, last.ID, c.ID)
	if missing := unreported(c, merged); len(missing) > 0 {
		fmt.Fprintf(stdout, "not reported yet: %s\n", strings.Join(missing, ", "))
	}
	return nil
}

// unreported lists the stories c names that the merged events so far do
// not account for: neither the survivor, nor absorbed, nor its aliases
// (a story merged into another earlier, named by its old id).
func unreported(c story.Correction, merged []story.Event) []string {
	last := merged[len(merged)-1].Story
	return slices.DeleteFunc(slices.Clone(c.Stories), func(id string) bool {
		if id == last.ID || slices.Contains(last.Aliases, id) {
			return true
		}
		for _, ev := range merged {
			if slices.Contains(ev.Absorbed, id) {
				return true
			}
		}
		return false
	})
}

// correctionID is a random id: the stream drops a repeated one, so a
// correction sent twice by a retry lands once, while two editors' equal
// corrections are two (the second refused as already one story).
func correctionID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "c-" + hex.EncodeToString(b)
}
