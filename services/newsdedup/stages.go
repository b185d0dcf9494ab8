package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
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
	"github.com/newsdedup/newsdedup/pkg/lexicon"
	"github.com/newsdedup/newsdedup/pkg/sources"
	"github.com/newsdedup/newsdedup/services/api"
	"github.com/newsdedup/newsdedup/services/bus"
	clusterstage "github.com/newsdedup/newsdedup/services/cluster"
	"github.com/newsdedup/newsdedup/services/extractor"
	"github.com/newsdedup/newsdedup/services/fetcher"
	"github.com/newsdedup/newsdedup/services/langdetect"
	"github.com/newsdedup/newsdedup/services/ops"
)

// stageConfig is what the stage builders need from the command line.
type stageConfig struct {
	concurrency  int
	langs        []string
	dataDir      string // api: where its index lives
	httpAddr     string // api: where it listens
	feeds        []string
	poll         time.Duration
	replicas     int
	leaseTTL     time.Duration // cluster: how long a dead leader blocks a standby
	sourcesFile  string        // fetcher: YAML source list
	allowPrivate bool          // fetcher: allow loopback and private addresses
	proxy        string        // fetcher: see fetch.ParseProxy
	seenTTL      time.Duration // fetcher: see fetcher.StateOptions.SeenTTL

	// cluster: snapshot the engine once this many articles or this long
	// since the last snapshot (0: not by that measure)
	snapshotEvery    int
	snapshotInterval time.Duration

	indexFlushGap time.Duration // api: see api.Indexer.FlushGap
	indexBusyGap  time.Duration // api: see api.Indexer.BusyGap
	indexRefresh  time.Duration // api: see api.Indexer.Refresh
	retain        time.Duration // api: see api.Indexer.Retain
	editorsFile   string        // api: see api.OpenEditors; empty: no corrections over HTTP
	tlsCert       string        // api: see api.OpenCertFiles; empty: plain HTTP
	tlsKey        string
}

// stageEnv is what every stage of one process shares.
type stageEnv struct {
	js      jetstream.JetStream
	metrics *ops.Metrics
	log     *slog.Logger
	started func(string)
	// lexicon is the clustering stage's, read whole before any stage
	// starts (see readLexicon); nil in a process that does not cluster.
	lexicon *lexicon.Lexicon
}

// countsFlushEvery is how often the extractor writes the per-source counts
// of the sources that are due (extractor.SourceCounts.FlushDue: 16 articles
// gathered, or a minute waited). A write rewrites the source's whole value
// (up to 4,096 blocks), whatever it adds: flushed every second, the 50 busy
// sources of a long bench cost 5.7 % of the CPU. This replica's own
// articles see their counts at once (pending counts are read too); other
// replicas see a busy source's within this interval plus their read TTL
// (10 s).
const countsFlushEvery = 5 * time.Second

// readLexicon opens the bilingual lexicon and reads every language's
// table, for a process that runs the clustering stage. Read on an
// article's clock instead, the first article of each language held the
// single clustering goroutine for up to 2.3 s (docs/performance.md); one
// lexicon serves every term of office, so a standby that takes over starts
// ready. It runs before the other stages start, so that its seconds of CPU
// do not fall on their first articles.
func readLexicon(ctx context.Context, log *slog.Logger) (*lexicon.Lexicon, error) {
	lex, err := features.NewLexicon("")
	if err != nil {
		return nil, fmt.Errorf("cluster: lexicon: %w", err)
	}
	if err := clusterstage.PreloadLexicon(ctx, lex, log); err != nil {
		return nil, err
	}
	return lex, nil
}

