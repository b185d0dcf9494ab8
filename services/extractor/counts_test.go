package extractor

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/cputime"
	"github.com/newsdedup/newsdedup/pkg/extract"
)

// TestSourceCountsShareAndSurviveRestart: two replicas count the same
// source at once, flush to one bucket, and each sees the sum once its read
// has expired; the sum is in JetStream's files after a server restart.
func TestSourceCountsShareAndSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	ns, js := startBus(t, dir)
	ctx := context.Background()
	kv, err := SourcesBucket(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	const ttl = 200 * time.Millisecond
	a := NewSourceCounts(kv, CountsOptions{ReadTTL: ttl}, nil)
	b := NewSourceCounts(kv, CountsOptions{ReadTTL: ttl}, nil)
	const key = "0123456789abcdef"
	var wg sync.WaitGroup
	for _, c := range []*SourceCounts{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				if _, err := c.Incr(ctx, "Courier.example", key); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n, _ := a.Get(ctx, "courier.example", key); n != 25 {
		t.Errorf("a before any flush sees %d, want its own 25", n)
	}
	// Both flush at once: the compare-and-set makes them add up.
	for _, c := range []*SourceCounts{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Flush(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	time.Sleep(ttl + 50*time.Millisecond)
	for name, c := range map[string]*SourceCounts{"a": a, "b": b} {
		if n, err := c.Get(ctx, "courier.example", key); err != nil || n != 50 {
			t.Errorf("%s after flush sees %d (%v), want 50", name, n, err)
		}
		if n, err := c.Get(ctx, "courier.example", "ffffffffffffffff"); err != nil || n != 0 {
			t.Errorf("%s: unseen key counts %d (%v)", name, n, err)
		}
	}
	// A flush with nothing pending writes nothing.
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	ns.Shutdown()
	ns.WaitForShutdown()
	_, js = startBus(t, dir)
	kv, err = SourcesBucket(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := NewSourceCounts(kv, CountsOptions{}, nil).Get(ctx, "courier.example", key); err != nil || n != 50 {
		t.Fatalf("after restart: %d, %v; want 50", n, err)
	}
}

// TestSourceCountsBounded: past its capacity a source keeps its most
// frequent blocks, so boilerplate survives a flood of one-off blocks, and
// the counts halve when the article count reaches HalveAt.
func TestSourceCountsBounded(t *testing.T) {
	ctx := context.Background()
	kv := sourcesBucket(t)
	c := NewSourceCounts(kv, CountsOptions{Capacity: 50, HalveAt: 100, ReadTTL: time.Nanosecond}, nil)
	const boiler = "00000000000000aa"
	for i := range 90 {
		_, _ = c.Incr(ctx, "site.example", extract.ArticlesKey)
		if i%4 == 0 {
			_, _ = c.Incr(ctx, "site.example", boiler)
		}
		for j := range 10 {
			_, _ = c.Incr(ctx, "site.example", fmt.Sprintf("%016x", 1000+i*10+j))
		}
		if i%10 == 9 {
			if err := c.Flush(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	stored, _, err := c.load(ctx, kvKey("site.example", countsKey))
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.counts) > 51 {
		t.Errorf("stored %d keys, want at most 50 blocks and the articles count", len(stored.counts))
	}
	if stored.counts[boiler] != 23 || stored.counts[extract.ArticlesKey] != 90 {
		t.Errorf("boilerplate %d, articles %d; want 23 and 90", stored.counts[boiler], stored.counts[extract.ArticlesKey])
	}
	for range 10 {
		_, _ = c.Incr(ctx, "site.example", extract.ArticlesKey)
	}
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if stored, _, _ = c.load(ctx, kvKey("site.example", countsKey)); stored.counts[extract.ArticlesKey] != 55 || stored.counts[boiler] != 11 {
		t.Errorf("after halving: articles %d, boilerplate %d; want 55 and 11", stored.counts[extract.ArticlesKey], stored.counts[boiler])
	}
}

// TestSourceCountsUnreadableValue: a damaged value is started again, not
// an error that holds the source's articles back.
func TestSourceCountsUnreadableValue(t *testing.T) {
	ctx := context.Background()
	kv := sourcesBucket(t)
	if _, err := kv.Put(ctx, kvKey("site.example", countsKey), []byte{9, 9, 9}); err != nil {
		t.Fatal(err)
	}
	c := NewSourceCounts(kv, CountsOptions{}, nil)
	if n, err := c.Incr(ctx, "site.example", "k"); err != nil || n != 1 {
		t.Fatalf("incr over a damaged value: %d, %v", n, err)
	}
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if stored, _, err := c.load(ctx, kvKey("site.example", countsKey)); err != nil || stored.counts["k"] != 1 {
		t.Errorf("rewritten value: %v, %v", stored.counts, err)
	}
}

func TestBlockCountsEncoding(t *testing.T) {
	b := newBlockCounts()
	b.add(map[string]uint64{"articles": 3, "0123456789abcdef": 2, "x": 1}, 1000)
	got, err := decodeBlockCounts(b.encode())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got.counts) != fmt.Sprint(b.counts) || fmt.Sprint(got.last) != fmt.Sprint(b.last) {
		t.Errorf("round trip: %v %v, want %v %v", got.counts, got.last, b.counts, b.last)
	}
	enc := b.encode()
	for _, bad := range [][]byte{nil, {2}, enc[:len(enc)-1], append(enc, 0)} {
		if _, err := decodeBlockCounts(bad); err == nil {
			t.Errorf("decode %v: no error", bad)
		}
	}
}

// TestBlockCountsEncodingMany: a full value round-trips.
func TestBlockCountsEncodingMany(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	b := newBlockCounts()
	for i := range 5000 {
		k := fmt.Sprintf("%016x", r.Uint64())
		if i%50 == 0 {
			k = fmt.Sprintf("other-%d", i)
		}
		b.counts[k], b.last[k] = uint64(r.IntN(1000)+1), uint64(r.IntN(1<<20))
	}
	enc := b.encode()
	got, err := decodeBlockCounts(enc)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got.counts, b.counts) || !maps.Equal(got.last, b.last) {
		t.Errorf("round trip lost keys: %d of %d", len(got.counts), len(b.counts))
	}
	if again := got.encode(); len(again) != len(enc) {
		t.Errorf("the decoded value encodes to %d bytes, not %d", len(again), len(enc))
	}
}

// TestBlockKeyBytes compares blockKeyBytes with the round trip through
// encoding/hex that encode used: a key is stored as 8 bytes exactly when
// decoding and re-encoding it gives it back.
func TestBlockKeyBytes(t *testing.T) {
	for _, k := range []string{
		"0123456789abcdef", "0123456789ABCDEF", "0123456789abcdeF", "0123456789abcde", "0123456789abcdef0",
		"ffffffffffffffff", "0000000000000000", "0123456789abcdeg", "articles", "", "x", "0123456789abcd\xc3\xa9",
		" 123456789abcdef", "ÿ123456789abcde",
	} {
		raw, err := hex.DecodeString(k)
		want := err == nil && len(raw) == 8 && hex.EncodeToString(raw) == k
		got, ok := blockKeyBytes(k)
		if ok != want || ok && !bytes.Equal(got[:], raw) {
			t.Errorf("blockKeyBytes(%q) = %x, %v; want %x, %v", k, got, ok, raw, want)
		}
	}
}

// sourcesBucket starts an embedded server for the test and returns its
// per-source counts bucket.
func sourcesBucket(tb testing.TB) jetstream.KeyValue {
	tb.Helper()
	_, js := startBus(tb, tb.TempDir())
	kv, err := SourcesBucket(context.Background(), js)
	if err != nil {
		tb.Fatal(err)
	}
	return kv
}

// countingKV counts the reads of a bucket.
type countingKV struct {
	jetstream.KeyValue
	gets atomic.Int64
}

func (k *countingKV) Get(ctx context.Context, key string) (jetstream.KeyValueEntry, error) {
	k.gets.Add(1)
	return k.KeyValue.Get(ctx, key)
}

// TestSourceCountsFlushWithoutRereading: a replica alone on a source reads
// its value once; each flush builds on the value it last wrote. Two
// replicas taking turns each find the other's write at their next flush
// (the compare-and-set fails, they read and retry), so nothing is lost.
func TestSourceCountsFlushWithoutRereading(t *testing.T) {
	ctx := context.Background()
	bucket := sourcesBucket(t)
	const key = "0123456789abcdef"
	tests := []struct {
		name     string
		source   string
		replicas []int // increments per flush, replica by replica, each round
		rounds   int
		maxGets  int64
	}{
		{"alone", "alone.example", []int{3}, 6, 1},
		{"two taking turns", "shared.example", []int{3, 2}, 5, 2 + 2*5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kv := &countingKV{KeyValue: bucket}
			var cs []*SourceCounts
			for range tc.replicas {
				cs = append(cs, NewSourceCounts(kv, CountsOptions{ReadTTL: time.Hour}, nil))
			}
			want := uint64(0)
			for range tc.rounds {
				for i, c := range cs {
					for range tc.replicas[i] {
						if _, err := c.Incr(ctx, tc.source, key); err != nil {
							t.Fatal(err)
						}
					}
					want += uint64(tc.replicas[i])
					if err := c.Flush(ctx); err != nil {
						t.Fatal(err)
					}
				}
			}
			stored, _, err := cs[0].load(ctx, kvKey(tc.source, countsKey))
			if err != nil || stored.counts[key] != want {
				t.Fatalf("stored %d (%v), want %d", stored.counts[key], err, want)
			}
			if n, _ := cs[len(cs)-1].Get(ctx, tc.source, key); n != want {
				t.Errorf("the last writer sees %d, want %d", n, want)
			}
			if gets := kv.gets.Load() - 1; gets > tc.maxGets { // less the check's own read
				t.Errorf("%d reads of the bucket, want at most %d", gets, tc.maxGets)
			}
		})
	}
}

// TestSourceCountsFlushDue: a periodic flush writes a source once it has
// gathered FlushArticles articles or its oldest count is MaxPending old,
// and leaves the others pending (still counted by Get); Flush writes all.
func TestSourceCountsFlushDue(t *testing.T) {
	ctx := context.Background()
	kv := sourcesBucket(t)
	const key = "0123456789abcdef"
	tests := []struct {
		name       string
		articles   int
		maxPending time.Duration
		wait       time.Duration
		flushAll   bool
		written    bool
	}{
		{"too few, too young", 3, time.Hour, 0, false, false},
		{"enough articles", 4, time.Hour, 0, false, true},
		{"old enough", 1, 30 * time.Millisecond, 60 * time.Millisecond, false, true},
		{"flush writes all", 1, time.Hour, 0, true, true},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			source := fmt.Sprintf("due%d.example", i)
			c := NewSourceCounts(kv, CountsOptions{ReadTTL: time.Hour, FlushArticles: 4, MaxPending: tc.maxPending}, nil)
			for range tc.articles {
				for _, k := range []string{extract.ArticlesKey, key} {
					if _, err := c.Incr(ctx, source, k); err != nil {
						t.Fatal(err)
					}
				}
			}
			time.Sleep(tc.wait)
			flush := c.FlushDue
			if tc.flushAll {
				flush = c.Flush
			}
			if err := flush(ctx); err != nil {
				t.Fatal(err)
			}
			stored, _, err := c.load(ctx, kvKey(source, countsKey))
			if err != nil {
				t.Fatal(err)
			}
			want := uint64(0)
			if tc.written {
				want = uint64(tc.articles)
			}
			if got := stored.counts[key]; got != want {
				t.Errorf("stored %d, want %d", got, want)
			}
			if n, _ := c.Get(ctx, source, key); n != uint64(tc.articles) {
				t.Errorf("this replica sees %d, want %d", n, tc.articles)
			}
			if err := c.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			if stored, _, _ := c.load(ctx, kvKey(source, countsKey)); stored.counts[key] != uint64(tc.articles) {
				t.Errorf("after Flush stored %d, want %d", stored.counts[key], tc.articles)
			}
		})
	}
}

// orderKV records the keys written to a bucket, in order.
type orderKV struct {
	jetstream.KeyValue
	mu      sync.Mutex
	written []string
}

func (k *orderKV) Create(ctx context.Context, key string, value []byte, opts ...jetstream.KVCreateOpt) (uint64, error) {
	k.mu.Lock()
	k.written = append(k.written, key)
	k.mu.Unlock()
	return k.KeyValue.Create(ctx, key, value, opts...)
}

// TestSourceCountsFlushBusiestFirst: a flush writes the sources with the
// most articles pending first, so that the last flush, which has a few
// seconds, leaves out what the fewest articles taught when time runs out.
func TestSourceCountsFlushBusiestFirst(t *testing.T) {
	ctx := context.Background()
	kv := &orderKV{KeyValue: sourcesBucket(t)}
	c := NewSourceCounts(kv, CountsOptions{ReadTTL: time.Hour}, nil)
	articles := map[string]int{"a.example": 2, "b.example": 9, "c.example": 1, "d.example": 5}
	for source, n := range articles {
		for range n {
			if _, err := c.Incr(ctx, source, extract.ArticlesKey); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, s := range []string{"b.example", "d.example", "a.example", "c.example"} {
		want = append(want, kvKey(s, countsKey))
	}
	if !slices.Equal(kv.written, want) {
		t.Errorf("written in the order %q, want %q", kv.written, want)
	}
}

// TestPruneMatchesReference compares prune with the order it had through
// the maps (count, then recency, descending; then the key).
func TestPruneMatchesReference(t *testing.T) {
	ref := func(b *blockCounts, capacity int) {
		if len(b.counts) <= capacity+1 {
			return
		}
		keys := make([]string, 0, len(b.counts))
		for k := range b.counts {
			if k != extract.ArticlesKey {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, func(x, y string) int {
			if c := cmpDesc(b.counts[x], b.counts[y]); c != 0 {
				return c
			}
			if c := cmpDesc(b.last[x], b.last[y]); c != 0 {
				return c
			}
			return bytes.Compare([]byte(x), []byte(y))
		})
		for _, k := range keys[capacity:] {
			delete(b.counts, k)
			delete(b.last, k)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		keys, capacity, spread int
		noArticles             bool
	}{{10, 20, 5, false}, {100, 50, 3, false}, {5000, 4096, 40, false}, {300, 0, 2, false}, {64, 63, 1, false}, {100, 50, 3, true}, {51, 50, 2, true}} {
		a, b := newBlockCounts(), newBlockCounts()
		if !tc.noArticles {
			a.counts[extract.ArticlesKey], b.counts[extract.ArticlesKey] = 7, 7
		}
		for i := range tc.keys {
			k := fmt.Sprintf("%016x", r.Uint64()%uint64(tc.keys*2))
			if i%7 == 0 {
				k = fmt.Sprintf("k%d", i) // not a block key
			}
			n, last := uint64(1+r.IntN(tc.spread)), uint64(r.IntN(tc.spread))
			a.counts[k], a.last[k], b.counts[k], b.last[k] = n, last, n, last
		}
		a.prune(tc.capacity)
		ref(&b, tc.capacity)
		if !maps.Equal(a.counts, b.counts) || !maps.Equal(a.last, b.last) {
			t.Errorf("%d keys, capacity %d: kept %d keys, reference %d", tc.keys, tc.capacity, len(a.counts), len(b.counts))
		}
	}
}

// BenchmarkFlushFull times a flush of 50 full sources (4,096 blocks each),
// each with an article's worth of new blocks pending: what every second
// of a long run costs the extractor.
func BenchmarkFlushFull(b *testing.B) {
	ctx := context.Background()
	kv := sourcesBucket(b)
	c := NewSourceCounts(kv, CountsOptions{ReadTTL: time.Hour}, nil)
	next := 0
	fill := func(blocks int) {
		for s := range 50 {
			src := fmt.Sprintf("site%d.example", s)
			_, _ = c.Incr(ctx, src, extract.ArticlesKey)
			for range blocks {
				next++
				_, _ = c.Incr(ctx, src, fmt.Sprintf("%016x", next))
			}
		}
	}
	fill(4200)
	if err := c.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		fill(30)
		b.StartTimer()
		if err := c.Flush(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFlushManySources: 400 full sources, each seeing one article (30
// new blocks) between two ticks of the flush, as when thousands of sources
// share a stream. An op is one article; "every" writes every source at
// every tick (Flush), "due" only those that gathered FlushArticles (FlushDue).
func BenchmarkFlushManySources(b *testing.B) {
	for _, policy := range []string{"every", "due"} {
		b.Run("flush="+policy, func(b *testing.B) {
			ctx := context.Background()
			kv := sourcesBucket(b)
			c := NewSourceCounts(kv, CountsOptions{ReadTTL: time.Hour}, nil)
			const sources = 400
			next := 0
			article := func(s, blocks int) {
				src := fmt.Sprintf("site%d.example", s)
				_, _ = c.Incr(ctx, src, extract.ArticlesKey)
				for range blocks {
					next++
					_, _ = c.Incr(ctx, src, fmt.Sprintf("%016x", next))
				}
			}
			for s := range sources {
				article(s, 4200)
			}
			if err := c.Flush(ctx); err != nil {
				b.Fatal(err)
			}
			flush := c.Flush
			if policy == "due" {
				flush = c.FlushDue
			}
			var flushCPU time.Duration
			n := 0
			for b.Loop() {
				b.StopTimer()
				article(n%sources, 30)
				n++
				b.StartTimer()
				if n%sources == 0 { // a tick: every source saw an article since the last
					cpu0 := cputime.Process()
					if err := flush(ctx); err != nil {
						b.Fatal(err)
					}
					flushCPU += cputime.Process() - cpu0
				}
			}
			b.ReportMetric(float64(flushCPU)/float64(b.N), "flush-cpu-ns/article")
		})
	}
}
