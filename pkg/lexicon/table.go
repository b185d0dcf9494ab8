package lexicon

import (
	"cmp"
	"slices"
)

// Table maps the keys of one language to their English glosses. It holds
// no pointer per entry (keys are kept as 64-bit hashes, glosses as indexes
// into one list of distinct words), so the garbage collector has little to
// scan: German's 225,000 words take about 9 MB.
type Table struct {
	spans map[uint64]uint32 // hash of a key → offset<<4 | count in ids
	ids   []uint32          // gloss indexes into words, entry after entry
	words []string          // distinct glosses
}

// maxCount is how many glosses a span can hold.
const maxCount = 15

// Glosses appends the glosses of key to buf and returns it; none when the
// key is unknown. Two keys may share a hash only with a chance of about
// one in 10¹³ per lookup for this size of table.
func (t *Table) Glosses(key string, buf []string) []string {
	if t == nil {
		return buf
	}
	sp, ok := t.spans[hash(key)]
	if !ok {
		return buf
	}
	off, n := sp>>4, sp&maxCount
	for _, id := range t.ids[off : off+n] {
		buf = append(buf, t.words[id])
	}
	return buf
}

// Len is the number of keys.
func (t *Table) Len() int {
	if t == nil {
		return 0
	}
	return len(t.spans)
}

// Words is the number of distinct glosses.
func (t *Table) Words() int {
	if t == nil {
		return 0
	}
	return len(t.words)
}

// hash is 64-bit FNV-1a.
func hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// builder gathers a table's entries in the order they are read.
type builder struct {
	max     int
	entries map[uint64][]cand
	order   []uint64
	wordID  map[string]uint32
	words   []string
}

// cand is a candidate gloss of a key and the weighted votes of the articles
// that gave it.
type cand struct {
	id  uint32
	n   uint32
	cog bool // written like the word: wins a tie
}

func newBuilder(max int) *builder {
	if max > maxCount {
		max = maxCount
	}
	return &builder{max: max, entries: make(map[uint64][]cand), wordID: make(map[string]uint32)}
}

// word returns the id of a gloss, adding it when new.
func (b *builder) word(g string) uint32 {
	id, ok := b.wordID[g]
	if !ok {
		id = uint32(len(b.words))
		b.words = append(b.words, g)
		b.wordID[g] = id
	}
	return id
}

// add records that an article gives gloss id for key k, with a weight, and
// whether the gloss is written like the word. Up to maxCount candidates
// are kept per key, in the order first seen.
func (b *builder) add(k string, id, weight uint32, cognate bool) {
	h := hash(k)
	e, seen := b.entries[h]
	for i := range e {
		if e[i].id == id {
			e[i].n += weight
			e[i].cog = e[i].cog || cognate
			return
		}
	}
	if len(e) >= maxCount {
		return
	}
	if !seen {
		b.order = append(b.order, h)
	}
	b.entries[h] = append(e, cand{id: id, n: weight, cog: cognate})
}

// table packs the entries, keeping per key the max glosses that most
// articles give (the word's own article and its inflected forms agreeing
// on "ministry" outweigh one sense of one form); on a tie a gloss written
// like the word goes first, then the first seen.
func (b *builder) table() *Table {
	t := &Table{spans: make(map[uint64]uint32, len(b.order))}
	used := make([]bool, len(b.words))
	for _, h := range b.order {
		e := b.entries[h]
		slices.SortStableFunc(e, func(x, y cand) int {
			if c := cmp.Compare(y.n, x.n); c != 0 {
				return c
			}
			switch {
			case x.cog && !y.cog:
				return -1
			case y.cog && !x.cog:
				return 1
			}
			return 0
		})
		if len(e) > b.max {
			e = e[:b.max]
		}
		t.spans[h] = uint32(len(t.ids))<<4 | uint32(len(e))
		for _, c := range e {
			t.ids = append(t.ids, c.id)
			used[c.id] = true
		}
	}
	// Renumber the glosses that survived, dropping the others.
	renum := make([]uint32, len(b.words))
	for id, w := range b.words {
		if used[id] {
			renum[id] = uint32(len(t.words))
			t.words = append(t.words, w)
		}
	}
	for i, id := range t.ids {
		t.ids[i] = renum[id]
	}
	t.ids = slices.Clip(t.ids)
	t.words = slices.Clip(t.words)
	return t
}
