package extractor

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/extract"
)

// SourceCounts implements extract.Counts with one value per source in the
// key-value bucket: the source's article count and its most frequent
// blocks. A replica reads a source's value once, counts locally, and
// merges what it counted into the stored value with a compare-and-set at
// each flush. So extraction makes no bucket round trip per block (only one
// per source per read lifetime), and the bucket holds a bounded value per
// source rather than a key per block ever seen.
//
// The value is lossy in two ways the per-source layer does not notice: past
// Capacity blocks, the rarest and least recently seen are forgotten (a
// site's boilerplate recurs in a fifth of its articles or more, so it is
// never the rarest); and when the article count reaches HalveAt every count
// is halved, so that what a site stopped printing fades away.
type SourceCounts struct {
	kv  jetstream.KeyValue
	opt CountsOptions
	log *slog.Logger

	mu      sync.Mutex
	sources map[string]*sourceEntry
}

// CountsOptions tunes SourceCounts; the zero value gives the defaults.
type CountsOptions struct {
	// ReadTTL is how long a source's value read from the bucket is trusted
	// before it is read again (default 10 s): other replicas' counts reach
	// this one within a flush interval plus ReadTTL.
	ReadTTL time.Duration
	// Capacity is how many blocks a source's value keeps (default 4096).
	Capacity int
	// HalveAt is the article count at which all of a source's counts are
	// halved (default 2000).
	HalveAt uint64
	// MaxSources bounds the sources held in memory (default 20,000); idle
	// ones with nothing to write go first.
	MaxSources int
	// FlushArticles is how many articles' counts a source gathers before a
	// periodic flush (FlushDue) writes it (default 16), and MaxPending how
	// long its counts wait for them at most (default 1 minute). A write
	// rewrites the source's whole value (up to Capacity blocks, some 55 KB)
	// whatever it adds, so with thousands of sources, each seeing an article
	// now and then, writing every source at every flush would cost about one
	// rewrite per article; gathered, a rewrite serves FlushArticles articles.
	FlushArticles uint64
	MaxPending    time.Duration
}

func (o CountsOptions) withDefaults() CountsOptions {
	if o.ReadTTL <= 0 {
		o.ReadTTL = 10 * time.Second
	}
	if o.Capacity <= 0 {
		o.Capacity = 4096
	}
	if o.HalveAt == 0 {
		o.HalveAt = 2000
	}
	if o.MaxSources <= 0 {
		o.MaxSources = 20_000
	}
	if o.FlushArticles == 0 {
		o.FlushArticles = 16
	}
	if o.MaxPending <= 0 {
		o.MaxPending = time.Minute
	}
	return o
}

// sourceEntry is one source's counts as this replica knows them.
type sourceEntry struct {
	ready   chan struct{} // closed once the first read is done
	err     error         // of the first read
	base    blockCounts   // as last read or written
	rev     uint64        // base's revision in the bucket (0: none stored)
	pending map[string]uint64
	since   time.Time // when the oldest pending count was taken
	read    time.Time
	used    time.Time
}

// NewSourceCounts returns counts kept in kv (see SourcesBucket). Call Run
// (or Flush) to write them.
func NewSourceCounts(kv jetstream.KeyValue, opt CountsOptions, log *slog.Logger) *SourceCounts {
	if log == nil {
		log = slog.Default()
	}
	return &SourceCounts{kv: kv, opt: opt.withDefaults(), log: log, sources: map[string]*sourceEntry{}}
}

var _ extract.Counts = (*SourceCounts)(nil)

// Get implements extract.Counts: the stored count plus what this replica
// counted since its last flush.
func (c *SourceCounts) Get(ctx context.Context, source, key string) (uint64, error) {
	e, err := c.entry(ctx, source)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return e.base.counts[key] + e.pending[key], nil
}

// Incr implements extract.Counts; the increment is written at the next flush.
func (c *SourceCounts) Incr(ctx context.Context, source, key string) (uint64, error) {
	e, err := c.entry(ctx, source)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(e.pending) == 0 {
		e.since = time.Now()
	}
	e.pending[key]++
	return e.base.counts[key] + e.pending[key], nil
}

