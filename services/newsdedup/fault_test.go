package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cluster"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/services/bus"
	clusterstage "github.com/newsdedup/newsdedup/services/cluster"
)

// Fault-tolerance tests: a NATS node lost and back, workers killed with
// SIGKILL mid-stream, two clustering instances racing for the lease, poison
// input. Each is bounded in time and needs real nats-server processes.

// syntheticArticles writes n articles about n/10 invented events as JSON
// Lines: ten reports per event sharing its names and figures, with times so
// that clustering does not depend on the clock.
func syntheticArticles(t *testing.T, dir string, n int) string {
	t.Helper()
	rng := rand.New(rand.NewSource(7))
	syll := []string{"ka", "lo", "mi", "ren", "tu", "vas", "zor", "pel", "dri", "nox", "bel", "quin"}
	name := func() string {
		s := ""
		for i := 0; i < 3; i++ {
			s += syll[rng.Intn(len(syll))]
		}
		return strings.ToUpper(s[:1]) + s[1:]
	}
	verbs := []string{"announced", "reported", "confirmed", "denied", "celebrated", "investigated"}
	things := []string{"a new bridge", "the harvest festival", "a water shortage", "the council budget", "a power cut", "the regional election"}
	base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var b strings.Builder
	events := max(n/10, 1)
	type event struct {
		who, where, what string
		num              int
	}
	evs := make([]event, events)
	for i := range evs {
		evs[i] = event{name() + " " + name(), name(), things[rng.Intn(len(things))], 100 + rng.Intn(9000)}
	}
	for i := 0; i < n; i++ {
		e := evs[i%events]
		text := fmt.Sprintf("The mayor %s %s %s in %s on Monday, with %d residents affected. "+
			"Officials in %s said %s would meet the %s delegation again. Local reporters counted %d people at the square in %s. "+
			"Article %d of the wire.",
			e.who, verbs[rng.Intn(len(verbs))], e.what, e.where, e.num, e.where, e.who, name(), e.num, e.where, i)
		pub := base.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
		rec, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("syn-%05d", i), "lang": "en",
			"title": fmt.Sprintf("%s and %s in %s", e.who, e.what, e.where), "text": text, "published": pub, "source": "wire"})
		b.Write(rec)
		b.WriteByte('\n')
	}
	p := filepath.Join(dir, "synthetic.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// assignments reads every story through the API's cursor pagination and
// returns article id → story id, failing on an article seen twice.
func assignments(t *testing.T, base string) (map[string]string, error) {
	got := map[string]string{}
	cursor := ""
	for {
		var page index.Page
		if err := getJSON(base, "/api/stories?limit=100&cursor="+url.QueryEscape(cursor), &page); err != nil {
			return nil, err
		}
		for _, s := range page.Stories {
			for _, m := range s.Members {
				if prev, dup := got[m.ArticleID]; dup {
					t.Fatalf("article %s is in two stories: %s and %s", m.ArticleID, prev, s.ID)
				}
				got[m.ArticleID] = s.ID
			}
		}
		if page.Next == "" || len(page.Stories) == 0 {
			return got, nil
		}
		cursor = page.Next
	}
}

func waitAllAssigned(t *testing.T, base string, n int, d time.Duration) map[string]string {
	t.Helper()
	var got map[string]string
	waitFor(t, fmt.Sprintf("all %d articles in stories", n), d, func() (bool, string) {
		var err error
		got, err = assignments(t, base)
		if err != nil {
			return false, err.Error()
		}
		return len(got) == n, fmt.Sprintf("%d of %d", len(got), n)
	})
	return got
}

// natsNode is one nats-server process that can be stopped and started again.
type natsNode struct {
	bin, conf, logPath string
	cmd                *exec.Cmd
}

func (n *natsNode) start(t *testing.T) {
	t.Helper()
	logf, err := os.OpenFile(n.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	n.cmd = exec.Command(n.bin, "-c", n.conf)
	n.cmd.Stdout, n.cmd.Stderr = logf, logf
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
}

func (n *natsNode) stop() {
	if n.cmd != nil && n.cmd.Process != nil {
		n.cmd.Process.Kill()
		n.cmd.Wait()
	}
}

// startNATSCluster starts a 3-node JetStream cluster on loopback, waits
// until it can serve JetStream with 3 replicas, and returns its nodes and
// client URLs as one comma-separated string. A cluster that elects no
// meta leader within a minute (seen once on a loaded machine) is thrown
// away and started again on fresh ports and directories, twice at most.
func startNATSCluster(t *testing.T, dir string) ([]*natsNode, string) {
	t.Helper()
	var lastErr error
	for attempt := range 3 {
		sub := filepath.Join(dir, fmt.Sprintf("try%d", attempt))
		nodes, urls := launchNATSCluster(t, dir, sub)
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		nc, js, err := bus.Connect(ctx, urls, "test-ready")
		if err == nil {
			err = bus.WaitReady(ctx, js, bus.Options{Replicas: 3})
			nc.Close()
		}
		cancel()
		if err == nil {
			t.Cleanup(func() {
				for _, n := range nodes {
					n.stop()
				}
			})
			return nodes, urls
		}
		lastErr = err
		t.Logf("3-node cluster, attempt %d, not ready: %v; starting it again", attempt+1, err)
		for _, n := range nodes {
			n.stop()
		}
	}
	t.Fatalf("3-node cluster never became ready: %v", lastErr)
	return nil, ""
}

// launchNATSCluster starts three nodes with their stores under sub and
// their logs in dir (where dumpLogs finds them).
func launchNATSCluster(t *testing.T, dir, sub string) ([]*natsNode, string) {
	t.Helper()
	bin := binary(t, "NATS_SERVER_BIN", "github.com/nats-io/nats-server/v2")
	addrs := freeAddrs(t, 6)
	clientAddrs, routeAddrs := addrs[:3], addrs[3:]
	var routes []string
	for _, r := range routeAddrs {
		routes = append(routes, "nats-route://"+r)
	}
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	var nodes []*natsNode
	var urls []string
	for i := 0; i < 3; i++ {
		conf := filepath.Join(sub, fmt.Sprintf("n%d.conf", i))
		body := fmt.Sprintf("server_name: n%d\nlisten: %s\nmax_payload: 8MB\njetstream { store_dir: %q }\ncluster { name: test, listen: %s, routes: [%s] }\n",
			i, clientAddrs[i], filepath.Join(sub, fmt.Sprintf("n%d", i)), routeAddrs[i], strings.Join(routes, ", "))
		if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		n := &natsNode{bin: bin, conf: conf, logPath: filepath.Join(dir, fmt.Sprintf("n%d.log", i))}
		n.start(t)
		nodes = append(nodes, n)
		urls = append(urls, "nats://"+clientAddrs[i])
	}
	return nodes, strings.Join(urls, ",")
}

// freeAddrs returns n distinct free loopback addresses: the listeners stay
// open until all are taken, so the system cannot hand out one port twice.
func freeAddrs(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		out = append(out, ln.Addr().String())
	}
	return out
}

// TestClusterNodeLoss streams 2,000 articles through the pipeline over a
// 3-node JetStream cluster with 3 replicas per stream while one node is
// stopped and started again: every article ends in exactly one story.
func TestClusterNodeLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("3-node NATS cluster: skipped with -short")
	}
	dir := t.TempDir()
	defer dumpLogs(t, dir)
	nodes, urls := startNATSCluster(t, dir)
	const n = 2000
	input := syntheticArticles(t, dir, n)
	httpAddr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := testLog(t)
	pf := pipelineFlags{dataDir: dir, httpAddr: httpAddr, concurrency: 4, langs: "en,fr,it,de,es", replicas: 3, poll: time.Hour, opsAddr: "127.0.0.1:0", leaseTTL: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- runStages(ctx, urls, allStages, pf, log, func(string) {}) }()

	nc, js, err := bus.Connect(ctx, urls, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := bus.WaitReady(ctx, js, bus.Options{Replicas: 3}); err != nil {
		t.Fatal(err)
	}
	imported := make(chan error, 1)
	go func() { imported <- cmdImport(ctx, []string{input, "--nats", urls, "--quiet"}, io.Discard, log) }()
	// Stop one node once the stream is flowing, and bring it back.
	waitFor(t, "articles flowing", 60*time.Second, func() (bool, string) {
		c := detectedCount(ctx, js)
		return c >= 300, fmt.Sprint(c)
	})
	nodes[1].stop()
	time.Sleep(3 * time.Second)
	nodes[1].start(t)
	back := time.Now()
	if err := <-imported; err != nil {
		t.Fatalf("import: %v", err)
	}
	got := waitAllAssigned(t, "http://"+httpAddr, n, 3*time.Minute)
	t.Logf("node loss: %d articles in, %d in exactly one story, all assigned %.1fs after the node came back",
		n, len(got), time.Since(back).Seconds())
	for i := 0; i < n; i++ {
		if _, ok := got[fmt.Sprintf("syn-%05d", i)]; !ok {
			t.Fatalf("article syn-%05d is in no story", i)
		}
	}
	if c := detectedCount(ctx, js); c != n {
		t.Errorf("articles.detected holds %d messages, want %d (none doubled)", c, n)
	}
	cancel()
	<-done
}

