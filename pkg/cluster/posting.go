package cluster

import "math"

// posting is a story holding a feature, in four bytes: the story's slot
// (index in Engine.slots) in the low 24 bits and the feature's weight in
// the story's centroid, on a log scale, in the high 8. The index is the
// engine's largest structure, and candidate ranking, the weight's only
// reader, needs no more than the scale's precision (steps of 2^(1/8), so
// within ±4.5 % of the weight).
type posting uint32

const (
	slotBits = 24
	// maxSlots bounds the active stories of one engine: 16.7 million,
	// far beyond what one engine's memory holds.
	maxSlots = 1 << slotBits
	// Weights from 2^-20 to 2^12 (a centroid sums unit vectors, so a
	// weight grows with the story) in 255 steps; 0 is for none.
	weightMinLog = -20
	weightSteps  = 8 // per octave
)

// postingWeights decodes the weight byte: an immutable table built once.
var postingWeights = func() (t [256]float32) {
	for q := 1; q < 256; q++ {
		t[q] = float32(math.Exp2(float64(q-1)/weightSteps + weightMinLog))
	}
	return t
}()

func makePosting(slot uint32, w float32) posting {
	return posting(slot) | posting(quantize(w))<<slotBits
}

func (p posting) slot() uint32 { return uint32(p) & (maxSlots - 1) }

func (p posting) weight() float64 { return float64(postingWeights[p>>slotBits]) }

// withWeight is p with another weight.
func (p posting) withWeight(w float32) posting { return makePosting(p.slot(), w) }

// quantize rounds a weight to the nearest step of the log scale, as
// quantizeLog does, without a logarithm: a posting's weight is quantized
// whenever a story gains or updates a feature. quantizeLog grows with w,
// so a weight's step is the number of steps' lower bounds, as float32
// bits, that its bits reach; the search starts at the first bound of its
// octave, within a few of the answer.
func quantize(w float32) uint8 {
	if !(w > 0) {
		return 0
	}
	b := math.Float32bits(w)
	i := int(stepOfExp[b>>23])
	for i < len(stepBounds) && stepBounds[i] <= b {
		i++
	}
	return uint8(i + 1)
}

// quantizeLog is quantize by its definition.
func quantizeLog(w float32) uint8 {
	if !(w > 0) {
		return 0
	}
	q := math.Round((math.Log2(float64(w))-weightMinLog)*weightSteps) + 1
	return uint8(min(max(q, 1), 255))
}

// stepBounds[i] holds the bits of the least positive float32 that
// quantizeLog puts at step i+2 or above; stepOfExp[x] is how many of them
// the least float32 of exponent bits x reaches. Immutable tables built
// once.
var stepBounds, stepOfExp = func() (bounds [254]uint32, ofExp [256]uint8) {
	const inf = 0x7f800000
	for q := range bounds {
		lo, hi := uint32(1), uint32(inf) // quantizeLog(hi) is 255
		for lo < hi {
			m := lo + (hi-lo)/2
			if int(quantizeLog(math.Float32frombits(m))) >= q+2 {
				hi = m
			} else {
				lo = m + 1
			}
		}
		bounds[q] = lo
	}
	for x := range ofExp {
		n := 0
		for n < len(bounds) && bounds[n] <= uint32(x)<<23 {
			n++
		}
		ofExp[x] = uint8(n)
	}
	return bounds, ofExp
}()
