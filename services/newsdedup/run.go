package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/newsdedup/newsdedup/pkg/fetch"
	"github.com/newsdedup/newsdedup/services/api"
	"github.com/newsdedup/newsdedup/services/bus"
	"github.com/newsdedup/newsdedup/services/fetcher"
	"github.com/newsdedup/newsdedup/services/ops"
)

// pipelineFlags are shared by run and the single-stage commands.
type pipelineFlags struct {
	natsURL     string
	dataDir     string
	httpAddr    string
	concurrency int
	langs       string
	replicas    int
	// how long ARTICLES keeps articles, raw pages included
	articlesMaxAge time.Duration
	// how long ARTICLES remembers message ids to drop repeats
	duplicateWindow time.Duration
	feeds           listFlag
	poll            time.Duration
	opsAddr         string
	leaseTTL        time.Duration
	sourcesFile     string
	allowPrivate    bool
	// fetcher: "", "env" or the proxy's URL (fetch.ParseProxy)
	proxy string
	// fetcher: how long an article URL stays in the seen-set
	seenTTL time.Duration
	// cluster: snapshot the engine every so many articles or so long
	snapshotEvery    int
	snapshotInterval time.Duration
	// api: how long a story event waits for others to share its index batch
	indexFlushGap time.Duration
	// api: how long a busy index batch may keep filling
	indexBusyGap time.Duration
	// api: the search index's refresh interval
	indexRefresh time.Duration
	// how long a story is kept after its last update (0: for ever)
	retain time.Duration
	// api: the editors file; empty: no corrections through the API
	editorsFile string
	// api: serve HTTPS with this certificate and key (both or neither)
	tlsCert, tlsKey string
}

func (p *pipelineFlags) register(fs *flag.FlagSet, natsDefault string) {
	fs.StringVar(&p.natsURL, "nats", natsDefault, "NATS server URL")
	fs.StringVar(&p.dataDir, "data", "./data", "state directory (embedded NATS store, search index)")
	fs.StringVar(&p.httpAddr, "http", "127.0.0.1:8080", "HTTP address of the API and search UI")
	fs.IntVar(&p.concurrency, "concurrency", 2, "parallel messages per stateless stage in this process")
	fs.StringVar(&p.langs, "langs", "", "comma-separated ISO 639-1 codes for language detection (default: a broad European set)")
	fs.IntVar(&p.replicas, "replicas", 1, "replicas of each stream (1 on one server, 3 on a cluster)")
	fs.DurationVar(&p.articlesMaxAge, "articles-max-age", 30*24*time.Hour, "how long the ARTICLES stream keeps each article, its raw page included (every pipeline process must give the same)")
	fs.DurationVar(&p.duplicateWindow, "duplicate-window", 24*time.Hour, "how long the ARTICLES stream remembers message ids, so the same article sent twice within it is stored once; each NATS server holds about 300 bytes per article of the window in memory (every pipeline process must give the same; at most --articles-max-age)")
	fs.Var(&p.feeds, "feed", "feed or page URL to poll (repeatable)")
	fs.DurationVar(&p.poll, "poll", 5*time.Minute, "how often feeds are polled")
	fs.StringVar(&p.opsAddr, "metrics-listen", "127.0.0.1:0", "address of /metrics, /healthz and /readyz for a process without the api (port 0: any free port, logged)")
	fs.StringVar(&p.sourcesFile, "sources", "", "fetcher: YAML source list, reloaded on change and SIGHUP")
	fs.BoolVar(&p.allowPrivate, "allow-private", false, "fetcher: allow fetching loopback and private addresses")
	fs.StringVar(&p.proxy, "proxy", "", "fetcher: fetch through this proxy (http://, https://, socks5:// or socks5h:// URL, user and password in it if needed; env: from HTTPS_PROXY, HTTP_PROXY and NO_PROXY; loopback sites go direct). Names are resolved here too, to refuse private addresses")
	fs.DurationVar(&p.seenTTL, "seen-ttl", fetcher.DefaultSeenTTL, "fetcher: how long an article URL stays in the seen-set, so that a feed listing it again, or another feed, does not have it fetched again; each NATS server holds about 235 bytes per URL of the period in memory (every fetcher process must give the same)")
	fs.DurationVar(&p.leaseTTL, "lease-ttl", 10*time.Second, "cluster: how long the clustering lease lives without renewal")
	fs.IntVar(&p.snapshotEvery, "snapshot-every", defaultSnapshotEvery, "cluster: snapshot the engine's state after this many articles (0: not by count)")
	fs.DurationVar(&p.snapshotInterval, "snapshot-interval", defaultSnapshotInterval, "cluster: snapshot the engine's state this long after the last, if articles came (0: not by time; both 0: no snapshots)")
	fs.DurationVar(&p.indexFlushGap, "index-flush-gap", api.DefaultFlushGap, "api: how long a story event waits for others to share its search-index batch (longer: cheaper indexing, later search results)")
	fs.DurationVar(&p.indexBusyGap, "index-busy-gap", api.DefaultBusyGap, "api: while story events come fast (a flush gap gathers 64 or more), how long a search-index batch may keep filling (longer: cheaper indexing under load, later search results)")
	fs.DurationVar(&p.retain, "retain", 0, "how long a story is kept after its last update: the search index drops older stories (hourly) and the STORIES stream keeps events as long (0: for ever; else at least 7 days; every pipeline process must give the same)")
	fs.StringVar(&p.editorsFile, "editors", "", "api: file of the editors who may correct stories from the search page and POST /api/corrections, one a line: a secret token of 16 characters or more, then the editor's name (empty: no corrections over HTTP)")
	fs.StringVar(&p.tlsCert, "tls-cert", "", "api: serve HTTPS with this PEM certificate (chain), read again when it changes (with --tls-key)")
	fs.StringVar(&p.tlsKey, "tls-key", "", "api: the PEM private key of --tls-cert")
	fs.DurationVar(&p.indexRefresh, "index-refresh", api.DefaultRefresh, "api: a story's search document is rewritten at most once per this interval; later updates wait for it (negative: no wait; new stories and merges never wait)")
}

