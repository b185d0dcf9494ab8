package fetcher

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/fetch"
	"github.com/newsdedup/newsdedup/pkg/sources"
	"github.com/newsdedup/newsdedup/services/bus"
)

// Config configures Run.
type Config struct {
	// Fetch tunes the HTTP side. Run sets its State; a zero MaxBodyBytes
	// becomes 4 MiB, so that a page fits in one bus message.
	Fetch fetch.Config
	// SourcesFile is the YAML source list (pkg/sources), reloaded when it
	// changes and on SIGHUP. Empty: none.
	SourcesFile string
	// Feeds are URLs polled every Sources.DefaultInterval (the --feed flag).
	Feeds []string
	// Sources bounds intervals; DefaultInterval applies to Feeds and to
	// sources without an interval (15m).
	Sources sources.Options
	// Concurrency is how many fetch requests this process works on at once (4).
	Concurrency int
	// Replicas and SeenTTL shape the KV buckets (see StateOptions).
	Replicas int
	SeenTTL  time.Duration
	// Budget bounds one request's work (45s; see HandlerOptions).
	Budget time.Duration
	// ReloadEvery is how often the sources file is checked (5s).
	ReloadEvery time.Duration
	// Observe, if set, is handed to the worker (bus.Worker.Observe): how
	// long each fetch request took and its outcome, for /metrics.
	Observe func(d time.Duration, outcome string)
}

// Run is the whole fetch stage: the shared state in KV, the source list
// (file, --feed URLs and sources added through the API), the scheduler that
// requests each source on its own interval, the sources API, and the worker
// that fetches. Every replica runs the same: the scheduler's requests carry
// the source's slot as message id, so the stream keeps one per slot however
// many replicas send it, and the durable consumer spreads the work.
// It returns when ctx ends and the worker has drained.
func Run(ctx context.Context, js jetstream.JetStream, cfg Config, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	cfg = cfg.withDefaults()
	kvs, err := OpenState(ctx, js, StateOptions{Replicas: cfg.Replicas, SeenTTL: cfg.SeenTTL})
	if err != nil {
		return err
	}
	fcfg := cfg.Fetch
	fcfg.State = kvs
	f := fetch.New(fcfg)
	defer f.Close()

	reg := &registry{changed: make(chan struct{}, 1)}
	var file *sources.File
	if cfg.SourcesFile != "" {
		file = &sources.File{Path: cfg.SourcesFile, Options: cfg.Sources}
		if _, err := file.Reload(); err != nil {
			return err
		}
		reg.setFile(file.Sources())
	}
	var feeds []sources.Source
	for _, u := range cfg.Feeds {
		s, err := sources.Source{URL: u}.Normalize(cfg.Sources)
		if err != nil {
			return fmt.Errorf("--feed %s: %w", u, err)
		}
		feeds = append(feeds, s)
	}
	reg.setFeeds(feeds)
	dyn, err := ListSources(ctx, kvs.StateBucket)
	if err != nil {
		return err
	}
	reg.setDynamic(dyn)
	log.Info("sources loaded", "file", len(reg.file), "feeds", len(feeds), "added", len(dyn))

	stopAPI, err := serveSources(ctx, js.Conn(), kvs.StateBucket, cfg.Sources, reg.list)
	if err != nil {
		return err
	}
	defer stopAPI()

	var wg sync.WaitGroup
	wg.Go(func() { watchDynamic(ctx, kvs.StateBucket, reg, log) })
	wg.Go(func() { schedule(ctx, js, reg, file, cfg.ReloadEvery, log) })

	st, err := bus.StageNamed(bus.StageFetcher)
	if err != nil {
		return err
	}
	h := NewHandler(f, js, HandlerOptions{Budget: cfg.Budget, Stop: ctx.Done(), Lookup: reg.lookup}, log)
	w := &bus.Worker{JS: js, Stage: st, Handle: h, Concurrency: cfg.Concurrency, Log: log, Observe: cfg.Observe}
	err = w.Run(ctx)
	wg.Wait()
	return err
}

func (c Config) withDefaults() Config {
	if c.Fetch.MaxBodyBytes <= 0 {
		c.Fetch.MaxBodyBytes = 4 << 20
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 4
	}
	if c.ReloadEvery <= 0 {
		c.ReloadEvery = 5 * time.Second
	}
	return c
}

