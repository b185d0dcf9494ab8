package cluster

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSortKeyedMatchesCompare checks sortKeyed against a sort by
// strings.Compare on keys that share their first 8 or 16 bytes, end
// inside them or just past them, hold zero and high bytes, or are empty,
// and on the features of made-up articles.
func TestSortKeyedMatchesCompare(t *testing.T) {
	keys := []string{
		"", "\x00", "\x00\x00", "a", "a\x00", "a\x00b", "ab", "term:en:", "term:en:\x00", "term:en:a",
		"term:en:abcdefgh", "term:en:abcdefg", "term:en:abcdefgh\x00", "term:en:abcdefghi", "term:en:abcdefgi",
		"term:en:abcdefgh" + "zz", "ent:müller", "ent:muller", "ent:mü", "\xff", "\xff\xff\xff\xff\xff\xff\xff\xff\xff",
		"cog:minist", "num:1500", "date:2025-12-01", "place:FR", "gl:ministri",
	}
	rng := rand.New(rand.NewPCG(7, 8))
	alphabet := []string{"a", "b", "\x00", "\xff", "é", ":", "term:en:", "z"}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		keys = append(keys, b.String())
	}
	e := New(DefaultConfig(), newExtractor(t))
	s := newSynth(20)
	for i := range 20 {
		fs, _ := e.fx.OfRepeats(s.article(fmt.Sprint(i), i, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)), nil)
		for k := range fs.Terms {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys) // weigh's keys are a map's: distinct
	for _, n := range []int{0, 1, 2, 17, len(keys)} {
		ks := make([]keyed, 0, n)
		for _, i := range rng.Perm(len(keys))[:n] {
			ks = append(ks, keyed{key: keys[i], w: float64(i)})
		}
		want := slices.Clone(ks)
		slices.SortFunc(want, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
		if got := sortKeyed(ks); !slices.Equal(got, want) {
			t.Fatalf("%d keys: sortKeyed gave another order", n)
		}
	}
}
