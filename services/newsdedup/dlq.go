package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/newsdedup/newsdedup/services/bus"
)

// cmdDLQ inspects and re-injects dead-lettered messages.
func cmdDLQ(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "replay") {
		return fmt.Errorf("dlq: give list or replay: %w", errUsage)
	}
	fs := flag.NewFlagSet("dlq "+args[0], flag.ContinueOnError)
	natsURL := fs.String("nats", "nats://127.0.0.1:4222", "NATS server URL")
	stage := fs.String("stage", "", "only this stage's dead letters")
	limit := fs.Int("limit", 100, "at most this many records (list)")
	seq := fs.Uint64("seq", 0, "replay only the record with this DLQ sequence")
	asJSON := fs.Bool("json", false, "print records as JSON Lines (list)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	nc, js, err := bus.Connect(ctx, *natsURL, "dlq")
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := bus.WaitStreams(ctx, js); err != nil {
		return err
	}
	n := *limit
	if args[0] == "replay" {
		n = 0
	}
	recs, err := bus.ListDeadLetters(ctx, js, *stage, n)
	if err != nil {
		return err
	}
	if args[0] == "list" {
		enc := json.NewEncoder(stdout)
		for _, r := range recs {
			if *asJSON {
				if err := enc.Encode(r); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\t%d bytes\t%s\n", r.Seq, r.At.Format("2006-01-02T15:04:05Z"), r.Stage, r.Subject, len(r.Data), r.Reason)
		}
		fmt.Fprintf(stdout, "%d dead letters\n", len(recs))
		return nil
	}
	replayed := 0
	for _, r := range recs {
		if *seq != 0 && r.Seq != *seq {
			continue
		}
		if err := bus.ReplayDeadLetter(ctx, js, r); err != nil {
			return err
		}
		log.Info("replayed", "seq", r.Seq, "stage", r.Stage, "subject", r.Subject)
		replayed++
	}
	fmt.Fprintf(stdout, "replayed %d dead letters\n", replayed)
	return nil
}
