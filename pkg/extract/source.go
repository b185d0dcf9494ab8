package extract

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// layerSource attributes a removal to what was learned about the site.
const layerSource = "source"

// ArticlesKey is the key under which Counts keeps how many articles of a
// source were seen. Block keys are 16 hex digits, so they never clash.
const ArticlesKey = "articles"

// Counts stores, per source, how many articles each block was seen in.
// Implementations must be safe for concurrent use. Counts need not be
// exact: an increment lost or doubled in a race only moves a threshold.
type Counts interface {
	// Get returns the count of key for source; 0 when it was never seen.
	Get(ctx context.Context, source, key string) (uint64, error)
	// Incr adds one to the count of key for source and returns the new count.
	Incr(ctx context.Context, source, key string) (uint64, error)
}

// SourceConfig tunes the per-source layer. The zero value uses the defaults.
type SourceConfig struct {
	// MinArticles is how many articles of a source must have been seen
	// before the layer removes anything (default 8).
	MinArticles int
	// MinShare is the share of the source's articles a block must recur in
	// to be its boilerplate (default 0.2); MinCount the least number of
	// articles in any case (default 5).
	MinShare float64
	MinCount int
	// MaxRunes is the longest block that is counted (default 400): long
	// paragraphs are article text, and counting them would only cost.
	MaxRunes int
	// Parallel bounds the store calls in flight for one article (default 8).
	Parallel int
}

func (c SourceConfig) withDefaults() SourceConfig {
	if c.MinArticles <= 0 {
		c.MinArticles = 8
	}
	if c.MinShare <= 0 {
		c.MinShare = 0.2
	}
	if c.MinCount <= 0 {
		c.MinCount = 5
	}
	if c.MaxRunes <= 0 {
		c.MaxRunes = 400
	}
	if c.Parallel <= 0 {
		c.Parallel = 8
	}
	return c
}

// SourceModel is the third layer: blocks that recur across many articles
// of the same source (a site's signature, its newsletter pitch, its legal
// line) are boilerplate for that source. It learns from every article it
// sees, and its memory is the Counts store, which replicas may share.
type SourceModel struct {
	counts Counts
	cfg    SourceConfig
}

// NewSourceModel returns a model over counts.
func NewSourceModel(counts Counts, cfg SourceConfig) *SourceModel {
	return &SourceModel{counts: counts, cfg: cfg.withDefaults()}
}

// Apply removes from a.Text (already extracted) the blocks that recur
// across a.Source's articles, recording each in a.Removed with layer
// "source", then counts a's blocks for the articles to come. An article
// without a source is returned as it is. On a store error a is returned
// unchanged with the error: the caller may go on without this layer.
//
// When the recurring blocks would make up half the article or more, none
// is removed: that is the same article seen again, not boilerplate.
func (m *SourceModel) Apply(ctx context.Context, a article.Article) (article.Article, error) {
	source := strings.TrimSpace(a.Source)
	if source == "" || a.Text == "" {
		return a, nil
	}
	paras := strings.Split(a.Text, "\n\n")
	keys := make([]string, len(paras))
	var distinct []string
	seen := map[string]bool{}
	for i, p := range paras {
		if k := blockKey(p, m.cfg.MaxRunes); k != "" {
			keys[i] = k
			if !seen[k] {
				seen[k] = true
				distinct = append(distinct, k)
			}
		}
	}
	if len(distinct) == 0 {
		return a, nil
	}

	articles, err := m.counts.Get(ctx, source, ArticlesKey)
	if err != nil {
		return a, fmt.Errorf("source %s: %w", source, err)
	}
	var counts map[string]uint64
	if articles >= uint64(m.cfg.MinArticles) {
		if counts, err = m.getAll(ctx, source, distinct); err != nil {
			return a, fmt.Errorf("source %s: %w", source, err)
		}
	}
	out := m.remove(a, paras, keys, counts, articles)

	// Learn after deciding, from every counted block, removed or not: a
	// block the layer removes must keep its count up as the source grows.
	if _, err := m.counts.Incr(ctx, source, ArticlesKey); err != nil {
		return a, fmt.Errorf("source %s: %w", source, err)
	}
	if err := m.incrAll(ctx, source, distinct); err != nil {
		return a, fmt.Errorf("source %s: %w", source, err)
	}
	return out, nil
}