// streamOptions are the streams' settings these flags give.
func (p pipelineFlags) streamOptions() bus.Options {
	return bus.Options{Replicas: p.replicas, ArticlesMaxAge: p.articlesMaxAge, DuplicateWindow: p.duplicateWindow, StoriesMaxAge: p.retain}
}

// errDataDirInUse is returned when another process holds the data
// directory (lockDataDir).
var errDataDirInUse = errors.New("data directory in use")

// minRetain is the shortest retention: well past the clustering window
// (72 hours), so that no story the engine may still extend has left the
// index or the stream.
const minRetain = 7 * 24 * time.Hour

// minSeenTTL is the shortest seen-set period. Feeds list an entry for
// days, and one the seen-set forgot is fetched again at every poll while
// listed; the clustering engine knows an article id at least this long
// (its window and retention, 72 hours each), so a page fetched again past
// it would be clustered again as new.
const minSeenTTL = 6 * 24 * time.Hour

// check rejects settings that cannot work together.
func (p pipelineFlags) check() error {
	if p.retain != 0 && p.retain < minRetain {
		return fmt.Errorf("--retain %v: give 0 (keep every story) or at least %v, past the clustering window: %w", p.retain, minRetain, errUsage)
	}
	if _, err := fetch.ParseProxy(p.proxy); err != nil {
		return fmt.Errorf("--proxy: %w: %w", err, errUsage)
	}
	if p.seenTTL != 0 && p.seenTTL < minSeenTTL {
		return fmt.Errorf("--seen-ttl %v: give at least %v: a feed lists an entry for days, and one the seen-set forgot is fetched again at every poll: %w", p.seenTTL, minSeenTTL, errUsage)
	}
	if (p.tlsCert == "") != (p.tlsKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together: %w", errUsage)
	}
	return nil
}

// Snapshot defaults: a restart replays at most this many articles (under a
// minute of the engine's work), and a snapshot of 100,000 active stories
// pauses the engine about 1.4 s (pkg/cluster BenchmarkSnapshot), so it is
// not taken more often than this; the interval bounds the replay when
// articles trickle in.
const (
	defaultSnapshotEvery    = 50000
	defaultSnapshotInterval = 5 * time.Minute
)

func (p *pipelineFlags) stageConfig() stageConfig {
	return stageConfig{concurrency: p.concurrency, langs: splitList(p.langs), dataDir: p.dataDir,
		httpAddr: p.httpAddr, feeds: p.feeds, poll: p.poll, replicas: p.replicas, leaseTTL: p.leaseTTL,
		sourcesFile: p.sourcesFile, allowPrivate: p.allowPrivate, proxy: p.proxy, seenTTL: p.seenTTL,
		snapshotEvery: p.snapshotEvery, snapshotInterval: p.snapshotInterval, indexFlushGap: p.indexFlushGap,
		indexBusyGap: p.indexBusyGap, indexRefresh: p.indexRefresh, retain: p.retain, editorsFile: p.editorsFile,
		tlsCert: p.tlsCert, tlsKey: p.tlsKey}
}

