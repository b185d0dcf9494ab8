package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	httppprof "net/http/pprof"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cputime"
	"github.com/newsdedup/newsdedup/pkg/evalmetrics"
	"github.com/newsdedup/newsdedup/pkg/extract"
	"github.com/newsdedup/newsdedup/services/api"
	"github.com/newsdedup/newsdedup/services/bus"
	"github.com/newsdedup/newsdedup/services/ops"
)

// cmdBench measures the whole pipeline in this process with the embedded
// NATS: articles/s in, story-visible latency (publish → the stories.* event
// that carries the article) and peak memory.
func cmdBench(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	n := fs.Int("articles", 5000, "how many articles to publish")
	rate := fs.Float64("rate", 0, "offered load in articles/s (0: as fast as possible)")
	dupWindow := fs.Duration("duplicate-window", 24*time.Hour, "how long the ARTICLES stream remembers message ids (a long run compressed by --days holds far more ids in wall-clock time than the same run would in real time; shorten this to match)")
	days := fs.Float64("days", 0, "spread the articles' publication and fetch times evenly over this many days up to now, so that stories leave the clustering window as in a long run (0: every article published now)")
	asHTML := fs.Bool("html", false, "send each article as an HTML page of about --page-kb")
	pageKB := fs.Int("page-kb", 50, "size of an HTML page")
	evalDir := fs.String("eval", filepath.Join("..", "shared", "eval"), "labelled news to build articles from")
	langs := fs.String("langs", "", "languages for detection (default: the broad set)")
	conc := fs.Int("concurrency", runtime.NumCPU(), "parallel messages per stateless stage")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile to this file once every article is visible")
	trace := fs.String("latency-trace", "", "write each article's publish offset and story-visible latency (CSV, ms) to this file")
	progress := fs.Duration("progress", 10*time.Second, "print progress (visible articles, RSS, live heap, GC, CPU) to stderr this often (0: never)")
	pprofAddr := fs.String("pprof", "", "serve net/http/pprof on this address during the run (e.g. 127.0.0.1:6060)")
	flushGap := fs.Duration("index-flush-gap", api.DefaultFlushGap, "how long a story event waits for others to share its search-index batch")
	busyGap := fs.Duration("index-busy-gap", api.DefaultBusyGap, "while story events come fast, how long a search-index batch may keep filling")
	refresh := fs.Duration("index-refresh", api.DefaultRefresh, "the search index's refresh interval: a story's document is rewritten at most once per interval (negative: every batch)")
	var memLimit memoryLimitFlag
	fs.Var(&memLimit, "memory-limit", "Go soft memory limit of the process (e.g. 900MiB, 1GiB; off: none; default 700MiB unless GOMEMLIMIT is set)")
	var memBudget memoryBudgetFlag
	fs.Var(&memBudget, "memory-budget", memoryBudgetUsage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	limit, restoreLimit := memLimit.apply()
	defer restoreLimit()
	budget := newMemoryBudget(memBudget.bytesOrDefault(), limit)
	defer budget.start(ctx, func(err error) { log.Warn("memory budget left off", "err", err) })()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *pprofAddr != "" {
		ln, err := net.Listen("tcp", *pprofAddr)
		if err != nil {
			return fmt.Errorf("bench: pprof listen: %w", err)
		}
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", httppprof.Index)
		mux.HandleFunc("/debug/pprof/profile", httppprof.Profile)
		mux.HandleFunc("/debug/pprof/trace", httppprof.Trace)
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		fmt.Fprintf(os.Stderr, "pprof at http://%s/debug/pprof/\n", ln.Addr())
	}
	texts, err := benchTexts(*evalDir)
	if err != nil {
		return err
	}
	if texts, err = keepArticles(texts); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "newsdedup-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ns, err := bus.StartEmbedded(bus.EmbeddedConfig{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		return err
	}
	defer ns.Shutdown()
	url := ns.ClientURL()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	pf := pipelineFlags{dataDir: dir, httpAddr: "127.0.0.1:0", concurrency: *conc, langs: *langs, replicas: 1, poll: time.Hour, opsAddr: "127.0.0.1:0", indexFlushGap: *flushGap, indexBusyGap: *busyGap, indexRefresh: *refresh, duplicateWindow: *dupWindow}
	// Articles are published once every stage consumes (the clustering
	// stage once its lexicon is read and it holds the lease), so that
	// start-up is not measured as latency.
	ready := make(chan struct{})
	var apiURL atomic.Value // the api's base URL, once it listens
	var startMu sync.Mutex
	notStarted := map[string]bool{bus.StageExtractor: true, bus.StageLangDetect: true, bus.StageCluster: true, "http": true}
	done := make(chan error, 1)
	go func() {
		done <- runStages(pctx, url, allStageNames(), pf, quiet, func(w string) {
			if strings.HasPrefix(w, "http") {
				apiURL.Store(w)
				w = "http"
			}
			startMu.Lock()
			defer startMu.Unlock()
			if notStarted[w] {
				delete(notStarted, w)
				if len(notStarted) == 0 {
					close(ready)
				}
			}
		})
	}()
	select {
	case <-ready:
	case err := <-done:
		return fmt.Errorf("pipeline did not start: %w", err)
	}

	nc, err := nats.Connect(url)
	if err != nil {
		return err
	}
	defer nc.Close()
	_, js, err := bus.Connect(ctx, url, "bench")
	if err != nil {
		return err
	}
	var mu sync.Mutex
	sent := make(map[string]time.Time, *n)
	var lat []time.Duration
	var traced []tracePoint // with --latency-trace: every article's offset and latency
	allSeen := make(chan struct{})
	sub, err := nc.Subscribe(bus.SubjectStories+".>", func(m *nats.Msg) {
		// Only the ids of the articles that joined, from the event's
		// headers: decoding whole story events (every member of a large
		// story) here took a tenth of the process's CPU in a
		// 100,000-article run.
		ids := m.Header.Values(bus.HeaderArticle)
		now := time.Now()
		mu.Lock()
		defer mu.Unlock()
		for _, id := range ids {
			if t0, ok := sent[id]; ok {
				lat = append(lat, now.Sub(t0))
				delete(sent, id)
				if *trace != "" {
					traced = append(traced, tracePoint{id: id, sent: t0, lat: now.Sub(t0)})
				}
				// Closed once, by the event that makes the count: events
				// keep coming while the bench waits for the index.
				if len(lat) == *n {
					close(allSeen)
				}
			}
		}
	})
	if err != nil {
		return err
	}
	defer sub.Unsubscribe()

	var peak peakRSS
	go peak.watch(pctx)
	backlog := &backlogWatch{}
	go backlog.watch(pctx, js)
	pager := newBenchPager(*pageKB << 10)
	start := time.Now()
	cpu0, gc0, gcCPU0 := cputime.Process(), gcCycles(), gcCPU()
	if *progress > 0 {
		go func() {
			t := time.NewTicker(*progress)
			defer t.Stop()
			for {
				select {
				case <-pctx.Done():
					return
				case <-t.C:
				}
				mu.Lock()
				seen := len(lat)
				mu.Unlock()
				fmt.Fprintf(os.Stderr, "bench %6.0fs: %d visible, RSS %.0f MB (anon %.0f), live heap %.0f MB, %d GCs, CPU %.0f s\n",
					time.Since(start).Seconds(), seen, float64(readRSS())/(1<<20), float64(procStatus("RssAnon:"))/(1<<20),
					float64(liveHeap())/(1<<20), gcCycles()-gc0, (cputime.Process() - cpu0).Seconds())
			}
		}()
	}
	var interval time.Duration
	if *rate > 0 {
		interval = time.Duration(float64(time.Second) / *rate)
	}
	span := time.Duration(*days * float64(24*time.Hour))
	simStart := time.Now().Add(-span)
	for i := 0; i < *n; i++ {
		t := texts[i%len(texts)]
		a := article.Article{ID: "bench-" + strconv.Itoa(i), Source: "bench-" + strconv.Itoa(i%50), Title: t.title}
		if span > 0 {
			at := simStart.Add(time.Duration(float64(span) * float64(i) / float64(*n))).UTC()
			a.Published, a.Fetched = &at, &at
		}
		if *asHTML {
			a.HTML = pager.page(t)
		} else {
			a.Text = t.text
		}
		b, err := article.Encode(a)
		if err != nil {
			return err
		}
		if interval > 0 {
			if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
				time.Sleep(d)
			}
		}
		mu.Lock()
		sent[a.ID] = time.Now()
		mu.Unlock()
		if err := bus.Publish(ctx, js, bus.Out{Subject: bus.SubjectRaw, Data: b, MsgID: "raw:" + a.ID}); err != nil {
			return err
		}
	}
	published := time.Since(start)
	// Wait until every article is visible, or nothing moved for 30 s.
	last, lastN := time.Now(), -1
