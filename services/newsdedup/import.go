package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/ingest"
	"github.com/newsdedup/newsdedup/services/bus"
	"github.com/newsdedup/newsdedup/services/fetcher"
)

// cmdImport publishes files (and URLs, as fetch requests) into a running
// pipeline. Each article carries a Nats-Msg-Id from its id, so importing the
// same file twice stores it once.
func cmdImport(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	natsURL := fs.String("nats", "nats://127.0.0.1:4222", "NATS server URL")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("import: give files, directories or URLs: %w", errUsage)
	}
	var urls, paths []string
	for _, a := range fs.Args() {
		if strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://") {
			urls = append(urls, a)
		} else {
			paths = append(paths, a)
		}
	}
	files, err := ingest.Expand(paths)
	if err != nil {
		return err
	}
	nc, js, err := bus.Connect(ctx, *natsURL, "import")
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := bus.WaitStreams(ctx, js); err != nil {
		return err
	}
	for _, u := range urls {
		if err := fetcher.Request(ctx, js, u); err != nil {
			return err
		}
	}
	bar := newProgress(stdout, len(files), !*quiet && isTerminal(stdout))
	var published, failed int
	for _, f := range files {
		arts, errs, err := ingest.ReadFile(f)
		if err != nil {
			log.Error("skipped file", "file", f, "err", err)
			failed++
			bar.step()
			continue
		}
		for _, e := range errs {
			log.Error("skipped record", "err", e)
			failed++
		}
		for _, a := range arts {
			if a.Source == "" {
				a.Source = "import"
			}
			b, err := article.Encode(a)
			if err != nil {
				return err
			}
			if len(b) > bus.MaxPayload-4096 {
				// Too large to travel: record it where operators look, go on.
				reason := fmt.Sprintf("article %s from %s is %d bytes, over the %d-byte message limit", a.ID, f, len(b), bus.MaxPayload)
				log.Error("dead-lettering article", "reason", reason)
				rec := bus.DeadLetterRecord{V: 1, Stage: "import", Reason: reason, Subject: bus.SubjectRaw, At: time.Now().UTC(), Data: b}
				if err := bus.PublishDeadLetter(ctx, js, rec); err != nil {
					return err
				}
				failed++
				continue
			}
			if err := bus.Publish(ctx, js, bus.Out{Subject: bus.SubjectRaw, Data: b, MsgID: "raw:" + a.ID}); err != nil {
				return fmt.Errorf("import %s: %w", f, err)
			}
			published++
		}
		bar.step()
	}
	bar.done()
	fmt.Fprintf(stdout, "imported %d articles from %d files, %d URLs requested, %d failed\n", published, len(files), len(urls), failed)
	return nil
}

// reorder moves flags before positional arguments, so that
// "import a.txt b.txt --nats URL" works as the README writes it. A flag takes
// the next argument as its value unless it is boolean or written name=value.
func reorder(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || len(a) == 1 {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, pos...)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress draws a one-line bar on a terminal and nothing elsewhere.
type progress struct {
	w        io.Writer
	total, n int
	on       bool
}

func newProgress(w io.Writer, total int, on bool) *progress {
	return &progress{w: w, total: total, on: on}
}

func (p *progress) step() {
	p.n++
	if !p.on || p.total == 0 {
		return
	}
	const width = 30
	filled := p.n * width / p.total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d files", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), p.n, p.total)
}

func (p *progress) done() {
	if p.on && p.total > 0 {
		fmt.Fprintln(p.w)
	}
}
