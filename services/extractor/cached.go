package extractor

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// CachedCounts puts a local cache in front of the KV counts: reads are
// trusted for a short while and increments are added up locally, then
// written in one compare-and-set per key at each flush. Replicas agree
// within a flush interval plus the read lifetime, which the per-source
// layer (thresholds over many articles) does not notice, and extraction no
// longer waits for two KV round trips per block.
type CachedCounts struct {
	store *KVCounts
	ttl   time.Duration

	mu sync.Mutex
	m  map[cacheKey]*cachedCount
}

type cacheKey struct{ source, key string }

type cachedCount struct {
	base, pending uint64
	read          time.Time
}

// maxCached bounds the cache; idle entries go first when it is full.
const maxCached = 200_000

// NewCachedCounts caches store's counts, trusting a read for ttl.
func NewCachedCounts(store *KVCounts, ttl time.Duration) *CachedCounts {
	return &CachedCounts{store: store, ttl: ttl, m: make(map[cacheKey]*cachedCount)}
}

// Get implements extract.Counts.
func (c *CachedCounts) Get(ctx context.Context, source, key string) (uint64, error) {
	k := cacheKey{source, key}
	c.mu.Lock()
	if e := c.m[k]; e != nil && time.Since(e.read) < c.ttl {
		v := e.base + e.pending
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()
	n, err := c.store.Get(ctx, source, key)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[k]
	if e == nil {
		e = &cachedCount{}
		c.m[k] = e
	}
	e.base, e.read = n, time.Now()
	return e.base + e.pending, nil
}

// Incr implements extract.Counts: the increment is kept until the next flush.
func (c *CachedCounts) Incr(ctx context.Context, source, key string) (uint64, error) {
	if _, err := c.Get(ctx, source, key); err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := cacheKey{source, key}
	e := c.m[k]
	if e == nil { // evicted in between: start again from what was read
		e = &cachedCount{read: time.Now()}
		c.m[k] = e
	}
	e.pending++
	return e.base + e.pending, nil
}

// Flush writes the pending increments to the bucket.
func (c *CachedCounts) Flush(ctx context.Context) error {
	type todo struct {
		k cacheKey
		n uint64
	}
	var work []todo
	c.mu.Lock()
	for k, e := range c.m {
		if e.pending > 0 {
			work = append(work, todo{k, e.pending})
		}
	}
	c.mu.Unlock()
	for _, w := range work {
		n, err := c.store.IncrBy(ctx, w.k.source, w.k.key, w.n)
		if err != nil {
			return err
		}
		c.mu.Lock()
		if e := c.m[w.k]; e != nil {
			e.pending -= w.n
			e.base, e.read = n, time.Now()
		}
		c.mu.Unlock()
	}
	c.evict()
	return nil
}

// evict drops entries with nothing pending, oldest reads first, once the
// cache is over its bound.
func (c *CachedCounts) evict() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) <= maxCached {
		return
	}
	cutoff := time.Now().Add(-c.ttl)
	for k, e := range c.m {
		if e.pending == 0 && e.read.Before(cutoff) {
			delete(c.m, k)
		}
	}
}

// Run flushes every interval until ctx ends, then once more.
func (c *CachedCounts) Run(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := c.Flush(final); err != nil {
				log.Warn("per-source counts: last flush failed", "err", err)
			}
			return
		case <-t.C:
			if err := c.Flush(ctx); err != nil && ctx.Err() == nil {
				log.Warn("per-source counts: flush failed, will retry", "err", err)
			}
		}
	}
}