waiting:
	for {
		select {
		case <-allSeen:
			break waiting
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
		mu.Lock()
		seen := len(lat)
		mu.Unlock()
		if seen != lastN {
			last, lastN = time.Now(), seen
		} else if time.Since(last) > 30*time.Second {
			return fmt.Errorf("only %d of %d articles became visible; none for 30 s; consumers: %s", seen, *n, consumerStates(ctx, js))
		}
	}
	total := time.Since(start)
	cpuVisible := cputime.Process() - cpu0
	hwmVisible := readHWM()
	// The search index applies story events behind the stream; its work is
	// part of each article's cost, so the run ends once it has caught up.
	if err := waitIndexed(ctx, js, apiURL.Load().(string)); err != nil {
		return err
	}
	indexed := time.Since(start)
	// The high-water marks before the pipeline stops: closing the index
	// (its last merges and writes) can raise the process's peak after
	// the work measured here.
	hwmIndexed := readHWM()
	cpu, gcs, gcCPUs := cputime.Process()-cpu0, gcCycles()-gc0, gcCPU()-gcCPU0
	heapLive := liveHeap()
	sizes, err := streamSizes(ctx, js, bus.StreamArticles, bus.StreamStories)
	if err != nil {
		return err
	}
	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			return err
		}
	}
	// Stories still open to new articles (with --days, those of the last
	// clustering window only), once the gauge, set every 5 s, has seen
	// the last article.
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(5500 * time.Millisecond):
	}
	metrics := strings.TrimSuffix(apiURL.Load().(string), "/") + "/metrics"
	active, err := scrapeGauge(ctx, metrics, ops.ActiveStoriesMetric)
	if err != nil {
		return err
	}
	held, err := scrapeGauge(ctx, metrics, ops.HeldArticlesMetric)
	if err != nil {
		return err
	}
	stop()
	<-done
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	kind := "text"
	if *asHTML {
		kind = fmt.Sprintf("html ~%d KB", *pageKB)
	}
	res := map[string]any{
		"articles": *n, "input": kind, "offered_rate": *rate, "days": *days, "active_stories": active, "held_articles": held, "cores": runtime.NumCPU(),
		"articles_per_s": float64(*n) / total.Seconds(), "publish_s": published.Seconds(), "total_s": total.Seconds(),
		"latency_p50_ms": ms(pct(0.50)), "latency_p95_ms": ms(pct(0.95)), "latency_p99_ms": ms(pct(0.99)),
		"peak_rss_mb": float64(peak.max()) / (1 << 20),
	}
	res["cpu_s"], res["cpu_ms_per_article"], res["gc_cycles"] = cpu.Seconds(), float64(cpu.Milliseconds())/float64(*n), gcs
	res["cpu_visible_s"], res["indexed_s"], res["gc_cpu_s"] = cpuVisible.Seconds(), indexed.Seconds(), gcCPUs
	res["live_heap_mb"], res["memory_limit_mb"] = float64(heapLive)/(1<<20), float64(limit)/(1<<20)
	res["memory_budget_mb"], res["lowest_memory_limit_mb"] = float64(budget.size())/(1<<20), float64(budget.lowestLimit(limit))/(1<<20)
	res["peak_rss_visible_mb"], res["peak_rss_indexed_mb"] = float64(hwmVisible)/(1<<20), float64(hwmIndexed)/(1<<20)
	gogc := debug.SetGCPercent(100) // read by writing; put back below
	debug.SetGCPercent(gogc)
	res["gogc"] = gogc
	anon, file := peak.parts()
	res["peak_rss_anon_mb"], res["peak_rss_file_mb"] = float64(anon)/(1<<20), float64(file)/(1<<20)
	spread := ""
	if *days > 0 {
		spread = fmt.Sprintf(", published over %g days", *days)
	}
	fmt.Fprintf(stdout, "pipeline bench: %d %s articles on %d cores, offered %s%s\n", *n, kind, runtime.NumCPU(), rateText(*rate), spread)
	fmt.Fprintf(stdout, "  throughput   %.0f articles/s (all visible after %.1fs)\n", res["articles_per_s"], total.Seconds())
	fmt.Fprintf(stdout, "  visible in   p50 %.0f ms, p95 %.0f ms, p99 %.0f ms\n", res["latency_p50_ms"], res["latency_p95_ms"], res["latency_p99_ms"])
	fmt.Fprintf(stdout, "  peak RSS     %.0f MB (sampled peak: %.0f MB anonymous, %.0f MB file-backed); %.0f MB once all visible, %.0f MB once all searchable (before the pipeline stops); live heap at the last collection %.0f MB; memory limit %s, GOGC %d\n",
		res["peak_rss_mb"], res["peak_rss_anon_mb"], res["peak_rss_file_mb"], res["peak_rss_visible_mb"], res["peak_rss_indexed_mb"], res["live_heap_mb"], limitText(limit), gogc)
	fmt.Fprintf(stdout, "  indexed      all searchable after %.1fs\n", indexed.Seconds())
	fmt.Fprintf(stdout, "  CPU          %.1f s until indexed (%.2f ms per article; %.1f s until visible), %d GC cycles taking about %.1f CPU-s\n", cpu.Seconds(), res["cpu_ms_per_article"], cpuVisible.Seconds(), gcs, gcCPUs)
	fmt.Fprintf(stdout, "  max backlog  %s\n", backlog.String())
	fmt.Fprintf(stdout, "  streams      %s\n", sizes)
	fmt.Fprintf(stdout, "  stories      %d in the clustering window at the end, holding %d articles\n", active, held)
	res["max_backlog"], res["streams"] = backlog.top, sizes
	b, _ := json.Marshal(res)
	fmt.Fprintln(stdout, string(b))
	if *trace != "" {
		if err := writeTrace(*trace, start, traced); err != nil {
			return err
		}
	}
	return nil
}