// startStage runs one stage until ctx ends. env.started is called once the
// stage is serving (for the api: listening), with a short description.
func startStage(ctx context.Context, env stageEnv, name string, sc stageConfig) error {
	js, log := env.js, env.log
	// checkpoint, if set, runs after each settled input; prepare, if set,
	// on a batch's inputs in parallel before h (see bus.Worker).
	worker := func(ctx context.Context, h bus.Handler, conc int, checkpoint func(context.Context, uint64), prepare func(context.Context, []byte) (any, error)) error {
		st, err := bus.StageNamed(name)
		if err != nil {
			return err
		}
		w := &bus.Worker{JS: js, Stage: st, Handle: h, Concurrency: conc, Log: log,
			Observe:    func(d time.Duration, outcome string) { env.metrics.Observe(name, d, outcome) },
			Waiting:    func(n int) { env.metrics.Waiting(name, n) },
			Checkpoint: checkpoint, Prepare: prepare}
		if conc == 1 {
			env.metrics.Waiting(name, 0) // exported from the start, for alerts
		}
		env.started(name)
		return w.Run(ctx)
	}
	switch name {
	case bus.StageFetcher:
		proxy, err := fetch.ParseProxy(sc.proxy)
		if err != nil {
			return fmt.Errorf("fetcher: %w", err)
		}
		if sc.proxy != "" {
			log.Info("fetcher: fetching through a proxy", "proxy", fetch.RedactedProxy(sc.proxy))
		}
		env.started(name)
		go watchSources(ctx, js, env.metrics, log)
		return fetcher.Run(ctx, js, fetcher.Config{
			Fetch:       fetch.Config{AllowPrivate: sc.allowPrivate, Proxy: proxy},
			SourcesFile: sc.sourcesFile,
			Feeds:       sc.feeds,
			Sources:     sources.Options{DefaultInterval: sc.poll},
			Concurrency: max(sc.concurrency, 4),
			Replicas:    sc.replicas,
			SeenTTL:     sc.seenTTL,
			Observe:     func(d time.Duration, o string) { env.metrics.Observe(name, d, o) },
		}, log)
	case bus.StageExtractor:
		x, err := extract.New(extract.Config{})
		if err != nil {
			return err
		}
		kv, err := extractor.SourcesBucket(ctx, js)
		if err != nil {
			return err
		}
		counts := extractor.NewSourceCounts(kv, extractor.CountsOptions{}, log)
		// The counts' last flush waits for the worker to have handled its
		// last article, and the stage for that flush: the connection
		// closes once the stage returns, and a flush started on ctx's end
		// raced the drain, and lost to the close.
		cctx, stopCounts := context.WithCancel(context.WithoutCancel(ctx))
		flushed := make(chan struct{})
		go func() {
			defer close(flushed)
			counts.Run(cctx, countsFlushEvery)
		}()
		err = worker(ctx, extractor.NewHandler(x, counts, log), sc.concurrency, nil, nil)
		stopCounts()
		<-flushed
		return err
	case bus.StageLangDetect:
		d, err := langid.New(langid.Config{Languages: sc.langs})
		if err != nil {
			return err
		}
		// Build the models now, not on the first article's clock.
		if err := d.Preload(); err != nil {
			return err
		}
		// Built: lingua's model data is not read again, so its pages need not
		// stay resident. A failure costs memory only.
		if err := langid.ReleaseModelPages(); err != nil {
			log.Warn("model pages stay resident", "err", err)
		}
		return worker(ctx, langdetect.Handler(d, log), sc.concurrency, nil, nil)
	case bus.StageCluster:
		return runCluster(ctx, env, sc, worker)
	case "api":
		return runAPI(ctx, env, sc)
	}
	return fmt.Errorf("unknown stage %q", name)
}