func detectedCount(ctx context.Context, js jetstream.JetStream) uint64 {
	s, err := js.Stream(ctx, bus.StreamArticles)
	if err != nil {
		return 0
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(bus.SubjectDetected))
	if err != nil {
		return 0
	}
	return info.State.Subjects[bus.SubjectDetected]
}

// proc is one newsdedup process of a test.
type proc struct {
	cmd  *exec.Cmd
	name string
}

func startProc(t *testing.T, dir, bin, name string, args ...string) *proc {
	t.Helper()
	logf, err := os.OpenFile(filepath.Join(dir, name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, name: name}
	t.Cleanup(func() { p.kill() })
	return p
}

func (p *proc) kill() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.cmd.Wait()
	}
}

func dumpLogs(t *testing.T, dir string) {
	if !t.Failed() {
		return
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		if len(b) > 6000 {
			b = b[len(b)-6000:]
		}
		t.Logf("---- %s (tail)\n%s", filepath.Base(l), b)
	}
}

func startSingleNATS(t *testing.T, dir string) string {
	t.Helper()
	bin := binary(t, "NATS_SERVER_BIN", "github.com/nats-io/nats-server/v2")
	addr := freeAddr(t)
	conf := filepath.Join(dir, "nats.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf("listen: %s\nmax_payload: 8MB\njetstream { store_dir: %q }\n", addr, filepath.Join(dir, "nats"))), 0o644)
	n := &natsNode{bin: bin, conf: conf, logPath: filepath.Join(dir, "nats-server.log")}
	n.start(t)
	t.Cleanup(n.stop)
	return "nats://" + addr
}

// TestCrashRecovery kills the clustering worker and an extractor replica with
// SIGKILL mid-stream, once the clustering state was snapshotted, and starts
// them again: every article lands in exactly one story, and the stories are
// those a run without a crash gives for the same input order. The new
// clustering worker starts from the snapshot.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("separate processes: skipped with -short")
	}
	dir := t.TempDir()
	defer dumpLogs(t, dir)
	bin := binary(t, "NEWSDEDUP_BIN", "github.com/newsdedup/newsdedup/services/newsdedup")
	url := startSingleNATS(t, dir)
	const n = 800
	input := syntheticArticles(t, dir, n)
	httpAddr := freeAddr(t)
	common := []string{"--nats", url, "--langs", "en,fr,it,de,es", "--lease-ttl", "2s"}
	ext1 := startProc(t, dir, bin, "extractor-1", append([]string{"extractor"}, common...)...)
	startProc(t, dir, bin, "extractor-2", append([]string{"extractor"}, common...)...)
	startProc(t, dir, bin, "langdetect", append([]string{"langdetect"}, common...)...)
	clusterArgs := append([]string{"cluster", "--snapshot-every", "50"}, common...)
	clu := startProc(t, dir, bin, "cluster-1", clusterArgs...)
	startProc(t, dir, bin, "api", append([]string{"api", "--http", httpAddr, "--data", filepath.Join(dir, "api")}, common...)...)

	ctx := context.Background()
	nc, js, err := bus.Connect(ctx, url, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := bus.WaitReady(ctx, js, bus.Options{}); err != nil {
		t.Fatal(err)
	}
	imp := exec.Command(bin, "import", input, "--nats", url, "--quiet")
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	waitFor(t, "clustering under way and snapshotted", 60*time.Second, func() (bool, string) {
		c, seq := clusterAcked(ctx, js), snapshotSeq(ctx, js)
		return c >= 100 && seq > 0, fmt.Sprintf("%d acked, snapshot at %d", c, seq)
	})
	clu.kill()
	ext1.kill()
	killed := time.Now()
	time.Sleep(500 * time.Millisecond)
	startProc(t, dir, bin, "extractor-1b", append([]string{"extractor"}, common...)...)
	startProc(t, dir, bin, "cluster-2", clusterArgs...)

	got := waitAllAssigned(t, "http://"+httpAddr, n, 3*time.Minute)
	t.Logf("crash recovery: %d articles in, %d in exactly one story, all assigned %.1fs after the kill",
		n, len(got), time.Since(killed).Seconds())
	want := replayBaseline(t, ctx, js)
	if len(want) != n {
		t.Fatalf("baseline assigned %d articles, want %d", len(want), n)
	}
	if diff := samePartition(got, want); diff != "" {
		t.Errorf("stories after the crash differ from a run without one: %s", diff)
	}
	// The stream may be through before the standby's lease comes: wait for
	// its restore rather than assume it happened.
	var b []byte
	waitFor(t, "the restarted clustering worker restored", 30*time.Second, func() (bool, string) {
		b, _ = os.ReadFile(filepath.Join(dir, "cluster-2.log"))
		return strings.Contains(string(b), "clustering state restored"), "not yet"
	})
	if !strings.Contains(string(b), "clustering state loaded from its snapshot") {
		t.Error("the restarted clustering worker did not start from the snapshot")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "clustering state restored") {
			t.Log(line)
		}
	}
}

