package features

import (
	"sync"
	"sync/atomic"
)

// Repeats learns, from the stream of articles it is shown, which runs of
// words end many articles: a channel's footer ("GUARDA E CONDIVIDI.
// Pierre Cantagallo - Video"), a party's "Segui le attività del M5S in
// Parlamento: …", a blog's "Liberi di svelarvi il mondo". Such a footer
// ties unrelated posts of one source; its words then count little in the
// article's features (Extractor.OfRepeats). Nothing is listed in advance:
// a run is a footer once it ended MinArticles articles (the runs before a
// footer's last from the second article on: Learn), learned as document
// frequency is.
//
// Only runs that reach the end of the text count: a run that recurs in the
// middle of articles is most often the event itself ("at the Waitrose
// supermarket in Wellington", "lindsay lohan checks into rehab"), told by
// several reports of it, or a common phrase ("le président de la
// République"); masking those cost rpm2's topic B-cubed 4 points
// (docs/quality.md, "Stop 16").
//
// Memory is bounded: runs are keyed by a 64-bit hash in a fixed table of
// four-way buckets, where a new run takes the place of the least counted
// one of its bucket, and only the last TailRuns runs of a text are counted.
// Safe for concurrent use; counting is serialised.
type Repeats struct {
	mu      sync.Mutex
	slots   []atomic.Uint64
	buckets uint64 // len(slots)/repeatWays, a power of two
}

const (
	// RunWords is the length of a run in words; the text's end counts as
	// a word, so a footer of four words is a run of its own. Runs of 4
	// and 6 measured the same as 5 (docs/quality.md).
	RunWords = 5
	// MinArticles is the number of articles a run must have ended to be
	// a footer: a pair of reports of one story ending alike is not (3
	// measured the same on the Italian pairs, 4 kept SemEval's Pearson).
	MinArticles = 4
	// TailRuns bounds the runs counted per article, and so the footer's
	// length (TailRuns+RunWords-2 words).
	TailRuns = 64
	// footerWeight scales the weight of a word inside a footer: the
	// words still count, a little, for a text that is nothing else.
	footerWeight = 0.1
	repeatWays   = 4
)

// An entry packs the run's check (the hash's top 24 bits), the contexts of
// the two articles it was last counted for (12 bits each, never 0) and its
// count (16 bits). The contexts keep an article shown twice (a redelivery,
// Observe then Add) from counting twice.
const (
	countBits = 16
	ctxBits   = 12
	ctxMask   = 1<<ctxBits - 1
	countMask = 1<<countBits - 1
	checkAt   = countBits + 2*ctxBits
)

// NewRepeats returns an empty table of 2^bits buckets of four runs
// (2^bits × 32 bytes).
func NewRepeats(bits int) *Repeats {
	r := &Repeats{buckets: 1 << bits}
	r.slots = make([]atomic.Uint64, r.buckets*repeatWays)
	return r
}

// count is how many articles the run of hash h ended (a lower bound once
// it was evicted).
func (r *Repeats) count(h uint64) uint64 {
	b := (h & (r.buckets - 1)) * repeatWays
	c := h >> checkAt
	for i := uint64(0); i < repeatWays; i++ {
		v := r.slots[b+i].Load()
		if v>>checkAt == c && v&countMask > 0 {
			return v & countMask
		}
	}
	return 0
}

// Learn counts the runs of one article, the hashes OfRepeats returned;
// ctx identifies the article (a hash of its id). Most articles end in
// words no other did: then only their last run is counted, and the runs
// before it once another article ends alike (a footer is learned from its
// second article on), so that an article costs one update of the table
// and the table holds about one run per article.
func (r *Repeats) Learn(runs []uint64, ctx uint64) {
	if r == nil || len(runs) == 0 {
		return
	}
	cx := (ctx*0x9e3779b97f4a7c15)>>(64-ctxBits) | 1
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.learn(runs[0], cx) {
		return
	}
	for _, h := range runs[1:] {
		r.learn(h, cx)
	}
}

// learn counts the run of hash h for context cx, and tells whether another
// context had counted it before.
func (r *Repeats) learn(h, cx uint64) bool {
	b := (h & (r.buckets - 1)) * repeatWays
	c := h >> checkAt
	victim, least := b, uint64(countMask+1)
	for i := uint64(0); i < repeatWays; i++ {
		v := r.slots[b+i].Load()
		n := v & countMask
		if v>>checkAt == c && n > 0 {
			a, bb := v>>(countBits+ctxBits)&ctxMask, v>>countBits&ctxMask
			switch {
			case a == cx:
				return n > 1
			case bb == cx:
				return true
			}
			r.slots[b+i].Store(c<<checkAt | cx<<(countBits+ctxBits) | a<<countBits | min(n+1, countMask))
			return true
		}
		if n < least {
			victim, least = b+i, n
		}
	}
	r.slots[victim].Store(c<<checkAt | cx<<(countBits+ctxBits) | 1)
	return false
}

// appendRuns appends to dst the hashes of the last TailRuns runs of
// RunWords words of toks, the last one first; the text's end counts as a
// word.
func appendRuns(dst []uint64, toks []token) []uint64 {
	n := len(toks) + 1 // the end mark
	if n < RunWords {
		return dst
	}
	// Word hashes of the tail, the end mark last.
	from := max(n-TailRuns-RunWords+1, 0)
	var wb [TailRuns + RunWords - 1]uint64
	wh := wb[:n-from]
	for j := from; j < len(toks); j++ {
		wh[j-from] = strHash(toks[j].fold)
	}
	wh[len(wh)-1] = 0xc2b2ae3d27d4eb4f
	for i := len(wh) - 1; i >= RunWords-1 && len(wh)-1-i < TailRuns; i-- {
		h := uint64(0xcbf29ce484222325)
		for _, x := range wh[i-RunWords+1 : i+1] {
			h = (h ^ x) * 0x100000001b3
			h ^= h >> 29
		}
		dst = append(dst, h)
	}
	return dst
}

// strHash is 64-bit FNV-1a.
func strHash(s string) uint64 {
	h := uint64(0xcbf29ce484222325)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 0x100000001b3
	}
	return h
}

// footer returns where the text's learned footer starts: the first token
// of the unbroken chain of footer runs that ends the text (hashes from
// appendRuns), or len(toks) when there is none.
func (r *Repeats) footer(toks []token, hs []uint64) int {
	from := len(toks)
	for i, h := range hs {
		if r.count(h) < MinArticles {
			break
		}
		// hs[i] ends at token len(toks)-i (the end mark for i = 0).
		from = max(len(toks)-i-RunWords+1, 0)
	}
	return from
}

// weigh returns w with the tokens of the text's footer scaled down; w
// itself when it has none (or r is nil).
func (r *Repeats) weigh(toks []token, hs []uint64, w func(int) float64) func(int) float64 {
	if r == nil {
		return w
	}
	from := r.footer(toks, hs)
	if from >= len(toks) {
		return w
	}
	return func(p int) float64 {
		if p >= from {
			return w(p) * footerWeight
		}
		return w(p)
	}
}
