package langid

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"unicode/utf8"
)

// Keys of the n-gram index: the order in the top bits, then either the
// letter itself (order 1, so ideographs need no alphabet) or the order's
// letters as 12-bit alphabet ids, oldest first.
const (
	idBits     = 12
	maxIDs     = 1<<idBits - 1
	orderShift = 60
	lowRunes   = 0x2000 // runes below this find their id by slice, not map
)

func unigramKey(r rune) uint64 { return 1<<orderShift | uint64(r) }

func gramKey(order int, ids uint64) uint64 {
	return uint64(order)<<orderShift | ids&(1<<(idBits*order)-1)
}

// alphabet numbers the letters that occur in a group's multi-letter n-grams.
type alphabet struct {
	low   []uint16
	high  map[rune]uint16
	runes []rune // id → letter
}

func newAlphabet(letters map[rune]bool) (*alphabet, error) {
	if len(letters) > maxIDs {
		return nil, fmt.Errorf("%w: %d letters exceed the %d-letter alphabet", ErrModel, len(letters), maxIDs)
	}
	a := &alphabet{low: make([]uint16, lowRunes), high: map[rune]uint16{}, runes: []rune{0}}
	for r := range letters {
		a.runes = append(a.runes, r)
	}
	// Sorted so that ids, and so the whole index, are the same on every build.
	slices.Sort(a.runes[1:])
	for id, r := range a.runes[1:] {
		if r < lowRunes {
			a.low[r] = uint16(id + 1)
		} else {
			a.high[r] = uint16(id + 1)
		}
	}
	return a, nil
}

// id returns r's id, 0 for a letter no multi-letter n-gram contains.
func (a *alphabet) id(r rune) uint64 {
	if r < lowRunes {
		return uint64(a.low[r])
	}
	return uint64(a.high[r])
}

// A posting packs a language number (low 8 bits) with its gain in fixed
// point (high 24 bits, 1/gainScale nats): four bytes instead of eight, and
// the rounding error is far below what tells languages apart.
const gainScale = 8192

func packPosting(lang int, gain float64) uint32 {
	return uint32(int32(math.Round(gain*gainScale)))<<8 | uint32(lang)
}

func unpackPosting(p uint32) (lang int, gain float64) {
	return int(p & 0xFF), float64(int32(p)>>8) / gainScale
}

// index is an inverted n-gram index over a group's languages: for each
// n-gram, the languages whose model holds it and the gain in log-probability
// it brings each of them over backing off to the next shorter n-gram. A
// text's score for a language is then a sum over the text's n-grams of these
// gains: one lookup per n-gram serves every language at once. One table per
// order keeps the small, hot unigram and bigram tables in cache.
type index struct {
	orders   []*hashTable // by order
	postings []uint32
}

func (x *index) lookup(key uint64) []uint32 {
	if s := x.orders[key>>orderShift].find(key); s != nil {
		return x.postings[s.lo:s.hi]
	}
	return nil
}

// gains is one language's gains for the n-grams of one order.
type gains struct {
	keys []uint64
	gain []float32
}

// langModel is one language's backed-off log-probabilities while its gains
// are computed.
type langModel struct {
	p     params
	a     *alphabet
	uni   map[rune]float64
	table [maxOrderLimit + 1]*hashTable // n-gram → index into logp
	logp  [maxOrderLimit + 1][]float64
}

// value is the log-probability the language gives the last letter of an
// n-gram: its own if present, else the shorter n-gram's with a penalty,
// down to the floor for a letter the language never saw.
func (m *langModel) value(order int, key uint64) float64 {
	if order == 1 {
		if v, ok := m.uni[m.a.runes[key&maxIDs]]; ok {
			return v
		}
		return m.p.floor
	}
	if s := m.table[order].find(key); s != nil {
		return m.logp[order][s.lo]
	}
	return m.p.backoff + m.value(order-1, gramKey(order-1, key))
}

