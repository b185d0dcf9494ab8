package langid

import "math/bits"

// slot is one n-gram of a hashTable: its key and a range of values
// (postings in the index, a single value index while models are read).
type slot struct {
	key    uint64 // 0 marks an empty slot; real keys carry their order bits
	lo, hi uint32
}

// hashTable is an open-addressing hash table (linear probing, Fibonacci
// hashing) from n-gram keys to slots. Keys and their ranges share one cache
// line, so a lookup costs about one memory access even when the table is far
// larger than the caches.
type hashTable struct {
	slots []slot
	shift uint
	n     int
}

func newHashTable(capacity int) *hashTable {
	size := 1 << bits.Len(uint(capacity+capacity/3)) // load ≤ 3/4
	size = max(size, 16)
	return &hashTable{slots: make([]slot, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

func (t *hashTable) home(key uint64) uint64 { return (key * 0x9E3779B97F4A7C15) >> t.shift }

// find returns the slot holding key, or nil.
func (t *hashTable) find(key uint64) *slot {
	mask := uint64(len(t.slots) - 1)
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == key {
			return s
		}
		if s.key == 0 {
			return nil
		}
	}
}

// upsert returns key's slot, adding an empty one first if key is new.
func (t *hashTable) upsert(key uint64) *slot {
	if 4*(t.n+1) > 3*len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == key {
			return s
		}
		if s.key == 0 {
			s.key = key
			t.n++
			return s
		}
	}
}

func (t *hashTable) grow() {
	old := t.slots
	t.slots = make([]slot, 2*len(old))
	t.shift--
	mask := uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.key == 0 {
			continue
		}
		i := t.home(s.key)
		for t.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}