// entry returns the source's counts, reading them from the bucket the first
// time and again once the read is older than ReadTTL and nothing is
// pending (a flush refreshes the others). Concurrent callers share a read.
func (c *SourceCounts) entry(ctx context.Context, source string) (*sourceEntry, error) {
	// Sources that share a bucket key ("Site.example", "site.example")
	// share an entry.
	id := kvKey(source, countsKey)
	c.mu.Lock()
	e := c.sources[id]
	now := time.Now()
	if e != nil {
		select {
		case <-e.ready:
			stale := e.err != nil || (len(e.pending) == 0 && now.Sub(e.read) > c.opt.ReadTTL)
			if !stale {
				e.used = now
				c.mu.Unlock()
				return e, nil
			}
			e = nil
		default:
		}
	}
	if e == nil {
		e = &sourceEntry{ready: make(chan struct{}), pending: map[string]uint64{}, used: now}
		c.sources[id] = e
		c.mu.Unlock()
		base, rev, err := c.load(ctx, id)
		c.mu.Lock()
		e.base, e.rev, e.err, e.read = base, rev, err, time.Now()
		close(e.ready)
		c.mu.Unlock()
		return e, err
	}
	c.mu.Unlock()
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return e, e.err
}

// load reads a source's stored counts (under key) and the value's revision (0: none).
// An unreadable value is treated as empty, and overwritten at the next
// flush, rather than stopping the source's articles.
func (c *SourceCounts) load(ctx context.Context, key string) (blockCounts, uint64, error) {
	v, err := c.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return newBlockCounts(), 0, nil
	}
	if err != nil {
		return blockCounts{}, 0, fmt.Errorf("counts %s: %w", key, err)
	}
	bc, err := decodeBlockCounts(v.Value())
	if err != nil {
		c.log.Warn("per-source counts unreadable, starting them again", "key", key, "err", err)
		return newBlockCounts(), v.Revision(), nil
	}
	return bc, v.Revision(), nil
}

// countsKey is the key, under the source, of its counts.
const countsKey = "blocks"

// Flush merges every source's pending counts into the bucket.
func (c *SourceCounts) Flush(ctx context.Context) error {
	return c.flush(ctx, func(*sourceEntry) bool { return true })
}

// FlushDue merges the pending counts of the sources that gathered
// FlushArticles articles, or whose oldest pending count is MaxPending old;
// the others wait for more. Run calls it at every tick.
func (c *SourceCounts) FlushDue(ctx context.Context) error {
	now := time.Now()
	return c.flush(ctx, func(e *sourceEntry) bool {
		return e.pending[extract.ArticlesKey] >= c.opt.FlushArticles || now.Sub(e.since) >= c.opt.MaxPending
	})
}

// flush merges the pending counts of the sources due says to write.
func (c *SourceCounts) flush(ctx context.Context, due func(*sourceEntry) bool) error {
	type todo struct {
		source  string
		e       *sourceEntry
		pending map[string]uint64
		since   time.Time
		known   *storedCounts // the value as this replica last saw it, if it did
	}
	var work []todo
	c.mu.Lock()
	for s, e := range c.sources {
		if len(e.pending) > 0 && due(e) {
			w := todo{s, e, e.pending, e.since, nil}
			if e.err == nil {
				w.known = &storedCounts{e.base, e.rev}
			}
			work = append(work, w)
			e.pending = map[string]uint64{}
		}
	}
	c.mu.Unlock()
	// The busiest sources first: when the time runs out (the last flush
	// has a few seconds), what is left is what the fewest articles taught.
	slices.SortFunc(work, func(a, b todo) int {
		return cmpDesc(a.pending[extract.ArticlesKey], b.pending[extract.ArticlesKey])
	})
	// putBack returns counts that could not be written to their source,
	// for the next flush, keeping the time of the oldest.
	putBack := func(w todo) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if len(w.e.pending) == 0 || w.since.Before(w.e.since) {
			w.e.since = w.since
		}
		for k, n := range w.pending {
			w.e.pending[k] += n
		}
	}
	var errs []error
	for i, w := range work {
		merged, err := c.merge(ctx, w.source, w.pending, w.known)
		if err != nil {
			putBack(w)
			errs = append(errs, err)
		} else {
			c.mu.Lock()
			w.e.base, w.e.rev, w.e.read = merged.counts, merged.rev, time.Now()
			c.mu.Unlock()
		}
		if ctx.Err() != nil {
			for _, rest := range work[i+1:] {
				putBack(rest)
			}
			errs = append(errs, ctx.Err())
			break
		}
	}
	c.evict()
	return errors.Join(errs...)
}

// storedCounts is a source's value and its revision in the bucket (0:
// none stored).
type storedCounts struct {
	counts blockCounts
	rev    uint64
}

