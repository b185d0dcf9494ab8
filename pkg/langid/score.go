package langid

import (
	"math"
	"unicode"
)

const (
	counterBits = 13
	counterSize = 1 << counterBits
	counterFull = counterSize / 2
)

// scratch is one Detect call's working memory, pooled per Detector.
type scratch struct {
	scores []float64 // all[:languages]
	// all holds the scores: flush indexes it by a posting's 8-bit language
	// number, which needs no bounds check.
	all    [256]float64
	active []bool // candidate languages of this text
	keys   [counterSize]uint64
	counts [counterSize]int32
	used   []int32
	spans  []span // flush's: the postings of the counted n-grams
	first  uint32 // what flush read ahead, stored so the reads are not dropped
}

// span is a counted n-gram's postings and its count.
type span struct{ lo, hi, count uint32 }

func (d *Detector) getScratch(n int) *scratch {
	sc, _ := d.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{used: make([]int32, 0, counterFull+maxOrderLimit), spans: make([]span, 0, counterFull+maxOrderLimit)}
	}
	sc.scores = sc.all[:n]
	clear(sc.scores)
	sc.active = append(sc.active[:0], make([]bool, n)...)
	return sc
}

// maxOrderLimit bounds params.maxOrder: keys hold at most five 12-bit ids.
const maxOrderLimit = 5

// add counts one n-gram occurrence; a text's repeated n-grams are looked up
// in the index once per step.
func (sc *scratch) add(key uint64) {
	i := (key * 0x9E3779B97F4A7C15) >> (64 - counterBits)
	for {
		switch {
		case sc.counts[i] == 0:
			sc.keys[i], sc.counts[i] = key, 1
			sc.used = append(sc.used, int32(i))
			return
		case sc.keys[i] == key:
			sc.counts[i]++
			return
		}
		i = (i + 1) & (counterSize - 1)
	}
}

// flush adds the counted n-grams' gains to the scores and empties the counter.
// It looks every n-gram up first and adds the gains after: the lookups, most
// of them cache misses in an index larger than the caches, then do not wait
// on one another. The gains are added in the same order either way.
func (sc *scratch) flush(x *index) {
	spans := sc.spans[:0]
	for _, i := range sc.used {
		key := sc.keys[i]
		if s := x.orders[key>>orderShift].find(key); s != nil && s.lo < s.hi {
			spans = append(spans, span{lo: s.lo, hi: s.hi, count: uint32(sc.counts[i])})
		}
		sc.counts[i] = 0
	}
	// The postings of the n-grams found are scattered too: one read of each
	// list's first entry, in a loop without branches on what it reads,
	// brings them in together before the adding loop, whose lists end at
	// unpredictable points, walks them.
	var first uint32
	for _, sp := range spans {
		first |= x.postings[sp.lo]
	}
	sc.first = first
	all := &sc.all
	for _, sp := range spans {
		c := float64(int32(sp.count)) / gainScale
		for _, p := range x.postings[sp.lo:sp.hi] { // unpackPosting, inlined by hand
			all[p&0xFF] += c * float64(int32(p)>>8)
		}
	}
	sc.spans = spans[:0]
	sc.used = sc.used[:0]
}

// top2 returns the indices of the two best scores.
func (sc *scratch) top2() (best, second int) {
	best, second = -1, -1
	for i, s := range sc.scores {
		if !sc.active[i] {
			continue
		}
		switch {
		case best < 0 || s > sc.scores[best]:
			best, second = i, best
		case second < 0 || s > sc.scores[second]:
			second = i
		}
	}
	return best, second
}

// posterior is the softmax of the candidates' log-likelihoods at best.
func (sc *scratch) posterior(best int) float64 {
	sum := 0.0
	for i, s := range sc.scores {
		if sc.active[i] {
			sum += math.Exp(s - sc.scores[best])
		}
	}
	return 1 / sum
}

// score reads text word by word, counting for each letter the n-grams of
// every order that end in it within its word, and stops as soon as one
// language leads by the margin. Words in capitals (datelines, agency tags,
// acronyms, shouted headlines) are names more often than language and are
// left out, unless the text has hardly anything else.
func (d *Detector) score(g *group, text string, sc *scratch) (best, second int) {
	letters, stopped := d.scoreWords(g, text, sc, false)
	if !stopped && letters < d.p.minLetters/4 {
		clear(sc.scores)
		d.scoreWords(g, text, sc, true)
	}
	return sc.top2()
}

// scoreWords adds text's words to the scores and reports the letters scored
// and whether the margin was reached.
func (d *Detector) scoreWords(g *group, text string, sc *scratch, withCaps bool) (letters int, stopped bool) {
	p := d.p
	next := p.minLetters
	start, caps := -1, true
	for i, r := range text {
		if isLetter(r) {
			if start < 0 {
				start, caps = i, true
			}
			caps = caps && isUpper(r)
			continue
		}
		if start < 0 {
			continue
		}
		word := text[start:i]
		start = -1
		if caps && !withCaps && len(word) > 1 {
			continue
		}
		letters += d.addWord(g, word, sc)
		if letters >= next {
			next = letters + p.step
			sc.flush(g.index)
			if best, second := sc.top2(); sc.scores[best]-sc.scores[second] >= p.margin {
				return letters, true
			}
		}
	}
	if start >= 0 && (!caps || withCaps || len(text)-start == 1) {
		letters += d.addWord(g, text[start:], sc)
	}
	sc.flush(g.index)
	return letters, false
}

// addWord counts the n-grams of one word and returns its letter count.
func (d *Detector) addWord(g *group, word string, sc *scratch) int {
	var ids uint64
	run, n := 0, 0
	for _, r := range word {
		r = lower(r)
		n++
		sc.add(unigramKey(r))
		id := g.alpha.id(r)
		if id == 0 {
			run = 0
			continue
		}
		ids = ids<<idBits | id
		run++
		for k := 2; k <= run && k <= d.p.maxOrder; k++ {
			sc.add(gramKey(k, ids))
		}
		if len(sc.used) >= counterFull {
			sc.flush(g.index)
		}
	}
	return n
}

func isUpper(r rune) bool {
	if r < 0x80 {
		return r >= 'A' && r <= 'Z'
	}
	return unicode.IsUpper(r)
}

func isLetter(r rune) bool {
	if r < 0x80 {
		return r|0x20 >= 'a' && r|0x20 <= 'z'
	}
	return unicode.IsLetter(r)
}

func lower(r rune) rune {
	if r < 0x80 {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}
