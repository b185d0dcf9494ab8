package cluster

// query is the article being assigned, spread over dense arrays indexed by
// feature id: scoring it against a candidate then walks the candidate's
// vector alone, one array read per entry, instead of merging two sorted
// vectors with a hard-to-predict branch per step. The arrays grow with the
// dictionary and are cleared entry by entry after each article.
type query struct {
	x    []float64 // the article's weight times idf², 0 where absent
	bits []uint8   // bitIndep, bitCross of the feature
	// has marks the article's features, a bit per feature id: a candidate's
	// walk tests it (a few kilobytes, in the L1 cache) and reads x only for
	// the few features it shares with the article, where reading x for
	// every entry missed the cache once per entry.
	has []uint64
}

const (
	bitIndep uint8 = 1 << iota // a language-independent kind
	bitCross                   // seen in two languages or more
	bitPin                     // a rare number or date (pin.go)
	bitWord                    // a rare content word (pin.go)
	bitLoc                     // a place mark (pin.go)
	bitEnt                     // a name (Engine.similarity)
)

// spread loads av (idf-weighted at today's document frequencies) into q.
func (q *query) spread(d *dictionary, av vec) {
	if n := len(d.keys); len(q.x) < n {
		q.x = append(q.x, make([]float64, n-len(q.x))...)
		q.bits = append(q.bits, make([]uint8, n-len(q.bits))...)
	}
	if n := (len(q.x) + 63) / 64; len(q.has) < n {
		q.has = append(q.has, make([]uint64, n-len(q.has))...)
	}
	for _, a := range av {
		m := d.meta[a.id]
		n := d.logN(m)
		f := n - d.logDfOf(a.id, m) + 1 // d.idf(a.id)
		q.x[a.id] = float64(a.w) * f * f
		k := m.kind()
		b := marks(k, f, n)
		if !langBound(k) {
			b |= bitIndep
		}
		if d.crossLingual(a.id) {
			b |= bitCross
		}
		q.bits[a.id] = b
		q.has[a.id/64] |= 1 << (a.id % 64)
	}
}

// clear empties q of av.
func (q *query) clear(av vec) {
	for _, a := range av {
		q.x[a.id], q.bits[a.id] = 0, 0
		q.has[a.id/64] = 0
	}
}

// dots returns the idf-weighted dot products of the spread article and v,
// as dictionary.dots would.
func (q *query) dots(v vec) sums {
	// Plain locals, not the struct's fields: the compiler keeps them in
	// registers, and a six-field struct in memory (sums) slowed this loop,
	// the hottest of assignment.
	var full, kinds, cross, pin, word, loc, ent, crossSq float64
	x, bits, has := q.x, q.bits, q.has
	for _, c := range v {
		if int(c.id/64) >= len(has) {
			break // ids above the article's are not in it
		}
		if has[c.id/64]&(1<<(c.id%64)) == 0 {
			continue
		}
		a := x[c.id]
		if a == 0 {
			continue
		}
		p := a * float64(c.w)
		full += p
		if b := bits[c.id]; b != 0 {
			if b&bitIndep != 0 {
				kinds += p
			}
			if b&bitCross != 0 {
				cross += p
				crossSq += p * p
			}
			switch {
			case b&bitPin != 0:
				pin += p
			case b&bitWord != 0:
				word += p
			case b&bitLoc != 0:
				loc += p
			case b&bitEnt != 0:
				ent += p
			}
		}
	}
	return sums{full, kinds, cross, pin, word, loc, ent, crossSq}
}

// dotsNorms returns dots(v) and d.norms(v), summed in the same order, in
// one walk over v.
func (q *query) dotsNorms(d *dictionary, v vec) (dot, n sums) {
	var full, kinds, cross, pin, word, loc, ent, crossSq float64
	var nFull, nKinds, nCross float64
	var marked [numSlots]float64
	x, bits, has := q.x, q.bits, q.has
	meta := d.meta
	for _, c := range v {
		m := meta[c.id]
		ln := d.logN(m)
		f := ln - d.logDfOf(c.id, m) + 1 // d.idf(c.id)
		y := float64(c.w) * f
		y *= y
		nFull += y
		if m.cross() {
			nCross += y
		}
		k := m.kind()
		if !langBound(k) {
			nKinds += y
		}
		marked[markSlot(k, f, rareBar(ln))] += y

		if int(c.id/64) >= len(has) || has[c.id/64]&(1<<(c.id%64)) == 0 {
			continue
		}
		a := x[c.id]
		if a == 0 {
			continue
		}
		p := a * float64(c.w)
		full += p
		if b := bits[c.id]; b != 0 {
			if b&bitIndep != 0 {
				kinds += p
			}
			if b&bitCross != 0 {
				cross += p
				crossSq += p * p
			}
			switch {
			case b&bitPin != 0:
				pin += p
			case b&bitWord != 0:
				word += p
			case b&bitLoc != 0:
				loc += p
			case b&bitEnt != 0:
				ent += p
			}
		}
	}
	dot = sums{full, kinds, cross, pin, word, loc, ent, crossSq}
	n = sums{nFull, nKinds, nCross, marked[slotPin], marked[slotWord], marked[slotLoc], marked[slotEnt], 0}.sqrt()
	return dot, n
}