// merge adds pending to the stored value under key with compare-and-set,
// retrying when another replica wrote in between, and returns the result.
// known, if not nil, is the value as this replica last read or wrote it:
// the first try builds on it, without reading and decoding the value again
// (each source's whole value, every flush), and the compare-and-set fails
// if another replica wrote since, as it would after a read.
func (c *SourceCounts) merge(ctx context.Context, key string, pending map[string]uint64, known *storedCounts) (storedCounts, error) {
	for try := range maxCASTries {
		var bc blockCounts
		var rev uint64
		if try == 0 && known != nil {
			// A copy: the known value is what Get reads meanwhile.
			bc = blockCounts{counts: maps.Clone(known.counts.counts), last: maps.Clone(known.counts.last)}
			rev = known.rev
		} else {
			var err error
			if bc, rev, err = c.load(ctx, key); err != nil {
				return storedCounts{}, err
			}
		}
		bc.add(pending, c.opt.HalveAt)
		bc.prune(c.opt.Capacity)
		data := bc.encode()
		var err error
		if rev == 0 {
			rev, err = c.kv.Create(ctx, key, data)
		} else {
			rev, err = c.kv.Update(ctx, key, data, rev)
		}
		if err == nil {
			return storedCounts{bc, rev}, nil
		}
		if !lostRace(err) {
			return storedCounts{}, fmt.Errorf("write counts %s: %w", key, err)
		}
		if err := backoff(ctx, try); err != nil {
			return storedCounts{}, err
		}
	}
	return storedCounts{}, fmt.Errorf("counts %s: %w", key, errContended)
}

// evict forgets the least recently used sources with nothing pending once
// there are more than MaxSources.
func (c *SourceCounts) evict() {
	c.mu.Lock()
	defer c.mu.Unlock()
	over := len(c.sources) - c.opt.MaxSources
	if over <= 0 {
		return
	}
	type idle struct {
		s    string
		used time.Time
	}
	var list []idle
	for s, e := range c.sources {
		if len(e.pending) == 0 {
			list = append(list, idle{s, e.used})
		}
	}
	slices.SortFunc(list, func(a, b idle) int { return a.used.Compare(b.used) })
	for _, x := range list[:min(over, len(list))] {
		delete(c.sources, x.s)
	}
}

// Run writes the sources that are due (FlushDue) every interval until ctx
// ends, then every source's pending counts.
func (c *SourceCounts) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := c.Flush(final); err != nil {
				c.log.Warn("per-source counts: last flush failed", "err", err)
			}
			return
		case <-t.C:
			if err := c.FlushDue(ctx); err != nil && ctx.Err() == nil {
				c.log.Warn("per-source counts: flush failed, will retry", "err", err)
			}
		}
	}
}

// blockCounts is a source's stored value: counts by key, and for each the
// article count when it was last incremented (its recency).
type blockCounts struct {
	counts map[string]uint64
	last   map[string]uint64
}

func newBlockCounts() blockCounts {
	return blockCounts{counts: map[string]uint64{}, last: map[string]uint64{}}
}

// add merges pending increments, halving every count first when the
// articles count would pass halveAt.
func (b *blockCounts) add(pending map[string]uint64, halveAt uint64) {
	if b.counts[extract.ArticlesKey]+pending[extract.ArticlesKey] >= halveAt {
		for k, n := range b.counts {
			b.counts[k] = n / 2
			b.last[k] /= 2
		}
	}
	now := b.counts[extract.ArticlesKey] + pending[extract.ArticlesKey]
	for k, n := range pending {
		b.counts[k] += n
		b.last[k] = now
	}
	for k, n := range b.counts {
		if n == 0 {
			delete(b.counts, k)
			delete(b.last, k)
		}
	}
}

// prune keeps the capacity most frequent keys, the more recent first among
// equals (then the lesser key); the articles count is always kept. Once a
// source is full this runs at every flush to drop the few keys past the
// capacity, so it picks those out (the last ones in that order) with a
// small heap rather than sorting every key.
func (b *blockCounts) prune(capacity int) {
	if len(b.counts) <= capacity+1 {
		return
	}
	type rec struct {
		count, last uint64
		key         string
	}
	// after tells that x comes after y in the order kept first.
	after := func(x, y rec) bool {
		if x.count != y.count {
			return x.count < y.count
		}
		if x.last != y.last {
			return x.last < y.last
		}
		return x.key > y.key
	}
	// drop holds the keys to drop found so far, a heap whose root comes
	// first in the order: the one to give back when a later key turns up.
	blocks := len(b.counts)
	if _, ok := b.counts[extract.ArticlesKey]; ok {
		blocks--
	}
	if blocks <= capacity {
		return
	}
	drop := make([]rec, 0, blocks-capacity)
	for k, n := range b.counts {
		if k == extract.ArticlesKey {
			continue
		}
		r := rec{n, b.last[k], k}
		switch {
		case len(drop) < cap(drop):
			drop = append(drop, r)
			for i := len(drop) - 1; i > 0; {
				p := (i - 1) / 2
				if !after(drop[p], drop[i]) {
					break
				}
				drop[p], drop[i] = drop[i], drop[p]
				i = p
			}
		case after(r, drop[0]):
			drop[0] = r
			for i := 0; ; {
				c := 2*i + 1
				if c >= len(drop) {
					break
				}
				if c+1 < len(drop) && after(drop[c], drop[c+1]) {
					c++
				}
				if !after(drop[i], drop[c]) {
					break
				}
				drop[i], drop[c] = drop[c], drop[i]
				i = c
			}
		}
	}
	for _, r := range drop {
		delete(b.counts, r.key)
		delete(b.last, r.key)
	}
}

