package cluster

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cputime"
)

// synth makes articles about synthetic events: each event has its own
// names and words drawn from a shared vocabulary, and its articles sample
// them, with filler words common to all.
type synth struct {
	mu     sync.Mutex
	rng    *rand.Rand
	vocab  []string
	names  []string
	events [][]string
}

func newSynth(events int) *synth {
	s := &synth{rng: rand.New(rand.NewPCG(1, 2))}
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(byte('a' + s.rng.IntN(26)))
		}
		return b.String()
	}
	for range 20000 {
		s.vocab = append(s.vocab, word(4+s.rng.IntN(7)))
	}
	for range 5000 {
		n := word(5 + s.rng.IntN(4))
		s.names = append(s.names, strings.ToUpper(n[:1])+n[1:])
	}
	for range events {
		var ev []string
		for range 2 {
			ev = append(ev, s.names[s.rng.IntN(len(s.names))]+" "+s.names[s.rng.IntN(len(s.names))])
		}
		for range 30 {
			ev = append(ev, s.vocab[s.rng.IntN(len(s.vocab))])
		}
		s.events = append(s.events, ev)
	}
	return s
}

// articleFor is article at a fixed time, safe for concurrent use.
func (s *synth) articleFor(id string, event int) article.Article {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.article(id, event, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC))
}

func (s *synth) article(id string, event int, t time.Time) article.Article {
	ev := s.events[event]
	var b strings.Builder
	for i := range 150 {
		if i%12 == 0 {
			b.WriteString("the news said that ")
		}
		if s.rng.IntN(3) == 0 {
			b.WriteString(ev[s.rng.IntN(len(ev))])
		} else {
			b.WriteString(s.vocab[s.rng.IntN(len(s.vocab))])
		}
		b.WriteByte(' ')
	}
	return article.Article{ID: id, Lang: "en", Title: ev[0] + " " + ev[2] + " " + ev[3], Text: b.String(), Published: &t}
}

// BenchmarkAdd measures Add, features included, with many active stories;
// the cost per article should not grow with their number. The engine is
// warmed once per size (two goroutines, as the cluster stage may run) and
// reused across the benchmark's rounds. It reports articles/s on the
// benchmark's goroutine and the live heap per active article after the
// warm-up (B/article).
//
// Measured on the 2-core development machine (Go 1.26, make bench):
// see docs/quality.md.
func BenchmarkAdd(b *testing.B) {
	sizes := []int{1000, 100000}
	// NEWSDEDUP_BENCH_STORIES=20000 measures other sizes.
	if v, err := strconv.Atoi(os.Getenv("NEWSDEDUP_BENCH_STORIES")); err == nil && v > 0 {
		sizes = []int{v}
	}
	for _, stories := range sizes {
		fx := newExtractor(b)
		s := newSynth(stories * 2)
		var e *Engine
		var perArticle float64
		warm := func() {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			e = New(DefaultConfig(), fx)
			var wg sync.WaitGroup
			for g := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := g; i < stories; i += 2 {
						if _, err := e.Add(s.articleFor(fmt.Sprintf("warm-%d", i), i)); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			runtime.GC()
			runtime.ReadMemStats(&after)
			perArticle = float64(after.HeapAlloc-before.HeapAlloc) / float64(e.Stats().Articles)
		}
		b.Run(fmt.Sprintf("stories=%d", stories), func(b *testing.B) {
			if e == nil {
				warm()
			}
			t0 := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
			// Pre-build the measured articles so text generation is not
			// timed; half found new stories, half join warm ones.
			as := make([]article.Article, b.N)
			for i := range as {
				as[i] = s.article(fmt.Sprintf("a-%d-%d", b.N, i), s.rng.IntN(stories*2), t0.Add(time.Duration(i)*time.Millisecond))
			}
			timeArticles(b, e, perArticle, func(i int) error {
				_, err := e.Add(as[i])
				return err
			})
		})
	}
}

// timeArticles times add over the b.N articles and reports articles/s,
// articles per CPU-second of the whole process (garbage collection on the
// other core included: what one core sustains, whatever else the shared
// machine runs), the active stories and perArticle.
func timeArticles(b *testing.B, e *Engine, perArticle float64, add func(i int) error) {
	b.ResetTimer()
	start, cpu0 := time.Now(), cputime.Process()
	for i := range b.N {
		if err := add(i); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "articles/s")
	if c := cputime.Process() - cpu0; c > 0 {
		b.ReportMetric(float64(b.N)/c.Seconds(), "articles/cpu-s")
	}
	b.ReportMetric(float64(e.Stats().ActiveStories), "stories")
	b.ReportMetric(perArticle, "B/article")
}

// BenchmarkAssign measures AddPrepared alone: the articles are prepared
// (features, shingles) before the timer starts, as the cluster stage
// prepares a batch on every core while one goroutine assigns. Its rate is
// the single clustering worker's ceiling; BenchmarkAdd adds the per-article
// preparation. The engine is warmed with the given number of articles,
// perStory to a synthetic event, and reports the live heap per active
// article after the warm-up (B/article): stories of one article, and of
// twenty, where members beyond the latest let their vectors go.
func BenchmarkAssign(b *testing.B) {
	cases := []struct{ articles, perStory int }{{1000, 1}, {100000, 1}, {100000, 20}}
	if v, err := strconv.Atoi(os.Getenv("NEWSDEDUP_BENCH_STORIES")); err == nil && v > 0 {
		cases = []struct{ articles, perStory int }{{v, 1}}
	}
	for _, c := range cases {
		fx := newExtractor(b)
		events := c.articles / c.perStory
		s := newSynth(events * 2)
		var e *Engine
		var perArticle float64
		b.Run(fmt.Sprintf("articles=%d/per-story=%d", c.articles, c.perStory), func(b *testing.B) {
			if e == nil {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				e = New(DefaultConfig(), fx)
				warmEngine(b, e, s, c.articles, events)
				runtime.GC()
				runtime.ReadMemStats(&after)
				perArticle = float64(after.HeapAlloc-before.HeapAlloc) / float64(e.Stats().Articles)
				writeHeapProfile(b)
			}
			t0 := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
			ps := make([]*Prepared, b.N)
			for i := range ps {
				ps[i] = e.Prepare(s.article(fmt.Sprintf("p-%d-%d", b.N, i), s.rng.IntN(events*2), t0.Add(time.Duration(i)*time.Millisecond)))
			}
			runtime.GC()
			timeArticles(b, e, perArticle, func(i int) error {
				_, err := e.AddPrepared(ps[i])
				return err
			})
		})
	}
}

// writeHeapProfile writes the live heap to $NEWSDEDUP_HEAPPROFILE, when
// set: what a warm engine holds, by allocation site (go tool pprof
// -sample_index=inuse_space).
func writeHeapProfile(b *testing.B) {
	path := os.Getenv("NEWSDEDUP_HEAPPROFILE")
	if path == "" {
		return
	}
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

// warmEngine adds n articles about the first events synthetic events in
// turn, preparing them on every core and assigning in order.
func warmEngine(b *testing.B, e *Engine, s *synth, n, events int) {
	const chunk = 512
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		ps := make([]*Prepared, hi-lo)
		var wg sync.WaitGroup
		for g := range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := lo + g; i < hi; i += runtime.GOMAXPROCS(0) {
					ps[i-lo] = e.Prepare(s.articleFor(fmt.Sprintf("warm-%d", i), i%events))
				}
			}()
		}
		wg.Wait()
		for _, p := range ps {
			if _, err := e.AddPrepared(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}
