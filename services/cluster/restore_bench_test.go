package cluster

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cluster"
	"github.com/newsdedup/newsdedup/pkg/cputime"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/services/bus"
)

// BenchmarkRestore measures what a restarted clustering stage costs before
// it consumes again, end to end through an embedded nats-server (file
// storage): the latest snapshot read from the object store and decoded,
// then the articles acknowledged after it replayed from the stream. The
// stream holds NEWSDEDUP_BENCH_RESTORE articles (unset: skipped, as it takes
// minutes at 100,000), two to an invented event, so half as many active
// stories; the snapshot was taken half-way (a crash between snapshots at
// --snapshot-every of half the stream) or at the end (a clean stop, which
// snapshots on its way out).
func BenchmarkRestore(b *testing.B) {
	n, err := strconv.Atoi(os.Getenv("NEWSDEDUP_BENCH_RESTORE"))
	if err != nil || n <= 0 {
		b.Skip("set NEWSDEDUP_BENCH_RESTORE to the number of articles (e.g. 100000)")
	}
	js := startJS(b)
	ctx := context.Background()
	store, err := OpenSnapshots(ctx, js, 1)
	if err != nil {
		b.Fatal(err)
	}
	fx, err := features.New()
	if err != nil {
		b.Fatal(err)
	}
	as := inventedReports(n)
	publishAll(b, js, as)
	ackAll(b, js, n)

	for _, at := range []int{n / 2, n} {
		// The state when the snapshot was taken: the first at articles.
		e := cluster.New(cluster.DefaultConfig(), fx)
		addAll(b, e, as[:at])
		var buf bytes.Buffer
		if err := e.WriteSnapshot(&buf); err != nil {
			b.Fatal(err)
		}
		st := e.Stats()
		info := SnapshotInfo{Seq: uint64(at), Format: cluster.SnapshotVersion, Articles: st.Articles, Stories: st.ActiveStories}
		if err := store.Save(ctx, buf.Bytes(), info); err != nil {
			b.Fatal(err)
		}
		e = nil
		b.Run(fmt.Sprintf("articles=%d/snapshot-at=%d", n, at), func(b *testing.B) {
			var r Restored
			var cpu time.Duration
			var stories int
			for b.Loop() {
				b.StopTimer()
				fresh := cluster.New(cluster.DefaultConfig(), fx)
				runtime.GC()
				cpu0 := cputime.Process()
				b.StartTimer()
				r, err = Restore(ctx, js, fresh, store, slog.New(slog.DiscardHandler))
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				cpu = cputime.Process() - cpu0
				stories = fresh.Stats().ActiveStories
				b.StartTimer()
			}
			if !r.FromSnapshot || r.Replayed != n-at {
				b.Fatalf("restore %+v; want the snapshot at %d and %d replayed", r, at, n-at)
			}
			b.ReportMetric(r.Took.Seconds(), "s/restore")
			b.ReportMetric(cpu.Seconds(), "cpu-s/restore")
			b.ReportMetric(float64(r.Replayed), "replayed")
			b.ReportMetric(float64(stories), "stories")
			b.ReportMetric(float64(buf.Len())/(1<<20), "snapshot-MB")
		})
	}
}

// inventedReports makes n short articles, two to an event, whose people,
// places and figures are invented words and numbers of their own, so that
// n/2 stories stay apart.
func inventedReports(n int) []article.Article {
	syl := []string{"ka", "lo", "mi", "ren", "tas", "vel", "dor", "ni", "sa", "pu", "gre", "tho", "zan", "qui", "bel", "mor", "fi", "lu", "ter", "os"}
	word := func(x int) string {
		var sb strings.Builder
		for range 4 {
			sb.WriteString(syl[x%len(syl)])
			x /= len(syl)
		}
		return sb.String()
	}
	title := func(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
	things := []string{"bridge", "harvest festival", "water supply", "council budget", "power line", "ferry service", "hospital wing", "rail depot"}
	base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	out := make([]article.Article, n)
	for i := range n {
		ev := i / 2
		who := title(word(ev*7+1)) + " " + title(word(ev*13+5))
		place := title(word(ev*11 + 3))
		thing := things[ev%len(things)]
		at := base.Add(time.Duration(i) * time.Second)
		text := fmt.Sprintf("%s, who leads the %s office in %s, said on Monday that the %s would cost %d thousand euros. "+
			"Residents of %s asked %s about the %s at a meeting that lasted %d minutes; the works start in %s. Report %d.",
			who, thing, place, thing, 100+ev%9000, place, who, thing, 20+ev%97, title(word(ev*17+9)), i%2)
		out[i] = article.Article{ID: fmt.Sprintf("inv-%07d", i), Lang: "en", Source: fmt.Sprintf("s%d.example", i%50),
			Title: fmt.Sprintf("%s: %s in %s", who, thing, place), Text: text, Published: &at}
	}
	return out
}

// publishAll puts as on articles.detected, pipelined.
func publishAll(b *testing.B, js jetstream.JetStream, as []article.Article) {
	b.Helper()
	const window = 512
	for lo := 0; lo < len(as); lo += window {
		var futures []jetstream.PubAckFuture
		for _, a := range as[lo:min(lo+window, len(as))] {
			data, err := article.Encode(a)
			if err != nil {
				b.Fatal(err)
			}
			f, err := js.PublishAsync(bus.SubjectDetected, data, jetstream.WithMsgID("detected:"+a.ID))
			if err != nil {
				b.Fatal(err)
			}
			futures = append(futures, f)
		}
		for _, f := range futures {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				b.Fatal(err)
			}
		}
	}
}

// ackAll acknowledges the first n messages of the clustering stage's
// durable consumer, as a stage that handled them would have.
func ackAll(b *testing.B, js jetstream.JetStream, n int) {
	b.Helper()
	ctx := context.Background()
	cons, err := js.Consumer(ctx, bus.StreamArticles, bus.StageCluster)
	if err != nil {
		b.Fatal(err)
	}
	for acked := 0; acked < n; {
		batch, err := cons.Fetch(min(n-acked, 500), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			b.Fatal(err)
		}
		for msg := range batch.Messages() {
			if err := msg.Ack(); err != nil {
				b.Fatal(err)
			}
			acked++
		}
		if err := batch.Error(); err != nil {
			b.Fatal(err)
		}
	}
	// Acks are not waited for: the floor catches up in a moment.
	deadline := time.Now().Add(30 * time.Second)
	for {
		info, err := cons.Info(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if info.AckFloor.Stream == uint64(n) {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("ack floor %d, want %d", info.AckFloor.Stream, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// addAll assigns as to e in order, their features prepared on every core.
func addAll(b *testing.B, e *cluster.Engine, as []article.Article) {
	b.Helper()
	const chunk = 512
	for lo := 0; lo < len(as); lo += chunk {
		part := as[lo:min(lo+chunk, len(as))]
		ps := make([]*cluster.Prepared, len(part))
		var wg sync.WaitGroup
		procs := runtime.GOMAXPROCS(0)
		for g := range procs {
			wg.Go(func() {
				for i := g; i < len(part); i += procs {
					ps[i] = e.Prepare(part[i])
				}
			})
		}
		wg.Wait()
		for _, p := range ps {
			if _, err := e.AddPrepared(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}