// snapshotSeq is the stream sequence the stored clustering snapshot
// reaches, 0 when there is none.
func snapshotSeq(ctx context.Context, js jetstream.JetStream) uint64 {
	store, err := clusterstage.OpenSnapshots(ctx, js, 1)
	if err != nil {
		return 0
	}
	info, res, err := store.Open(ctx)
	if err != nil {
		return 0
	}
	res.Close()
	return info.Seq
}

// clusterAcked is how many articles the clustering stage has acknowledged.
func clusterAcked(ctx context.Context, js jetstream.JetStream) uint64 {
	c, err := js.Consumer(ctx, bus.StreamArticles, bus.StageCluster)
	if err != nil {
		return 0
	}
	info, err := c.Info(ctx)
	if err != nil {
		return 0
	}
	return info.Delivered.Consumer - uint64(info.NumAckPending) - uint64(info.NumRedelivered)
}

// replayBaseline runs a fresh engine over articles.detected in stream order,
// the order the clustering stage consumes: the assignments of a run with no crash.
func replayBaseline(t *testing.T, ctx context.Context, js jetstream.JetStream) map[string]string {
	t.Helper()
	fx, err := features.New()
	if err != nil {
		t.Fatal(err)
	}
	e := cluster.New(cluster.DefaultConfig(), fx)
	oc, err := js.OrderedConsumer(ctx, bus.StreamArticles, jetstream.OrderedConsumerConfig{FilterSubjects: []string{bus.SubjectDetected}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for {
		batch, err := oc.FetchNoWait(500)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for msg := range batch.Messages() {
			got++
			a, err := article.Decode(msg.Data())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Add(a); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		if got == 0 {
			break
		}
	}
	out := map[string]string{}
	for _, id := range ids {
		s, _ := e.StoryOf(id)
		out[id] = s
	}
	return out
}

// samePartition compares two groupings up to story names.
func samePartition(a, b map[string]string) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d vs %d articles", len(a), len(b))
	}
	ab, ba := map[string]string{}, map[string]string{}
	for id, sa := range a {
		sb, ok := b[id]
		if !ok {
			return "article " + id + " missing from one side"
		}
		if x, seen := ab[sa]; seen && x != sb {
			return fmt.Sprintf("story %s splits into %s and %s", sa, x, sb)
		}
		if x, seen := ba[sb]; seen && x != sa {
			return fmt.Sprintf("story %s splits into %s and %s", sb, x, sa)
		}
		ab[sa], ba[sb] = sb, sa
	}
	return ""
}

// leader reads a process's clustering-lease gauge from its /metrics.
func leader(addr string) (bool, error) {
	m, err := metricsText(addr)
	return strings.Contains(m, "\nnewsdedup_cluster_leader 1"), err
}

// metricsText is what a process's /metrics serves.
func metricsText(addr string) (string, error) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// TestLeaseTakeover starts two clustering workers at once: one is active;
// killed with SIGKILL, the other takes over within seconds.
func TestLeaseTakeover(t *testing.T) {
	if testing.Short() {
		t.Skip("separate processes: skipped with -short")
	}
	dir := t.TempDir()
	defer dumpLogs(t, dir)
	bin := binary(t, "NEWSDEDUP_BIN", "github.com/newsdedup/newsdedup/services/newsdedup")
	url := startSingleNATS(t, dir)
	addrs := []string{freeAddr(t), freeAddr(t)}
	var procs []*proc
	for i, a := range addrs {
		procs = append(procs, startProc(t, dir, bin, fmt.Sprintf("cluster-%d", i), "cluster", "--nats", url, "--lease-ttl", "2s", "--metrics-listen", a))
	}
	active := -1
	waitFor(t, "exactly one active clustering worker", 30*time.Second, func() (bool, string) {
		var on []int
		for i, a := range addrs {
			if l, err := leader(a); err == nil && l {
				on = append(on, i)
			}
		}
		if len(on) > 1 {
			t.Fatalf("two active clustering workers: %v", on)
		}
		if len(on) == 1 {
			active = on[0]
		}
		return len(on) == 1, fmt.Sprint(on)
	})
	// The active one exports, from the start, that no output waits.
	if m, err := metricsText(addrs[active]); err != nil || !strings.Contains(m, `newsdedup_outputs_waiting{stage="cluster"} 0`) {
		t.Errorf("the active clustering worker's metrics lack outputs_waiting 0 (%v)", err)
	}
	// Both stay as they are for a while: no flapping.
	time.Sleep(3 * time.Second)
	if l, _ := leader(addrs[1-active]); l {
		t.Fatal("the standby became active while the leader lived")
	}
	killed := time.Now()
	procs[active].kill()
	waitFor(t, "the standby taking over", 15*time.Second, func() (bool, string) {
		l, err := leader(addrs[1-active])
		return err == nil && l, fmt.Sprint(err)
	})
	t.Logf("standby took over %.1fs after the leader was killed (lease TTL 2s)", time.Since(killed).Seconds())
}

// TestPoisonMessages: an article too large to travel, a payload that is not
// valid UTF-8, and one that is not an article at all are dead-lettered with
// their reasons, and the good articles around them flow on.
func TestPoisonMessages(t *testing.T) {
	dir := t.TempDir()
	url := embeddedNATS(t, dir)
	httpAddr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := testLog(t)
	pf := pipelineFlags{dataDir: dir, httpAddr: httpAddr, concurrency: 2, langs: "en,fr,it", replicas: 1, poll: time.Hour, opsAddr: "127.0.0.1:0"}
	done := make(chan error, 1)
	go func() { done <- runStages(ctx, url, allStages, pf, log, func(string) {}) }()

	input := syntheticArticles(t, dir, 20)
	huge := filepath.Join(dir, "huge.html")
	if err := os.WriteFile(huge, []byte("<html><body><p>"+strings.Repeat("word ", 10<<20)+"</p></body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := cmdImport(ctx, []string{input, huge, "--nats", url, "--quiet"}, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	nc, js, err := bus.Connect(ctx, url, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	for i, payload := range [][]byte{[]byte("{\"v\":1,\"article\":{\"id\":\"bad-utf8\",\"text\":\"\xff\xfe\xfd\"}}"), []byte("\x00\x01binary")} {
		if err := bus.Publish(ctx, js, bus.Out{Subject: bus.SubjectRaw, Data: payload, MsgID: fmt.Sprintf("raw:poison-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	waitAllAssigned(t, "http://"+httpAddr, 20, 60*time.Second)
	var recs []bus.StoredDeadLetter
	waitFor(t, "three dead letters", 20*time.Second, func() (bool, string) {
		recs, err = bus.ListDeadLetters(ctx, js, "", 0)
		return err == nil && len(recs) == 3, fmt.Sprint(len(recs), err)
	})
	reasons := map[string]string{}
	for _, r := range recs {
		reasons[r.Stage] += r.Reason + "\n"
	}
	if !strings.Contains(reasons["import"], "over the") {
		t.Errorf("huge article: reasons %q", reasons["import"])
	}
	if !strings.Contains(reasons["extractor"], "not valid UTF-8") || !strings.Contains(reasons["extractor"], "invalid message") {
		t.Errorf("extractor reasons: %q", reasons["extractor"])
	}
	cancel()
	<-done
}