// remove takes out the paragraphs whose count reaches the threshold.
func (m *SourceModel) remove(a article.Article, paras, keys []string, counts map[string]uint64, articles uint64) article.Article {
	need := max(uint64(m.cfg.MinCount), uint64(m.cfg.MinShare*float64(articles)+0.999))
	var kept []string
	var removed []article.Removal
	keptRunes, removedRunes := 0, 0
	for i, p := range paras {
		n := utf8.RuneCountInString(p)
		if c := counts[keys[i]]; keys[i] != "" && c >= need {
			removed = append(removed, article.Removal{
				Text:   p,
				Reason: "recurs in " + strconv.FormatUint(c, 10) + " of " + strconv.FormatUint(articles, 10) + " articles from " + a.Source,
				Layer:  layerSource,
			})
			removedRunes += n
			continue
		}
		kept = append(kept, p)
		keptRunes += n
	}
	if len(removed) == 0 || removedRunes >= keptRunes {
		return a // nothing recurs, or too much does: when in doubt, keep
	}
	a.Text = strings.Join(kept, "\n\n")
	a.Removed = append(append([]article.Removal(nil), a.Removed...), removed...)
	a.Empty = a.Text == ""
	return a
}

// getAll reads the counts of keys, a few at a time.
func (m *SourceModel) getAll(ctx context.Context, source string, keys []string) (map[string]uint64, error) {
	out := make(map[string]uint64, len(keys))
	var mu sync.Mutex
	err := m.each(ctx, keys, func(ctx context.Context, k string) error {
		n, err := m.counts.Get(ctx, source, k)
		if err != nil {
			return err
		}
		mu.Lock()
		out[k] = n
		mu.Unlock()
		return nil
	})
	return out, err
}

func (m *SourceModel) incrAll(ctx context.Context, source string, keys []string) error {
	return m.each(ctx, keys, func(ctx context.Context, k string) error {
		_, err := m.counts.Incr(ctx, source, k)
		return err
	})
}

// each runs fn on every key with at most cfg.Parallel calls in flight, and
// returns the first error.
func (m *SourceModel) each(ctx context.Context, keys []string, fn func(context.Context, string) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, m.cfg.Parallel)
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for _, k := range keys {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := fn(ctx, k); err != nil {
				once.Do(func() { firstErr = err; cancel() })
			}
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// blockKey is the key a paragraph is counted under: a hash of its folded
// text with digits made alike, so "© 2024" and "© 2025", or "3 comments"
// and "12 comments", count as one. Paragraphs longer than maxRunes, or
// without a word, get no key.
func blockKey(p string, maxRunes int) string {
	if utf8.RuneCountInString(p) > maxRunes || strings.IndexFunc(p, isWordRune) < 0 {
		return ""
	}
	// FNV-1a of the folded text with every digit written '0' (and, as
	// strings.Map wrote it, an invalid byte as U+FFFD), hashed as it is
	// read rather than through a mapped copy, a hash object and Sprintf.
	const offset64, prime64 = 14695981039346656037, 1099511628211
	f := fold(p)
	h := uint64(offset64)
	for i := 0; i < len(f); {
		r, n := utf8.DecodeRuneInString(f[i:])
		var b string
		switch {
		case r < utf8.RuneSelf && (r < '0' || r > '9'):
			h = (h ^ uint64(r)) * prime64
			i += n
			continue
		case unicode.IsDigit(r):
			b = "0"
		case r == utf8.RuneError:
			b = "\uFFFD"
		default:
			b = f[i : i+n]
		}
		for k := 0; k < len(b); k++ {
			h = (h ^ uint64(b[k])) * prime64
		}
		i += n
	}
	var hex [16]byte
	for k := len(hex) - 1; k >= 0; k-- {
		hex[k] = "0123456789abcdef"[h&0xF]
		h >>= 4
	}
	return string(hex[:])
}

// MemoryCounts is a Counts kept in memory, for one process: tests and
// offline runs over many files of the same sites.
type MemoryCounts struct {
	mu sync.Mutex
	m  map[string]uint64
}

// NewMemoryCounts returns an empty store.
func NewMemoryCounts() *MemoryCounts { return &MemoryCounts{m: map[string]uint64{}} }

// Get implements Counts.
func (c *MemoryCounts) Get(_ context.Context, source, key string) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[source+"\x00"+key], nil
}

// Incr implements Counts.
func (c *MemoryCounts) Incr(_ context.Context, source, key string) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := source + "\x00" + key
	c.m[k]++
	return c.m[k], nil
}
