package cluster

import (
	"cmp"
	"slices"
)

// entry is one feature weight. Vectors hold tf weights scaled by kind but
// not by idf: idf keeps changing as documents arrive, so it is applied when
// comparing.
type entry struct {
	id uint32
	w  float32 // float32: vectors are most of the engine's memory
}

// weighted is a feature with a computed weight, in float64.
type weighted struct {
	id uint32
	w  float64
}

// vec is a sparse vector sorted by feature id, so that two vectors compare
// by a linear merge.
type vec []entry

// sortVec sorts v, whose ids are distinct, by id: a radix sort, a byte of
// the id a pass and only as many passes as the largest id needs (three,
// for a dictionary of a few hundred thousand features). The sort is a
// measurable share of adding an article, and a comparison sort of its two
// hundred features mispredicted a branch about every other comparison.
// buf, grown as needed and returned for reuse, holds every other pass.
func sortVec(v vec, buf vec) vec {
	tmp := slices.Grow(buf[:0], len(v))[:len(v)]
	var bits uint32 // the ids' bits together: their highest is the largest id's
	for _, x := range v {
		bits |= x.id
	}
	src, dst := v, tmp
	for shift := 0; shift < 32 && bits>>shift != 0; shift += 8 {
		var next [256]int // where the next entry of each byte value goes
		for _, x := range src {
			next[x.id>>shift&0xff]++
		}
		at := 0
		for b, n := range next {
			next[b], at = at, at+n
		}
		for _, x := range src {
			b := x.id >> shift & 0xff
			dst[next[b]] = x
			next[b]++
		}
		src, dst = dst, src
	}
	if len(v) > 0 && &src[0] != &v[0] {
		copy(v, src)
	}
	return tmp
}

// sums holds a quantity over four feature sets: all features; the
// language-independent kinds (all but terms); the cross-lingual features
// (seen in two languages or more); the numbers and dates (pins); and the
// rare content words, the place marks (pin.go); and the names (entities),
// which count less within one language (Engine.similarity).
type sums struct {
	full, kinds, cross, pin, word, loc, ent float64
	// crossSq, in dot products only, sums the squares of the cross-lingual
	// features' products: with cross it tells how many features a
	// cross-lingual match rests on (Engine.crossSupport).
	crossSq float64
}

// norms returns the idf-weighted lengths of v.
func (d *dictionary) norms(v vec) sums {
	// Plain locals, kept in registers, and the pin sums in a small array
	// indexed by markSlot: a branch per sum on the feature's kind and
	// rarity mispredicts on centroids of mixed kinds and made this loop
	// half again as slow.
	var full, kinds, cross float64
	var marked [numSlots]float64
	meta := d.meta
	for _, e := range v {
		m := meta[e.id]
		n := d.logN(m)
		f := n - d.logDfOf(e.id, m) + 1 // d.idf(e.id)
		x := float64(e.w) * f
		x *= x
		full += x
		if m.cross() {
			cross += x
		}
		k := m.kind()
		if !langBound(k) {
			kinds += x
		}
		marked[markSlot(k, f, rareBar(n))] += x
	}
	return sums{full, kinds, cross, marked[slotPin], marked[slotWord], marked[slotLoc], marked[slotEnt], 0}.sqrt()
}

// dots returns the idf-weighted dot products of a and b.
func (d *dictionary) dots(a, b vec) sums {
	var s sums
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].id < b[j].id:
			i++
		case a[i].id > b[j].id:
			j++
		default:
			id := a[i].id
			m := d.meta[id]
			n := d.logN(m)
			f := n - d.logDfOf(id, m) + 1 // d.idf(id)
			x := float64(a[i].w) * float64(b[j].w) * f * f
			s.full += x
			if m.cross() {
				s.cross += x
				s.crossSq += x * x
			}
			k := m.kind()
			if !langBound(k) {
				s.kinds += x
			}
			switch markSlot(k, f, rareBar(n)) {
			case slotPin:
				s.pin += x
			case slotWord:
				s.word += x
			case slotLoc:
				s.loc += x
			case slotEnt:
				s.ent += x
			}
			i++
			j++
		}
	}
	return s
}

// dotFull is dots(a, b).full, summed in the same order, without the
// other sums: refresh measures each member against the centroid by it alone,
// and the kinds, marks and rarity bar of every shared feature cost as much
// as the sum itself.
func (d *dictionary) dotFull(a, b vec) float64 {
	var full float64
	meta := d.meta
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].id < b[j].id:
			i++
		case a[i].id > b[j].id:
			j++
		default:
			id := a[i].id
			f := d.logN(meta[id]) - d.logDfOf(id, meta[id]) + 1 // d.idf(id)
			full += float64(a[i].w) * float64(b[j].w) * f * f
			i++
			j++
		}
	}
	return full
}

// shared lists the features a and b have in common with their share of the
// cosine, strongest first, at most n.
func (d *dictionary) shared(a, b vec, normA, normB float64, n int) []weighted {
	if normA == 0 || normB == 0 {
		return nil
	}
	out := make([]weighted, 0, n+1) // keepBest's room: one allocation, not five
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].id < b[j].id:
			i++
		case a[i].id > b[j].id:
			j++
		default:
			f := d.idf(a[i].id)
			out = keepBest(out, weighted{a[i].id, float64(a[i].w) * float64(b[j].w) * f * f / (normA * normB)}, n)
			i++
			j++
		}
	}
	return out
}

// keepBest inserts x into best, sorted by byWeight, keeping at most n: the
// few strongest of a long list without sorting it.
func keepBest(best []weighted, x weighted, n int) []weighted {
	if len(best) == n && byWeight(x, best[n-1]) >= 0 {
		return best
	}
	i, _ := slices.BinarySearchFunc(best, x, byWeight)
	best = slices.Insert(best, i, x)
	if len(best) > n {
		best = best[:n]
	}
	return best
}

// byWeight orders weighted features heaviest first, then by id.
func byWeight(a, b weighted) int {
	switch {
	case a.w > b.w:
		return -1
	case a.w < b.w:
		return 1
	}
	return cmp.Compare(a.id, b.id)
}

func cosine(dot, na, nb float64) float64 {
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / (na * nb)
}
