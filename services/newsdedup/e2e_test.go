package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/extract"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/services/bus"
	"github.com/newsdedup/newsdedup/services/extractor"
)

// These tests run the real pipeline over a real nats-server: in one process
// with the embedded server, and as separate processes against a separately
// started nats-server.

var allStages = []string{bus.StageFetcher, bus.StageExtractor, bus.StageLangDetect, bus.StageCluster, "api"}

func seedFiles(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "seeds")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) != 4 {
		t.Skipf("the four seed articles are not at %s (../shared beside the checkout); skipping", dir)
	}
	return files
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// testLog sends the pipeline's warnings and errors to the test log.
func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func getJSON(base, path string, v any) error {
	resp, err := http.Get(base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("GET %s: %s: %s", path, resp.Status, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(d)
	last := ""
	for time.Now().Before(deadline) {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; last state: %s", what, last)
}

// checkSeedStory waits until the API shows exactly one story holding the four
// seeds with languages it, it, fr, fr, and returns its id.
func checkSeedStory(t *testing.T, base string) string {
	t.Helper()
	var id string
	waitFor(t, "one story with the four seeds", 90*time.Second, func() (bool, string) {
		var page index.Page
		if err := getJSON(base, "/api/stories?limit=50", &page); err != nil {
			return false, err.Error()
		}
		members := 0
		for _, s := range page.Stories {
			members += len(s.Members)
		}
		if members < 4 {
			return false, fmt.Sprintf("%d stories, %d members", len(page.Stories), members)
		}
		if len(page.Stories) != 1 {
			var parts []string
			for _, s := range page.Stories {
				parts = append(parts, fmt.Sprintf("%s(%d)", s.ID, len(s.Members)))
			}
			t.Fatalf("the seeds landed in %d stories: %v", len(page.Stories), parts)
		}
		id = page.Stories[0].ID
		return len(page.Stories[0].Members) == 4, "members: " + fmt.Sprint(len(page.Stories[0].Members))
	})
	var view index.StoryView
	if err := getJSON(base, "/api/stories/"+id, &view); err != nil {
		t.Fatal(err)
	}
	var langs []string
	for _, m := range view.Members {
		langs = append(langs, m.Lang)
	}
	sort.Strings(langs)
	if !slices.Equal(langs, []string{"fr", "fr", "it", "it"}) {
		t.Errorf("member languages %v, want fr fr it it", langs)
	}
	if len(view.Articles) != 4 {
		t.Errorf("story view has %d articles with text, want 4", len(view.Articles))
	}
	for _, a := range view.Articles {
		if a.Text == "" || !a.Extracted {
			t.Errorf("article %s has no extracted text", a.ID)
		}
	}
	return id
}

func subjectCount(t *testing.T, js jetstream.JetStream, stream, subject string) uint64 {
	t.Helper()
	ctx := context.Background()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(subject))
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Subjects[subject]
}

func TestPipelineEmbedded(t *testing.T) {
	seeds := seedFiles(t)
	dir := t.TempDir()
	url := embeddedNATS(t, dir)
	httpAddr := freeAddr(t)
	log := testLog(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pf := pipelineFlags{dataDir: dir, httpAddr: httpAddr, concurrency: 2, langs: "it,fr,en,de,es", replicas: 1, poll: time.Hour,
		articlesMaxAge: 72 * time.Hour, duplicateWindow: 6 * time.Hour}
	done := make(chan error, 1)
	go func() { done <- runStages(ctx, url, allStages, pf, log, func(string) {}) }()

	if err := cmdImport(ctx, append(slices.Clone(seeds), "--nats", url, "--quiet"), io.Discard, log); err != nil {
		t.Fatal(err)
	}
	base := "http://" + httpAddr
	id := checkSeedStory(t, base)

	nc, js, err := bus.Connect(ctx, url, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// The pipeline's --articles-max-age and --duplicate-window hold; the
	// import left them alone.
	if st, err := js.Stream(ctx, bus.StreamArticles); err != nil {
		t.Fatal(err)
	} else if cfg := st.CachedInfo().Config; cfg.MaxAge != 72*time.Hour || cfg.Duplicates != 6*time.Hour {
		t.Errorf("ARTICLES keeps articles %v and ids %v, want the pipeline's 72h and 6h", cfg.MaxAge, cfg.Duplicates)
	}
	// A poison message: not an article at all.
	if err := bus.Publish(ctx, js, bus.Out{Subject: bus.SubjectRaw, Data: []byte("\x00\xffnot json"), MsgID: "raw:poison"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the poison message in the dead-letter stream", 20*time.Second, func() (bool, string) {
		n := subjectCount(t, js, bus.StreamDLQ, bus.DLQSubject(bus.StageExtractor))
		return n == 1, fmt.Sprint(n)
	})
	// Importing the same files again adds nothing.
	if err := cmdImport(ctx, append(slices.Clone(seeds), "--nats", url, "--quiet"), io.Discard, log); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if n := subjectCount(t, js, bus.StreamArticles, bus.SubjectRaw); n != 5 {
		t.Errorf("articles.raw holds %d messages, want 4 seeds + 1 poison", n)
	}
	if n := subjectCount(t, js, bus.StreamArticles, bus.SubjectDetected); n != 4 {
		t.Errorf("articles.detected holds %d messages, want 4", n)
	}
	if got := checkSeedStory(t, base); got != id {
		t.Errorf("story id changed from %s to %s", id, got)
	}
	var health string
	resp, err := http.Get(base + "/readyz")
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		health = resp.Status + " " + string(b)
	}
	if resp == nil || resp.StatusCode != http.StatusOK {
		t.Errorf("readyz: %s %v", health, err)
	}
	stopPipeline(t, "pipeline", cancel, done)
}

// TestExtractorLastFlush stops an extractor holding counts no periodic
// flush wrote (one article for each of many sources, fewer than a flush
// waits for): its last flush writes them all before the process closes its
// connection. Started as the stage's context ended instead, the flush
// raced the close, which follows at once in a process running the
// extractor alone, and the sources it had not reached were lost.
func TestExtractorLastFlush(t *testing.T) {
	const sources = 300
	dir := t.TempDir()
	var b strings.Builder
	for i := range sources {
		rec, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("flush-%03d", i), "lang": "en", "source": fmt.Sprintf("src-%03d", i),
			"title": fmt.Sprintf("Council meeting number %d", i), "text": fmt.Sprintf("The council met for the %dth time on Monday and voted on the budget.", i)})
		b.Write(rec)
		b.WriteByte('\n')
	}
	file := filepath.Join(dir, "many-sources.jsonl")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	url := embeddedNATS(t, dir)
	log := testLog(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pf := pipelineFlags{concurrency: 2, replicas: 1, poll: time.Hour, opsAddr: "127.0.0.1:0"}
	done := make(chan error, 1)
	go func() { done <- runStages(ctx, url, []string{bus.StageExtractor}, pf, log, func(string) {}) }()
	if err := cmdImport(ctx, []string{file, "--nats", url, "--quiet"}, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	nc, js, err := bus.Connect(context.Background(), url, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	waitFor(t, "every article extracted", 60*time.Second, func() (bool, string) {
		n := subjectCount(t, js, bus.StreamArticles, bus.SubjectExtracted)
		return n == sources, fmt.Sprint(n)
	})
	stopPipeline(t, "extractor", cancel, done)
	kv, err := js.KeyValue(context.Background(), extractor.SourcesBucketName)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := kv.Keys(context.Background())
	if err != nil || len(keys) != sources {
		t.Errorf("per-source counts stored for %d sources (%v), want %d", len(keys), err, sources)
	}
	counts := extractor.NewSourceCounts(kv, extractor.CountsOptions{}, log)
	if n, err := counts.Get(context.Background(), "src-007", extract.ArticlesKey); err != nil || n != 1 {
		t.Errorf("source src-007 has %d articles stored (%v), want 1", n, err)
	}
}

// embeddedNATS starts a NATS server with JetStream in the test process,
// storing under dir, and returns its URL; it stops when the test ends.
func embeddedNATS(t *testing.T, dir string) string {
	t.Helper()
	ns, err := bus.StartEmbedded(bus.EmbeddedConfig{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	return ns.ClientURL()
}

// stopPipeline cancels a runStages and waits for it to return cleanly.
func stopPipeline(t *testing.T, what string, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s stopped with %v", what, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not stop within 30s of cancel", what)
	}
}

// binary returns the path of a built tool: from env (set by make test) or
// built now into a temporary directory.
func binary(t *testing.T, env, pkg string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	out := filepath.Join(t.TempDir(), filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("build %s: %v", pkg, err)
	}
	return out
}

func TestPipelineSeparateProcesses(t *testing.T) {
	seeds := seedFiles(t)
	if testing.Short() {
		t.Skip("separate processes: skipped with -short")
	}
	bin := binary(t, "NEWSDEDUP_BIN", "github.com/newsdedup/newsdedup/services/newsdedup")
	natsBin := binary(t, "NATS_SERVER_BIN", "github.com/nats-io/nats-server/v2")
	dir := t.TempDir()
	natsAddr := freeAddr(t)
	host, port, _ := net.SplitHostPort(natsAddr)
	conf := filepath.Join(dir, "nats.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf("listen: %s:%s\nmax_payload: 8MB\njetstream { store_dir: %q }\n", host, port, filepath.Join(dir, "nats"))), 0o644)
	url := "nats://" + natsAddr

	var procs []*exec.Cmd
	start := func(name string, args ...string) *exec.Cmd {
		cmd := exec.Command(name, args...)
		logf, _ := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%d.log", filepath.Base(args[0]), len(procs))))
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
		return cmd
	}
	defer func() {
		for _, p := range procs {
			p.Process.Kill()
			p.Wait()
		}
		if t.Failed() {
			logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
			for _, l := range logs {
				b, _ := os.ReadFile(l)
				t.Logf("---- %s\n%s", filepath.Base(l), b)
			}
		}
	}()
	natsProc := start(natsBin, "-c", conf)
	httpAddr := freeAddr(t)
	common := []string{"--nats", url, "--langs", "it,fr,en,de,es"}
	workers := []*exec.Cmd{
		start(bin, append([]string{"extractor"}, common...)...),
		start(bin, append([]string{"extractor"}, common...)...), // a second replica shares the durable consumer
		start(bin, append([]string{"langdetect"}, common...)...),
		start(bin, append([]string{"cluster"}, common...)...),
		start(bin, append([]string{"fetcher"}, common...)...),
		start(bin, append([]string{"api", "--http", httpAddr, "--data", filepath.Join(dir, "api")}, common...)...),
	}
	imp := exec.Command(bin, append(append([]string{"import"}, seeds...), "--nats", url)...)
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	checkSeedStory(t, "http://"+httpAddr)

	// Every worker stops cleanly on SIGTERM.
	for _, w := range workers {
		w.Process.Signal(syscall.SIGTERM)
	}
	for _, w := range workers {
		errc := make(chan error, 1)
		go func() { errc <- w.Wait() }()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("%v exited with %v", w.Args[1], err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("%v did not stop within 30s of SIGTERM", w.Args[1])
		}
	}
	natsProc.Process.Signal(syscall.SIGTERM)
}