// streamSize is what a stream holds at the end of a run: story events
// carry their whole story, so the STORIES stream grows faster than the
// articles do.
type streamSize struct {
	Msgs  uint64  `json:"msgs"`
	MB    float64 `json:"mb"`
	AvgKB float64 `json:"avg_kb"`
}

type streamReport map[string]streamSize

func streamSizes(ctx context.Context, js jetstream.JetStream, names ...string) (streamReport, error) {
	out := streamReport{}
	for _, name := range names {
		st, err := js.Stream(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("bench: stream %s: %w", name, err)
		}
		info, err := st.Info(ctx)
		if err != nil {
			return nil, fmt.Errorf("bench: stream %s: %w", name, err)
		}
		sz := streamSize{Msgs: info.State.Msgs, MB: float64(info.State.Bytes) / (1 << 20)}
		if sz.Msgs > 0 {
			sz.AvgKB = float64(info.State.Bytes) / float64(sz.Msgs) / (1 << 10)
		}
		out[name] = sz
	}
	return out, nil
}

func (s streamReport) String() string {
	names := slices.Sorted(maps.Keys(s))
	parts := make([]string, 0, len(names))
	for _, name := range names {
		sz := s[name]
		parts = append(parts, fmt.Sprintf("%s %d messages, %.1f MB (%.1f KB each)", name, sz.Msgs, sz.MB, sz.AvgKB))
	}
	return strings.Join(parts, "; ")
}