// runCluster keeps the single active clustering instance: it waits for the
// lease, rebuilds the engine's state from the latest snapshot and the
// article stream after it, and clusters, snapshotting now and then, until
// ctx ends or the lease is lost, then stands by again.
func runCluster(ctx context.Context, env stageEnv, sc stageConfig, worker func(context.Context, bus.Handler, int, func(context.Context, uint64), func(context.Context, []byte) (any, error)) error) error {
	host, _ := os.Hostname()
	holder := fmt.Sprintf("%s/%d/%d", host, os.Getpid(), time.Now().UnixNano())
	ttl := sc.leaseTTL
	if ttl <= 0 {
		ttl = 10 * time.Second
	}
	lease, err := clusterstage.OpenLease(ctx, env.js, holder, ttl, sc.replicas, env.log)
	if err != nil {
		return err
	}
	snaps, err := clusterstage.OpenSnapshots(ctx, env.js, sc.replicas)
	if err != nil {
		return err
	}
	lex := env.lexicon
	if lex == nil {
		return errors.New("cluster: no lexicon (runStages reads it)")
	}
	// Exported before the lease, so that an instance that has just become
	// active (its leader gauge at 1, restoring) already shows no output
	// waiting, as a standby does.
	env.metrics.Waiting("cluster", 0)
	for ctx.Err() == nil {
		if err := lease.Acquire(ctx); err != nil {
			return nil // ctx ended while standing by
		}
		env.metrics.Leader.Set(1)
		activeCtx, stop := context.WithCancel(ctx)
		lost := lease.Hold(activeCtx)
		go func() {
			select {
			case <-lost:
			case <-activeCtx.Done():
			}
			stop()
		}()
		err := func() error {
			fx, err := features.New(features.WithLexicon(lex))
			if err != nil {
				return err
			}
			e := cluster.New(cluster.DefaultConfig(), fx)
			res, err := clusterstage.Restore(activeCtx, env.js, e, snaps, env.log)
			if err != nil {
				return err
			}
			env.metrics.ObserveRestore(res.Took, res.Replayed)
			sn := clusterstage.NewSnapshotter(snaps, e, sc.snapshotEvery, sc.snapshotInterval, env.log, func(s clusterstage.SnapshotStat) {
				env.metrics.ObserveSnapshot(s.Encode, s.Store, s.Info.Size, s.Info.Seq, s.Err)
			})
			sn.Restored(activeCtx, res)
			go watchStories(activeCtx, e, env.metrics)
			err = worker(activeCtx, sn.Counting(clusterstage.Handler(e, env.js, env.log)), 1, sn.Checkpoint, clusterstage.Prepare(e, env.log))
			if ctx.Err() != nil {
				// Shutting down with the lease: a last snapshot spares the
				// next leader the replay. (A lost lease may have a new
				// leader already: that one snapshots from now on.) Not
				// when inputs were given back unsettled (stopped while
				// their outputs could not be stored): the engine holds
				// them, and a snapshot of it would have the next leader
				// re-announce them as repeats instead of taking them anew.
				held, herr := unsettledCluster(ctx, env.js)
				switch {
				case herr != nil:
					env.log.Warn("cluster: no last snapshot: the consumer's state is unknown", "err", herr)
				case held:
					env.log.Warn("cluster: no last snapshot: inputs were given back unsettled; the next leader replays them")
				default:
					sn.Flush(ctx)
				}
			}
			sn.Wait()
			return err
		}()
		stop()
		<-lost
		env.metrics.Leader.Set(0)
		if err != nil && ctx.Err() == nil {
			return err
		}
	}
	return nil
}

// unsettledCluster is bus.Unsettled for the clustering stage, asked with a
// few seconds of its own once ctx has ended.
func unsettledCluster(ctx context.Context, js jetstream.JetStream) (bool, error) {
	st, err := bus.StageNamed(bus.StageCluster)
	if err != nil {
		return false, err
	}
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return bus.Unsettled(qctx, js, st)
}

