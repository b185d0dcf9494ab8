package cluster

import (
	"math/rand/v2"
	"testing"
)

// TestHeadTableMatchesMap runs random sets, removals and lookups on a
// headTable and on the Go map it replaces: keys drawn from small ranges
// collide in their home slots and wrap around the table's end, and the
// table grows and empties several times.
func TestHeadTableMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, keys := range []uint32{16, 900, 5000, 1 << 31} {
		tb, ref := newHeadTable(), map[uint32]uint32{}
		for op := range 200000 {
			k := rng.Uint32N(keys)
			if keys == 1<<31 {
				k = rng.Uint32() // the whole range, 0 and the top bit included
			}
			switch r := rng.IntN(10); {
			case r < 5:
				head := 1 + rng.Uint32N(1<<31)
				if got, want := tb.set(k, head), ref[k]; got != want {
					t.Fatalf("keys %d, op %d: set(%d) replaced %d, want %d", keys, op, k, got, want)
				}
				ref[k] = head
			case r < 8:
				tb.remove(k)
				delete(ref, k)
			default:
				if got, want := tb.get(k), ref[k]; got != want {
					t.Fatalf("keys %d, op %d: get(%d) = %d, want %d", keys, op, k, got, want)
				}
			}
			if tb.n != len(ref) {
				t.Fatalf("keys %d, op %d: %d keys, want %d", keys, op, tb.n, len(ref))
			}
		}
		for k, want := range ref {
			if got := tb.get(k); got != want {
				t.Fatalf("keys %d: get(%d) = %d, want %d", keys, k, got, want)
			}
		}
		for k := range ref {
			tb.remove(k)
		}
		for i, s := range tb.slots {
			if s != 0 {
				t.Fatalf("keys %d: slot %d holds %x after every key was removed", keys, i, s)
			}
		}
	}
}
