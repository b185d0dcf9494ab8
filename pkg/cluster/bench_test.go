package cluster

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
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

// BenchmarkAdd measures Add with many active stories; the cost per article
// should not grow with their number.
func BenchmarkAdd(b *testing.B) {
	for _, stories := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("stories=%d", stories), func(b *testing.B) {
			fx := newExtractor(b)
			s := newSynth(stories * 2)
			e := New(DefaultConfig(), fx)
			t0 := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
			for i := range stories {
				e.Add(s.article(fmt.Sprintf("warm-%d", i), i, t0))
			}
			// Pre-build the measured articles so text generation is not timed.
			as := make([]article.Article, b.N)
			for i := range as {
				as[i] = s.article(fmt.Sprintf("a-%d", i), s.rng.IntN(stories*2), t0.Add(time.Duration(i)*time.Second))
			}
			b.ResetTimer()
			start := time.Now()
			for i := range as {
				if _, err := e.Add(as[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "articles/s")
			b.ReportMetric(float64(e.Stats().ActiveStories), "stories")
		})
	}
}
