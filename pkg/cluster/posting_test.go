package cluster

import (
	"math"
	"testing"
)

// TestPostingRoundTrip checks that a posting keeps its slot exactly and its
// weight within the log scale's half step.
func TestPostingRoundTrip(t *testing.T) {
	tests := []struct {
		slot uint32
		w    float32
	}{
		{0, 1},
		{1, 0.001},
		{maxSlots - 1, 37.5},
		{123456, 0.31},
		{7, 1e-6},  // the scale's floor
		{7, 4000},  // its ceiling
		{9, 0},     // none
		{9, 1e-30}, // below the floor: the floor
		{9, 1e+30}, // above the ceiling: the ceiling
	}
	halfStep := math.Exp2(0.5/weightSteps) - 1
	for _, tc := range tests {
		p := makePosting(tc.slot, tc.w)
		if p.slot() != tc.slot {
			t.Errorf("slot %d came back as %d", tc.slot, p.slot())
		}
		got, want := p.weight(), float64(tc.w)
		lo, hi := math.Exp2(weightMinLog), math.Exp2(weightMinLog+254.0/weightSteps)
		switch {
		case want == 0:
			if got != 0 {
				t.Errorf("weight 0 came back as %g", got)
			}
		case want < lo || want > hi:
			if c := min(max(want, lo), hi); math.Abs(got-c)/c > 1e-6 {
				t.Errorf("weight %g came back as %g, want the bound %g", want, got, c)
			}
		case math.Abs(got-want)/want > halfStep+1e-9:
			t.Errorf("weight %g came back as %g: off by more than half a step", want, got)
		}
		if q := p.withWeight(2 * tc.w); q.slot() != tc.slot {
			t.Errorf("withWeight changed the slot %d to %d", tc.slot, q.slot())
		}
	}
}

// TestQuantizeTable checks that the table-driven quantize gives what the
// logarithm gives, around every step's bound and over a spread of weights.
// (Checked over every positive float32 once, when the table was made.)
func TestQuantizeTable(t *testing.T) {
	check := func(b uint32) {
		w := math.Float32frombits(b)
		if got, want := quantize(w), quantizeLog(w); got != want {
			t.Fatalf("quantize(%g) = %d, the logarithm gives %d", w, got, want)
		}
	}
	for _, b := range stepBounds {
		for d := uint32(0); d < 8; d++ {
			check(b + d)
			check(b - d)
		}
	}
	for x := uint32(0); x < 256; x++ {
		check(x<<23 | 1)
		check(x<<23 | 0x7fffff)
	}
	for b := uint32(1); b < 0x7f800000; b += 9973 {
		check(b)
	}
	for _, w := range []float32{0, -1, float32(math.Inf(1)), float32(math.NaN()), math.SmallestNonzeroFloat32, math.MaxFloat32} {
		if got, want := quantize(w), quantizeLog(w); got != want {
			t.Errorf("quantize(%g) = %d, the logarithm gives %d", w, got, want)
		}
	}
}
