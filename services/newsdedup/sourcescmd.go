package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/sources"
	"github.com/newsdedup/newsdedup/services/bus"
	"github.com/newsdedup/newsdedup/services/fetcher"
)

// cmdSources manages the fetcher's sources while it runs, over NATS: the
// sources.* requests a fetcher replica answers (docs/fetching.md, "At run
// time") and the fetch state in FETCH_STATE.
func cmdSources(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		return fmt.Errorf("sources: give list, add, remove or forget: %w", errUsage)
	}
	sub := args[0]
	fs := flag.NewFlagSet("sources "+sub, flag.ContinueOnError)
	natsURL := fs.String("nats", "nats://127.0.0.1:4222", "NATS server URL")
	name := fs.String("name", "", "add: the source name its articles get (default: what the pages say)")
	kind := fs.String("kind", "", "add: feed, sitemap, page or auto (default: the body decides)")
	interval := fs.Duration("interval", 0, "add: how often to poll it (default: the fetcher's)")
	maxItems := fs.Int("max-items", 0, "add: at most this many entries per poll (default: the fetcher's)")
	asJSON := fs.Bool("json", false, "list: one JSON object per source")
	if err := fs.Parse(reorder(fs, args[1:])); err != nil {
		return err
	}
	url := fs.Arg(0)
	switch sub {
	case "list":
	case "add", "remove", "forget":
		if fs.NArg() != 1 {
			return fmt.Errorf("sources %s: give one URL: %w", sub, errUsage)
		}
	default:
		return fmt.Errorf("sources: unknown %q; give list, add, remove or forget: %w", sub, errUsage)
	}
	nc, js, err := bus.Connect(ctx, *natsURL, "sources")
	if err != nil {
		return err
	}
	defer nc.Close()
	rctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	switch sub {
	case "add":
		r, err := fetcher.RequestAddSource(rctx, nc, sources.Source{URL: url, Name: *name, Kind: sources.Kind(*kind),
			Interval: *interval, MaxItems: *maxItems})
		if err != nil {
			return err
		}
		for _, s := range r.Sources {
			fmt.Fprintf(stdout, "added %s (%s, every %v); every fetcher replica polls it\n", s.URL, cmp.Or(string(s.Kind), "kind from the body"), s.Interval)
		}
		return nil
	case "remove":
		if _, err := fetcher.RequestRemoveSource(rctx, nc, url); err != nil {
			return err
		}
		// The replicas learn of the removal by watching the bucket: a
		// source still listed a few seconds on comes from elsewhere.
		for deadline := time.Now().Add(5 * time.Second); inForce(rctx, nc, url, log); time.Sleep(200 * time.Millisecond) {
			if time.Now().After(deadline) {
				return fmt.Errorf("sources remove: %s is still polled: it comes from a fetcher's sources file or --feed, not from sources add; edit those", url)
			}
		}
		fmt.Fprintf(stdout, "removed %s; its fetch state stays until `sources forget`\n", url)
		return nil
	case "forget":
		if inForce(rctx, nc, url, log) {
			return fmt.Errorf("sources forget: %s is still polled; remove it first", url)
		}
		kv, err := js.KeyValue(rctx, fetcher.BucketState)
		if err != nil {
			return fmt.Errorf("sources forget: %w", err)
		}
		if err := fetcher.ForgetState(rctx, kv, url); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "forgot the fetch state of %s\n", url)
		return nil
	}
	return listSources(rctx, nc, js, *asJSON, stdout, log)
}

// inForce tells whether some fetcher polls url. Without a fetcher to ask,
// nothing is: a source is in force only in a running fetcher's list.
func inForce(ctx context.Context, nc *nats.Conn, url string, log *slog.Logger) bool {
	r, err := fetcher.RequestListSources(ctx, nc)
	if err != nil {
		log.Warn("no fetcher answered; taking the source as not polled", "err", err)
		return false
	}
	key := sources.Source{URL: url}.Key()
	for _, s := range r.Sources {
		if s.Key() == key {
			return true
		}
	}
	return false
}

// sourceRow is one line of sources list: a source in force, its fetch
// state, or both.
type sourceRow struct {
	Source  *sources.Source `json:"source,omitempty"` // nil: not in force
	Status  *fetcher.Status `json:"status,omitempty"` // nil: never fetched
	InForce bool            `json:"in_force"`
}

// listSources prints the sources in force, each with its fetch state, then
// the states of sources no longer in force (overdue ones among them).
func listSources(ctx context.Context, nc *nats.Conn, js jetstream.JetStream, asJSON bool, stdout io.Writer, log *slog.Logger) error {
	states, err := fetcher.FeedStatusOf(ctx, js)
	if err != nil {
		return err
	}
	r, err := fetcher.RequestListSources(ctx, nc)
	known := err == nil
	if !known {
		log.Warn("no fetcher answered: which sources are polled is unknown; listing fetch states only", "err", err)
	}
	fetcher.Rank(states)
	byKey := make(map[string]*fetcher.Status, len(states))
	for i := range states {
		byKey[sources.Source{URL: states[i].URL}.Key()] = &states[i]
	}
	var rows []sourceRow
	listed := map[*fetcher.Status]bool{}
	for i := range r.Sources {
		st := byKey[r.Sources[i].Key()]
		listed[st] = true
		rows = append(rows, sourceRow{Source: &r.Sources[i], Status: st, InForce: true})
	}
	for i := range states {
		if !listed[&states[i]] {
			rows = append(rows, sourceRow{Status: &states[i]})
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		for _, row := range rows {
			if err := enc.Encode(row); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATE\tURL\tNAME\tEVERY\tLAST FETCHED\tARTICLES")
	for _, row := range rows {
		url, name, every := "", "", ""
		if row.Source != nil {
			url, name, every = row.Source.URL, row.Source.Name, row.Source.Interval.String()
		}
		state, last, articles := "never fetched", "-", "0"
		if st := row.Status; st != nil {
			url = cmp.Or(url, st.URL)
			name = cmp.Or(name, st.Source)
			state = statusWord(*st)
			if !st.LastSuccess.IsZero() {
				last = st.LastSuccess.Local().Format(time.DateTime)
			}
			articles = fmt.Sprint(st.Articles)
		}
		if known && !row.InForce && row.Status != nil && !row.Status.Overdue {
			state += ", not listed"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", state, url, cmp.Or(name, "-"), cmp.Or(every, "-"), last, articles)
	}
	return tw.Flush()
}

func statusWord(st fetcher.Status) string {
	switch {
	case st.Overdue:
		return "not polled"
	case st.BackedOff:
		return "backed off"
	case !st.Healthy:
		return "failing"
	}
	return "healthy"
}
