package cluster

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// refTally is tally as it was, with a branch on the story's first touch
// and no use of the sum left in rank.
func refTally(ps []posting, x float64, rank []slotRank, bits []uint64, out []uint32) []uint32 {
	for _, p := range ps {
		slot := p.slot()
		if b := uint64(1) << (slot % 64); bits[slot/64]&b == 0 {
			bits[slot/64] |= b
			rank[slot].acc = float32(x * p.weight())
			out = append(out, slot)
		} else {
			rank[slot].acc += float32(x * p.weight())
		}
	}
	return out
}

// TestTallyMatchesReference runs lookups of several posting lists, one
// after another over the same rank, through tally and bestRanked and
// through refTally: the same stories touched in the same order, the same
// sums to the bit, the same best, and rank and bits left clear for the
// next lookup.
func TestTallyMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct {
		name         string
		slots, lists int
		listLen      int
		k            int
	}{
		{"one list", 100, 1, 50, 5},
		{"few slots, many repeats", 10, 8, 40, 24},
		{"many slots", 5000, 40, 300, 24},
		{"slots past a word", 130, 5, 200, 3},
		{"empty lists", 64, 3, 0, 24},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := c.slots
			rank, ref := make([]slotRank, n), make([]slotRank, n)
			bits, refBits := make([]uint64, (n+63)/64), make([]uint64, (n+63)/64)
			slots := make([]*storyState, n)
			for i := range slots {
				slots[i] = &storyState{seq: uint64(rng.IntN(n))}
				inv := float32(rng.Float64())
				rank[i].inv, ref[i].inv = inv, inv
			}
			for lookup := range 5 {
				var out, want []uint32
				for range c.lists {
					ps := make([]posting, rng.IntN(c.listLen+1))
					for i := range ps {
						// Weights span the scale, 0 (none) included.
						ps[i] = makePosting(uint32(rng.IntN(n)), float32(rng.ExpFloat64()*0.01))
					}
					x := rng.Float64() * 10
					out = tally(ps, x, rank, bits, slices.Grow(out, len(ps)))
					want = refTally(ps, x, ref, refBits, want)
				}
				if !slices.Equal(out, want) {
					t.Fatalf("lookup %d: touched %v, want %v", lookup, out, want)
				}
				for _, s := range out {
					if rank[s].acc != ref[s].acc {
						t.Fatalf("lookup %d: slot %d sums %v, want %v", lookup, s, rank[s].acc, ref[s].acc)
					}
				}
				// The reference's best, computed without clearing its sums.
				var wantBest []ranked
				for _, s := range want {
					refBits[s/64] = 0
					wantBest = append(wantBest, ranked{ref[s].acc * ref[s].inv, s})
				}
				slices.SortStableFunc(wantBest, func(a, b ranked) int {
					switch {
					case better(slots, a, b):
						return -1
					case better(slots, b, a):
						return 1
					}
					return 0
				})
				wantBest = wantBest[:min(len(wantBest), c.k)]
				best := bestRanked(out, rank, bits, slots, make([]ranked, 0, c.k), c.k)
				if !slices.Equal(best, wantBest) {
					t.Fatalf("lookup %d: best %v, want %v", lookup, best, wantBest)
				}
				for i := range rank {
					if rank[i].acc != 0 {
						t.Fatalf("lookup %d: slot %d keeps sum %v", lookup, i, rank[i].acc)
					}
				}
				for i, b := range bits {
					if b != 0 {
						t.Fatalf("lookup %d: bits word %d left %x", lookup, i, b)
					}
				}
			}
		})
	}
}