// watchSources publishes how many sources fail or are backed off, from the
// fetch state the fetcher replicas share.
func watchSources(ctx context.Context, js jetstream.JetStream, m *ops.Metrics, log *slog.Logger) {
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for {
		if list, err := fetcher.FeedStatusOf(ctx, js); err == nil {
			s := fetcher.Summarize(list)
			m.Sources.WithLabelValues("all").Set(float64(s.Sources))
			m.Sources.WithLabelValues("failing").Set(float64(s.Failing))
			m.Sources.WithLabelValues("backed_off").Set(float64(s.BackedOff))
			m.Sources.WithLabelValues("overdue").Set(float64(s.Overdue))
		} else if ctx.Err() == nil {
			log.Warn("source status unavailable", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// watchStories publishes the engine's active stories and the articles
// they hold as metrics.
func watchStories(ctx context.Context, e *cluster.Engine, m *ops.Metrics) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		st := e.Stats()
		m.ActiveStories.Set(float64(st.ActiveStories))
		m.HeldArticles.Set(float64(st.Articles))
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func runAPI(ctx context.Context, env stageEnv, sc stageConfig) error {
	opts := []api.Option{api.WithCorrectionLog(env.js)}
	if sc.editorsFile != "" {
		eds, err := api.OpenEditors(sc.editorsFile)
		if err != nil {
			return err
		}
		opts = append(opts, api.WithEditing(env.js, eds, sc.replicas))
	}
	var certs *api.CertFiles // nil: plain HTTP
	if sc.tlsCert != "" {
		c, err := api.OpenCertFiles(sc.tlsCert, sc.tlsKey, env.log)
		if err != nil {
			return err
		}
		certs = c
	}
	ix, err := index.Open(filepath.Join(sc.dataDir, "index"))
	if err != nil {
		return fmt.Errorf("open index: %w", err)
	}
	defer ix.Close()
	indexer := &api.Indexer{JS: env.js, Index: ix, Log: env.log, FlushGap: sc.indexFlushGap, BusyGap: sc.indexBusyGap, Refresh: sc.indexRefresh, Retain: sc.retain}
	env.metrics.WatchIndex(indexer.Applied)
	// The indexer ends before the index is closed: Close writes the
	// stories the refresh interval deferred, after the last batch.
	ictx, stopIndexer := context.WithCancel(ctx)
	indexed := make(chan error, 1)
	go func() { indexed <- indexer.Run(ictx) }()
	defer func() {
		stopIndexer()
		<-indexed
	}()
	errc := make(chan error, 1)
	ln, err := net.Listen("tcp", sc.httpAddr)
	if err != nil {
		return fmt.Errorf("api listen: %w", err)
	}
	if certs == nil && sc.editorsFile != "" && !isLoopback(ln.Addr()) {
		env.log.Warn("editors' tokens will cross the network in clear: give --tls-cert and --tls-key, or serve through a TLS proxy", "listen", ln.Addr().String())
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", env.metrics.Handler())
	mux.HandleFunc("GET /api/sources", sourcesHandler(env.js, env.log))
	mux.Handle("/", api.NewHandler(ix, indexer.Ready, env.log, opts...))
	// The server's own errors (a client's failed TLS handshake among them)
	// go to the process's structured log, not to standard error.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(env.log.Handler(), slog.LevelInfo)}
	scheme := "http"
	if certs != nil {
		srv.TLSConfig, scheme = certs.TLSConfig(), "https"
	}
	go func() {
		var err error
		if certs != nil {
			err = srv.ServeTLS(ln, "", "") // the certificate comes from TLSConfig
		} else {
			err = srv.Serve(ln)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	env.started(scheme + "://" + ln.Addr().String() + "/")
	select {
	case <-ctx.Done():
	case err := <-errc:
		return err
	case err := <-indexed:
		indexed <- err // for the deferred wait
		if err != nil {
			return err
		}
		<-ctx.Done()
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// isLoopback tells whether a listener's address reaches this machine only.
func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// sourcesHandler serves the fetcher's view of every source: last fetch,
// failures, back-off, articles; failing sources are listed first.
func sourcesHandler(js jetstream.JetStream, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		list, err := fetcher.FeedStatusOf(r.Context(), js)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			log.Error("source status", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			json.NewEncoder(w).Encode(map[string]string{"error": "source status unavailable: " + err.Error()})
			return
		}
		fetcher.Rank(list)
		json.NewEncoder(w).Encode(struct {
			Summary fetcher.Summary  `json:"summary"`
			Sources []fetcher.Status `json:"sources"`
		}{fetcher.Summarize(list), append([]fetcher.Status{}, list...)})
	}
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
