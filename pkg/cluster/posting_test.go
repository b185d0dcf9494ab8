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