// waitIndexed waits until the search index has applied the stories
// stream up to its last message, or until the index made no progress for
// 60 s.
func waitIndexed(ctx context.Context, js jetstream.JetStream, apiURL string) error {
	st, err := js.Stream(ctx, bus.StreamStories)
	if err != nil {
		return fmt.Errorf("bench: stories stream: %w", err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return fmt.Errorf("bench: stories stream: %w", err)
	}
	want := info.State.LastSeq
	var last uint64
	lastMove := time.Now()
	for {
		got, err := scrapeGauge(ctx, strings.TrimSuffix(apiURL, "/")+"/metrics", ops.IndexAppliedMetric)
		if err != nil {
			return err
		}
		if got >= want {
			return nil
		}
		if got != last {
			last, lastMove = got, time.Now()
		} else if time.Since(lastMove) > time.Minute {
			return fmt.Errorf("bench: the index applied the stories stream up to %d of %d; no progress for a minute", got, want)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// scrapeGauge reads one unlabelled gauge from a Prometheus text page.
func scrapeGauge(ctx context.Context, url, name string) (uint64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("bench: scrape %s: %w", url, err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0, fmt.Errorf("bench: %s: %w", name, err)
			}
			return uint64(f), nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("bench: scrape %s: %w", url, err)
	}
	return 0, fmt.Errorf("bench: %s has no %s", url, name)
}

func limitText(b int64) string {
	if b <= 0 {
		return "off"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

// tracePoint is one article of --latency-trace.
type tracePoint struct {
	id   string
	sent time.Time
	lat  time.Duration
}

// writeTrace writes the articles in publish order, so that a latency
// figure can be told apart as a start-up stall, a steady cost or a pause.
func writeTrace(path string, start time.Time, pts []tracePoint) error {
	slices.SortFunc(pts, func(a, b tracePoint) int { return a.sent.Compare(b.sent) })
	var b strings.Builder
	b.WriteString("article,sent_ms,latency_ms\n")
	for _, p := range pts {
		fmt.Fprintf(&b, "%s,%.1f,%.1f\n", p.id, ms(p.sent.Sub(start)), ms(p.lat))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("latency trace: %w", err)
	}
	return nil
}

// gcCycles is how many garbage collections the process has completed.
func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// gcCPU is the runtime's estimate of the CPU seconds spent collecting
// garbage (what a memory limit makes the collector spend).
func gcCPU() float64 {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return s[0].Value.Float64()
}

// liveHeap is the heap the last collection found live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

func allStageNames() []string {
	return []string{bus.StageExtractor, bus.StageLangDetect, bus.StageCluster, "api"}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func rateText(r float64) string {
	if r <= 0 {
		return "as fast as possible"
	}
	return fmt.Sprintf("%.0f articles/s", r)
}

type benchText struct{ title, text string }

// benchTexts reads real article texts from the evaluation sets.
func benchTexts(dir string) ([]benchText, error) {
	as, err := evalmetrics.ReadArticlesDir(dir)
	if errors.Is(err, evalmetrics.ErrNoSets) {
		return nil, fmt.Errorf("bench: no evaluation texts in %s (give --eval DIR)", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	var out []benchText
	for _, a := range as {
		if len(a.Text) > 200 {
			out = append(out, benchText{a.Title, a.Text})
		}
	}
	return out, nil
}

// keepArticles drops texts that extraction empties (a few eval texts are only
// boilerplate), since they never become part of a story.
func keepArticles(texts []benchText) ([]benchText, error) {
	x, err := extract.New(extract.Config{})
	if err != nil {
		return nil, err
	}
	out := texts[:0]
	for _, t := range texts {
		if a, err := x.Apply(article.Article{ID: "probe", Title: t.title, Text: t.text}); err == nil && a.Text != "" && !a.Empty {
			out = append(out, t)
		}
	}
	return out, nil
}

// benchPager builds the bench's HTML pages: a text wrapped in a news page
// padded with navigation and related-story boilerplate to about size bytes.
// The padding is formatted once: building it per page cost more CPU than
// some stages spend on the page, and the bench's own work must not be
// counted as the pipeline's.
type benchPager struct {
	size  int
	items string // the related-story list items, in order
	ends  []int  // ends[i] is where item i ends in items
}

func newBenchPager(size int) *benchPager {
	p := &benchPager{size: size}
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `<li><a href="/story/%d">Another story number %d about something else entirely</a></li>`, i, i)
		p.ends = append(p.ends, b.Len())
	}
	p.items = b.String()
	return p
}

func (p *benchPager) page(t benchText) string {
	var b strings.Builder
	b.Grow(p.size + 256)
	b.WriteString("<!doctype html><html><head><title>" + html.EscapeString(t.title) + " - Bench Daily</title></head><body>")
	b.WriteString(`<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav></header><main><article>`)
	b.WriteString("<h1>" + html.EscapeString(t.title) + "</h1>")
	for _, para := range strings.Split(t.text, "\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>" + html.EscapeString(para) + "</p>")
		}
	}
	b.WriteString(`</article><aside class="related"><h2>Read more</h2><ul>`)
	// As many items as it takes to pass size-200 bytes, as when each was
	// formatted in place.
	if need := p.size - 200 - b.Len(); need > 0 {
		k := sort.SearchInts(p.ends, need)
		b.WriteString(p.items[:p.ends[min(k, len(p.ends)-1)]])
	}
	b.WriteString("</ul></aside></main><footer>© Bench Daily</footer></body></html>")
	return b.String()
}

// backlogWatch samples each stage's consumer backlog (pending plus unacked):
// the stage whose backlog grows is the one that bounds the pipeline.
type backlogWatch struct {
	mu  sync.Mutex
	top map[string]uint64
}

func (w *backlogWatch) watch(ctx context.Context, js jetstream.JetStream) {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		for _, st := range bus.Stages() {
			c, err := js.Consumer(ctx, st.Stream, st.Name)
			if err != nil {
				continue
			}
			info, err := c.Info(ctx)
			if err != nil {
				continue
			}
			w.mu.Lock()
			if w.top == nil {
				w.top = map[string]uint64{}
			}
			w.top[st.Name] = max(w.top[st.Name], info.NumPending+uint64(info.NumAckPending))
			w.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// consumerStates describes every stage consumer, to tell where a stalled
// run stopped.
func consumerStates(ctx context.Context, js jetstream.JetStream) string {
	var parts []string
	for _, st := range bus.Stages() {
		c, err := js.Consumer(ctx, st.Stream, st.Name)
		if err != nil {
			parts = append(parts, fmt.Sprintf("%s: %v", st.Name, err))
			continue
		}
		info, err := c.Info(ctx)
		if err != nil {
			parts = append(parts, fmt.Sprintf("%s: %v", st.Name, err))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s pending %d, unacked %d, redelivered %d, waiting pulls %d, ack floor %d, delivered %d",
			st.Name, info.NumPending, info.NumAckPending, info.NumRedelivered, info.NumWaiting,
			info.AckFloor.Stream, info.Delivered.Stream))
	}
	return strings.Join(parts, "; ")
}

func (w *backlogWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var parts []string
	for _, st := range bus.Stages() {
		parts = append(parts, fmt.Sprintf("%s %d", st.Name, w.top[st.Name]))
	}
	return strings.Join(parts, ", ")
}

// peakRSS samples the process's resident memory high-water mark, and how
// the highest sample splits into anonymous memory (the Go heap, stacks)
// and file-backed pages (bleve's memory-mapped segments).
type peakRSS struct {
	mu         sync.Mutex
	top        int64
	anon, file int64
}

func (p *peakRSS) watch(ctx context.Context) {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		if v := readRSS(); v > 0 {
			p.mu.Lock()
			if v > p.top {
				p.top = v
				p.anon, p.file = procStatus("RssAnon:"), procStatus("RssFile:")
			}
			p.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (p *peakRSS) max() int64 {
	if v := readHWM(); v > 0 {
		return v
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.top
}

func (p *peakRSS) parts() (anon, file int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.anon, p.file
}

func readRSS() int64 { return procStatus("VmRSS:") }
func readHWM() int64 { return procStatus("VmHWM:") }

// procStatus reads a kB field of /proc/self/status (Linux); 0 elsewhere.
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field) {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

// writeHeapProfile records what the live heap holds, the pipeline still
// running.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}