func cmdRun(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var pf pipelineFlags
	pf.register(fs, "")
	listen := fs.String("nats-listen", "127.0.0.1:4222", "address of the embedded NATS server (ignored with --nats)")
	withSample := fs.Bool("sample", false, "serve the built-in sample site and poll its feed")
	sampleAddr := fs.String("sample-listen", "", sampleListenUsage)
	var memLimit memoryLimitFlag
	fs.Var(&memLimit, "memory-limit", "Go soft memory limit of the process (e.g. 900MiB, 1GiB; off: none; default 700MiB unless GOMEMLIMIT is set)")
	var memBudget memoryBudgetFlag
	fs.Var(&memBudget, "memory-budget", memoryBudgetUsage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := pf.check(); err != nil {
		return err
	}
	limit, restoreLimit := memLimit.apply()
	defer restoreLimit()
	budget := newMemoryBudget(memBudget.bytesOrDefault(), limit)
	defer budget.start(ctx, func(err error) { log.Warn("memory budget left off", "err", err) })()
	log.Info("Go soft memory limit", "limit", limitText(limit), "budget", limitText(budget.size()))
	unlock, err := lockDataDir(pf.dataDir)
	if err != nil {
		return err
	}
	defer unlock()
	url := pf.natsURL
	if url == "" {
		ns, err := bus.StartEmbedded(bus.EmbeddedConfig{DataDir: pf.dataDir, Listen: *listen})
		if err != nil {
			return err
		}
		defer func() {
			ns.Shutdown()
			ns.WaitForShutdown()
		}()
		url = ns.ClientURL()
		log.Info("embedded NATS with JetStream started", "url", url, "store", pf.dataDir)
	}
	if *withSample {
		su, err := serveSample(ctx, pf.dataDir, *sampleAddr, log)
		if err != nil {
			return fmt.Errorf("sample site: %w", err)
		}
		log.Info("sample site serving", "url", su)
		pf.feeds = append(pf.feeds, su+"/feed.xml")
		pf.allowPrivate = true // the sample site runs on loopback
	}
	names := []string{bus.StageFetcher, bus.StageExtractor, bus.StageLangDetect, bus.StageCluster, "api"}
	return runStages(ctx, url, names, pf, log, func(what string) {
		if len(what) > 4 && what[:4] == "http" {
			fmt.Printf("newsdedup is running: search UI and API at %s (NATS at %s)\n", what, url)
		}
	})
}

func cmdWorker(ctx context.Context, name string, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var pf pipelineFlags
	pf.register(fs, "nats://127.0.0.1:4222")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := pf.check(); err != nil {
		return err
	}
	if name == "api" { // its search index lives in the data directory
		unlock, err := lockDataDir(pf.dataDir)
		if err != nil {
			return err
		}
		defer unlock()
	}
	return runStages(ctx, pf.natsURL, []string{name}, pf, log, func(what string) {
		if len(what) > 4 && what[:4] == "http" {
			fmt.Printf("newsdedup api at %s\n", what)
		}
	})
}

// runStages connects to NATS, makes sure the streams exist and runs the
// named stages until ctx ends; then every stage drains before the
// connection closes.
func runStages(ctx context.Context, url string, names []string, pf pipelineFlags, log *slog.Logger, started func(string)) error {
	nc, js, err := bus.Connect(ctx, url, names[0])
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := bus.WaitReady(ctx, js, pf.streamOptions()); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	env := stageEnv{js: js, metrics: ops.NewMetrics(), log: log, started: started}
	if slices.Contains(names, bus.StageCluster) {
		if env.lexicon, err = readLexicon(ctx, log); err != nil {
			return err
		}
	}
	if !slices.Contains(names, "api") {
		// A process without the api serves its operational routes on their own.
		addr, err := ops.Serve(ctx, pf.opsAddr, env.metrics, func() error {
			if !nc.IsConnected() {
				return errors.New("not connected to NATS")
			}
			return nil
		}, log)
		if err != nil {
			return err
		}
		log.Info("metrics and health", "url", "http://"+addr+"/metrics")
	}
	go env.metrics.WatchLag(ctx, js, bus.StreamArticles, []string{bus.StageExtractor, bus.StageLangDetect, bus.StageCluster}, 5*time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, len(names))
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := startStage(ctx, env, n, pf.stageConfig()); err != nil {
				errs <- fmt.Errorf("%s: %w", n, err)
				cancel()
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	// Acks are sent without waiting; flush them before the connection closes.
	if err := nc.FlushTimeout(5 * time.Second); err != nil {
		log.Warn("flush NATS connection", "err", err)
	}
	log.Info("stopped cleanly")
	return nil
}