// buildIndex loads the models of langs (each with its unigram log-probs
// already read) and builds their index.
func buildIndex(p params, langs []*language) (*alphabet, *index, error) {
	letters := map[rune]bool{}
	for _, l := range langs {
		if l.multi {
			for r := range l.uni {
				letters[r] = true
			}
		}
	}
	a, err := newAlphabet(letters)
	if err != nil {
		return nil, nil, err
	}
	if len(langs) > 256 {
		return nil, nil, fmt.Errorf("%w: %d languages in one script", ErrModel, len(langs))
	}
	perLang := make([][]gains, len(langs))
	errs := make([]error, len(langs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, l := range langs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			perLang[i], errs[i] = languageGains(p, a, l)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	return a, mergeGains(p.maxOrder, perLang), nil
}

// languageGains computes one language's gains for every n-gram of its
// models up to p.maxOrder, by order.
func languageGains(p params, a *alphabet, l *language) ([]gains, error) {
	m := &langModel{p: p, a: a, uni: l.uni}
	out := make([]gains, p.maxOrder+1)
	for r, v := range l.uni {
		out[1].keys = append(out[1].keys, unigramKey(r))
		out[1].gain = append(out[1].gain, float32(v-p.floor))
	}
	if !l.multi {
		return out, nil
	}
	for order := 2; order <= p.maxOrder; order++ {
		var keys []uint64
		var logp []float64
		size := func(n int) {
			keys, logp = make([]uint64, 0, n), make([]float64, 0, n)
		}
		err := readModel(l.code, order, modelVisitor{size: size, ngram: func(prob float64, gram []byte) {
			ids, n := uint64(0), 0
			for len(gram) > 0 {
				r, size := utf8.DecodeRune(gram)
				gram = gram[size:]
				id := a.id(r)
				if id == 0 {
					return // a letter outside the alphabet: never matched
				}
				ids = ids<<idBits | id
				n++
			}
			if n == order && prob > 0 {
				keys = append(keys, gramKey(order, ids))
				logp = append(logp, math.Log(prob))
			}
		}})
		if err != nil {
			return nil, err
		}
		g := gains{keys: keys, gain: make([]float32, len(keys))}
		for i, key := range keys {
			g.gain[i] = float32(logp[i] - p.backoff - m.value(order-1, gramKey(order-1, key)))
		}
		out[order] = g
		if order < p.maxOrder {
			t := newHashTable(len(keys))
			for i, key := range keys {
				t.upsert(key).lo = uint32(i)
			}
			m.table[order], m.logp[order] = t, logp
			m.table[order-1], m.logp[order-1] = nil, nil
		}
	}
	return out, nil
}

// mergeGains turns per-language gains into the inverted index: count the
// languages of each n-gram, lay their postings out contiguously, fill them.
func mergeGains(maxOrder int, perLang [][]gains) *index {
	x := &index{orders: make([]*hashTable, maxOrder+1)}
	x.orders[0] = newHashTable(0)
	var pos uint32
	for order := 1; order <= maxOrder; order++ {
		total := 0
		for _, g := range perLang {
			total += len(g[order].keys)
		}
		// About a third of the languages' n-grams are distinct (measured on
		// the Latin-script languages); the table grows if that is short.
		t := newHashTable(total / 3)
		for _, g := range perLang {
			for _, key := range g[order].keys {
				t.upsert(key).hi++
			}
		}
		for i := range t.slots {
			s := &t.slots[i]
			if s.key != 0 {
				s.lo, s.hi, pos = pos, pos, pos+s.hi
			}
		}
		x.postings = slices.Grow(x.postings, int(pos)-len(x.postings))[:pos]
		for li, g := range perLang {
			for i, key := range g[order].keys {
				s := t.find(key)
				x.postings[s.hi] = packPosting(li, float64(g[order].gain[i]))
				s.hi++
			}
			g[order] = gains{} // let the per-language copy go
		}
		x.orders[order] = t
	}
	return x
}