func cmpDesc(a, b uint64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// countsVersion is the first byte of an encoded value.
const countsVersion = 1

// encode writes the value compactly: block keys (16 hex digits) as 8
// bytes, other keys as strings, counts and recency as varints. Keys go in
// the maps' order: a value is always read whole into maps, and sorting a
// full source's keys was a third of what a flush cost.
func (b blockCounts) encode() []byte {
	out := make([]byte, 0, 1+binary.MaxVarintLen64+len(b.counts)*14)
	out = append(out, countsVersion)
	out = binary.AppendUvarint(out, uint64(len(b.counts)))
	for k, n := range b.counts {
		if raw, ok := blockKeyBytes(k); ok {
			out = append(out, 0)
			out = append(out, raw[:]...)
		} else {
			out = append(out, 1)
			out = binary.AppendUvarint(out, uint64(len(k)))
			out = append(out, k...)
		}
		out = binary.AppendUvarint(out, n)
		out = binary.AppendUvarint(out, b.last[k])
	}
	return out
}

// blockKeyBytes reads a block key, 16 lower-case hex digits (what
// hex.EncodeToString writes for 8 bytes), without allocating.
func blockKeyBytes(k string) (raw [8]byte, ok bool) {
	if len(k) != 16 {
		return raw, false
	}
	for i := range 8 {
		hi, ok1 := lowerHex(k[2*i])
		lo, ok2 := lowerHex(k[2*i+1])
		if !ok1 || !ok2 {
			return raw, false
		}
		raw[i] = hi<<4 | lo
	}
	return raw, true
}

func lowerHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

var errBadCounts = errors.New("malformed per-source counts")

func decodeBlockCounts(data []byte) (blockCounts, error) {
	if len(data) == 0 || data[0] != countsVersion {
		return blockCounts{}, fmt.Errorf("%w: unknown version", errBadCounts)
	}
	r := bytes.NewReader(data[1:])
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(len(data)) {
		return blockCounts{}, fmt.Errorf("%w: bad length", errBadCounts)
	}
	// Sized for n, bounded by what data can hold (two bytes a key at least).
	size := int(min(n, uint64(len(data)/2)))
	b := blockCounts{counts: make(map[string]uint64, size), last: make(map[string]uint64, size)}
	var hexKey [16]byte
	for range n {
		tag, err := r.ReadByte()
		if err != nil {
			return blockCounts{}, fmt.Errorf("%w: truncated", errBadCounts)
		}
		var key string
		switch tag {
		case 0:
			var raw [8]byte
			if _, err := io.ReadFull(r, raw[:]); err != nil {
				return blockCounts{}, fmt.Errorf("%w: truncated", errBadCounts)
			}
			hex.Encode(hexKey[:], raw[:])
			key = string(hexKey[:])
		case 1:
			l, err := binary.ReadUvarint(r)
			if err != nil || l > uint64(r.Len()) {
				return blockCounts{}, fmt.Errorf("%w: bad key", errBadCounts)
			}
			buf := make([]byte, l)
			if _, err := io.ReadFull(r, buf); err != nil {
				return blockCounts{}, fmt.Errorf("%w: truncated", errBadCounts)
			}
			key = string(buf)
		default:
			return blockCounts{}, fmt.Errorf("%w: bad key tag %d", errBadCounts, tag)
		}
		cnt, err1 := binary.ReadUvarint(r)
		last, err2 := binary.ReadUvarint(r)
		if err1 != nil || err2 != nil {
			return blockCounts{}, fmt.Errorf("%w: truncated", errBadCounts)
		}
		b.counts[key], b.last[key] = cnt, last
	}
	if r.Len() != 0 {
		return blockCounts{}, fmt.Errorf("%w: trailing bytes", errBadCounts)
	}
	return b, nil
}
