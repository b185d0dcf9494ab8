package extractor

import (
	"context"
	"testing"
	"time"
)

// TestCachedCountsShare: two replicas count locally, flush to one bucket,
// and each sees the sum once its cached read has expired.
func TestCachedCountsShare(t *testing.T) {
	_, js := startBus(t, t.TempDir())
	ctx := context.Background()
	kv, err := SourcesBucket(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	const ttl = 200 * time.Millisecond
	a := NewCachedCounts(NewKVCounts(kv), ttl)
	b := NewCachedCounts(NewKVCounts(kv), ttl)
	for i := 0; i < 3; i++ {
		if _, err := a.Incr(ctx, "site.example", "k"); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := b.Incr(ctx, "site.example", "k"); n != 1 {
		t.Errorf("b before any flush sees %d, want its own 1", n)
	}
	if n, _ := a.Get(ctx, "site.example", "k"); n != 3 {
		t.Errorf("a sees %d, want its own 3", n)
	}
	for _, c := range []*CachedCounts{a, b} {
		if err := c.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(ttl + 50*time.Millisecond)
	for name, c := range map[string]*CachedCounts{"a": a, "b": b} {
		if n, err := c.Get(ctx, "site.example", "k"); err != nil || n != 4 {
			t.Errorf("%s after flush sees %d (%v), want 4", name, n, err)
		}
	}
	if n, err := NewKVCounts(kv).Get(ctx, "site.example", "k"); err != nil || n != 4 {
		t.Errorf("bucket holds %d (%v), want 4", n, err)
	}
	// A second flush with nothing pending writes nothing.
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := NewKVCounts(kv).Get(ctx, "site.example", "k"); n != 4 {
		t.Errorf("bucket holds %d after an empty flush, want 4", n)
	}
}
