package cluster

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortVec checks the radix sort against a comparison sort, for ids
// needing one to four bytes.
func TestSortVec(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var buf vec
	for _, top := range []uint32{1, 200, 1 << 12, 1 << 18, 1 << 31} {
		for _, n := range []int{0, 1, 2, 17, 208, 1000} {
			seen := map[uint32]bool{}
			var v vec
			for len(v) < min(n, int(top)) {
				id := rng.Uint32N(top)
				if !seen[id] {
					seen[id] = true
					v = append(v, entry{id, rng.Float32()})
				}
			}
			want := slices.Clone(v)
			slices.SortFunc(want, func(a, b entry) int { return cmp.Compare(a.id, b.id) })
			buf = sortVec(v, buf)
			if !slices.Equal(v, want) {
				t.Fatalf("ids below %d, %d entries: sorted %v, want %v", top, n, v, want)
			}
		}
	}
}
