// Command newsdedup runs the news de-duplication pipeline: all in one process
// with an embedded NATS (run), each stage as its own process against any NATS
// (fetcher, extractor, langdetect, cluster, api), the import client, and the
// offline tools that use the same core without NATS (clean, detect, dedup).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `newsdedup: multilingual news de-duplication

Pipeline:
  newsdedup run [--data DIR] [--nats-listen ADDR | --nats URL] [--http ADDR] [--sample] [--feed URL]...
  newsdedup fetcher|extractor|langdetect|cluster|api --nats URL [flags]
  newsdedup import PATH... [--nats URL]
  newsdedup bench [--articles N] [--rate R] [--html] [--eval DIR]
  newsdedup dlq list|replay [--nats URL] [--stage S] [--seq N]
  newsdedup sources list|add|remove|forget [URL] [--nats URL] [--name N] [--interval D]
  newsdedup stories merge STORY STORY... | split ARTICLE... [--nats URL] [--by NAME] [--note TEXT]

Offline (no NATS):
  newsdedup clean [--json] [--html] FILE...
  newsdedup detect FILE...
  newsdedup dedup --in articles.jsonl [--out assignments.jsonl]
  newsdedup eval extract --dir DIR | eval pairs --in FILE.jsonl | eval clusters --in FILE.jsonl [--orders N]

Run "newsdedup COMMAND -h" for a command's flags.
`

// errUsage makes main print the usage and exit 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	err := dispatch(ctx, os.Args[1:], os.Stdout, log)
	switch {
	case err == nil:
	case errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp):
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "newsdedup:", err)
		os.Exit(1)
	}
}

func dispatch(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return cmdRun(ctx, rest, log)
	case "fetcher", "extractor", "langdetect", "cluster", "api":
		return cmdWorker(ctx, cmd, rest, log)
	case "import":
		return cmdImport(ctx, rest, stdout, log)
	case "clean":
		return cmdClean(rest, stdout)
	case "detect":
		return cmdDetect(rest, stdout)
	case "dedup":
		return cmdDedup(rest, stdout, log)
	case "bench":
		return cmdBench(ctx, rest, stdout, log)
	case "dlq":
		return cmdDLQ(ctx, rest, stdout, log)
	case "sources":
		return cmdSources(ctx, rest, stdout, log)
	case "stories":
		return cmdStories(ctx, rest, stdout, log)
	case "eval":
		return cmdEval(ctx, rest, stdout, log)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q: %w", cmd, errUsage)
}