// registry is the source list in force: the file's, the --feed URLs and
// those added at run time, in that order of precedence.
type registry struct {
	mu               sync.Mutex
	file, feeds, dyn []sources.Source
	merged           []sources.Source
	byKey            map[string]sources.Source
	changed          chan struct{}
}

func (r *registry) setFile(l []sources.Source)    { r.set(func() { r.file = l }) }
func (r *registry) setFeeds(l []sources.Source)   { r.set(func() { r.feeds = l }) }
func (r *registry) setDynamic(l []sources.Source) { r.set(func() { r.dyn = l }) }

func (r *registry) set(change func()) {
	r.mu.Lock()
	change()
	r.merged = sources.Merge(r.file, r.feeds, r.dyn)
	r.byKey = make(map[string]sources.Source, len(r.merged))
	for _, s := range r.merged {
		r.byKey[s.Key()] = s
	}
	r.mu.Unlock()
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

func (r *registry) list() []sources.Source {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sources.Source(nil), r.merged...)
}

func (r *registry) lookup(url string) (sources.Source, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.byKey[sources.Source{URL: url}.Key()]
	return s, ok
}

// watchDynamic follows the sources added or removed through the API, by
// any replica.
func watchDynamic(ctx context.Context, kv jetstream.KeyValue, reg *registry, log *slog.Logger) {
	for ctx.Err() == nil {
		w, err := kv.Watch(ctx, sourcePrefix+"*", jetstream.UpdatesOnly())
		if err != nil {
			log.Warn("cannot watch added sources, retrying", "err", err)
			sleep(ctx, 5*time.Second)
			continue
		}
		followSources(ctx, w, kv, reg, log)
		_ = w.Stop()
	}
}

func followSources(ctx context.Context, w jetstream.KeyWatcher, kv jetstream.KeyValue, reg *registry, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-w.Updates():
			if !ok {
				return
			}
			// Re-read them all: simpler than applying puts and deletes.
			l, err := ListSources(ctx, kv)
			if err != nil {
				log.Warn("cannot list added sources", "err", err)
				continue
			}
			reg.setDynamic(l)
			log.Info("added sources changed", "count", len(l))
		}
	}
}

// schedule requests every due source, and reloads the sources file every
// reloadEvery and on SIGHUP.
func schedule(ctx context.Context, js jetstream.JetStream, reg *registry, file *sources.File, reloadEvery time.Duration, log *slog.Logger) {
	hup := make(chan os.Signal, 1)
	if file != nil {
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
	}
	lastErr := ""
	reload := func(why string) {
		changed, err := file.Reload()
		switch {
		case err != nil && err.Error() != lastErr: // said once, not every tick
			lastErr = err.Error()
			log.Error("sources file not reloaded; the previous list stays in force", "why", why, "err", err)
		case err != nil:
		case changed:
			lastErr = ""
			reg.setFile(file.Sources())
			log.Info("sources file reloaded", "why", why, "sources", len(file.Sources()))
		}
	}
	var sc sources.Scheduler
	lastReload := time.Now()
	for {
		due, next := sc.Due(reg.list(), time.Now())
		for _, d := range due {
			if err := requestPoll(ctx, js, d); err != nil {
				if ctx.Err() != nil {
					return
				}
				log.Warn("could not request source", "url", d.Source.URL, "err", err)
			}
		}
		wait := reloadEvery
		if !next.IsZero() {
			wait = min(wait, time.Until(next))
		}
		t := time.NewTimer(max(wait, 10*time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-hup:
			reload("SIGHUP")
			lastReload = time.Now()
		case <-reg.changed:
		case <-t.C:
		}
		t.Stop()
		if file != nil && time.Since(lastReload) >= reloadEvery {
			reload("changed on disk")
			lastReload = time.Now()
		}
	}
}

// requestPoll publishes a poll request whose message id is the source's
// slot: the FETCH stream keeps one per slot whichever replicas send it.
func requestPoll(ctx context.Context, js jetstream.JetStream, d sources.Due) error {
	s := d.Source
	req := request{V: 1, URL: s.URL, Source: s.Name, MaxItems: s.MaxItems, Poll: true}
	if s.Kind != sources.KindAuto {
		req.Kind = string(s.Kind)
	}
	b, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encode poll request: %w", err)
	}
	return bus.Publish(ctx, js, bus.Out{Subject: bus.SubjectFetch, Data: b,
		MsgID: fmt.Sprintf("poll:%s:%d", fetch.Key(s.URL), d.Slot)})
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
