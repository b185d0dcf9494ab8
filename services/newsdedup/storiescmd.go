package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
	"github.com/newsdedup/newsdedup/services/corrections"
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
	c := story.Correction{V: story.CorrectionVersion, ID: corrections.NewID(), Op: op, By: *by, Note: *note, At: time.Now().UTC()}
	if op == story.OpMerge {
		c.Stories = fs.Args()
	} else {
		c.Articles = fs.Args()
	}
	if err := c.Check(); err != nil {
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
	out, err := corrections.Send(ctx, js, c, max(*wait, 0))
	if err != nil {
		return fmt.Errorf("stories %s: %w", op, err)
	}
	log.Info("correction sent", "id", c.ID, "op", op, "stories", c.Stories, "articles", c.Articles)
	switch {
	case *wait <= 0:
		fmt.Fprintf(stdout, "correction %s sent; the clustering stage applies it in turn\n", c.ID)
		return nil
	case out.Refused != "":
		return fmt.Errorf("stories %s: refused: %s", op, out.Refused)
	case !out.Answered():
		return fmt.Errorf("stories %s: no answer from the clustering stage within %v; correction %s stays queued and is applied when the stage runs (`newsdedup dlq list --stage cluster` shows it if refused)", op, *wait, c.ID)
	}
	fmt.Fprintln(stdout, out.Summary())
	return nil
}
