package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/cluster"
	"github.com/newsdedup/newsdedup/pkg/extract"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/fetch"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/langid"
	"github.com/newsdedup/newsdedup/services/api"
	"github.com/newsdedup/newsdedup/services/bus"
	clusterstage "github.com/newsdedup/newsdedup/services/cluster"
	"github.com/newsdedup/newsdedup/services/extractor"
	"github.com/newsdedup/newsdedup/services/fetcher"
	"github.com/newsdedup/newsdedup/services/langdetect"
)

// stageConfig is what the stage builders need from the command line.
type stageConfig struct {
	concurrency int
	langs       []string
	dataDir     string // api: where its index lives
	httpAddr    string // api: where it listens
	feeds       []string
	poll        time.Duration
}

// startStage runs one stage until ctx ends. started is called once the stage
// is serving (for the api: listening), with a short description.
func startStage(ctx context.Context, js jetstream.JetStream, name string, sc stageConfig, log *slog.Logger, started func(string)) error {
	log = log.With("stage", name)
	worker := func(h bus.Handler, conc int) error {
		st, err := bus.StageNamed(name)
		if err != nil {
			return err
		}
		w := &bus.Worker{JS: js, Stage: st, Handle: h, Concurrency: conc, Log: log}
		started(name)
		return w.Run(ctx)
	}
	switch name {
	case bus.StageFetcher:
		f := fetch.New(fetch.Config{})
		go fetcher.Poll(ctx, js, sc.feeds, sc.poll, log)
		return worker(fetcher.Handler(f, js, log), max(sc.concurrency, 4))
	case bus.StageExtractor:
		x, err := extract.New(extract.Config{})
		if err != nil {
			return err
		}
		return worker(extractor.Handler(x), sc.concurrency)
	case bus.StageLangDetect:
		d, err := langid.New(langid.Config{Languages: sc.langs})
		if err != nil {
			return err
		}
		return worker(langdetect.Handler(d, log), sc.concurrency)
	case bus.StageCluster:
		fx, err := features.New()
		if err != nil {
			return err
		}
		e := cluster.New(cluster.DefaultConfig(), fx)
		if _, err := clusterstage.Restore(ctx, js, e, log); err != nil {
			return err
		}
		return worker(clusterstage.Handler(e, log), 1)
	case "api":
		return runAPI(ctx, js, sc, log, started)
	}
	return fmt.Errorf("unknown stage %q", name)
}

func runAPI(ctx context.Context, js jetstream.JetStream, sc stageConfig, log *slog.Logger, started func(string)) error {
	ix, err := index.Open(filepath.Join(sc.dataDir, "index"))
	if err != nil {
		return fmt.Errorf("open index: %w", err)
	}
	defer ix.Close()
	indexer := &api.Indexer{JS: js, Index: ix, Log: log}
	errc := make(chan error, 2)
	go func() { errc <- indexer.Run(ctx) }()
	ln, err := net.Listen("tcp", sc.httpAddr)
	if err != nil {
		return fmt.Errorf("api listen: %w", err)
	}
	srv := &http.Server{Handler: api.NewHandler(ix, indexer.Ready, log), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	started("http://" + ln.Addr().String() + "/")
	select {
	case <-ctx.Done():
	case err := <-errc:
		if err != nil {
			return err
		}
		<-ctx.Done()
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }
