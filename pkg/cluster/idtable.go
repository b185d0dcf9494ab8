package cluster

// idTable maps a key's 64-bit hash to its id and check hash: open
// addressing with linear probing over one array of 16-byte slots, at most
// half full. A lookup reads one cache line, mostly, where a Go map reads
// its control word and then the slot, two dependent misses once the
// dictionary outgrows the cache; and a lookup is short enough that the
// processor overlaps those of an article's features.
type idTable struct {
	slots []idSlot // a power of two long
	shift uint     // 64 - log2(len(slots))
	n     int      // slots in use
}

// idSlot is one key in an idTable; id is the feature id + 1, so that the
// zero slot is empty.
type idSlot struct {
	h  uint64
	id uint32
	c  uint32
}

// newIDTable returns a table with room for n keys before it grows.
func newIDTable(n int) idTable {
	size := 16
	for size < 2*n {
		size *= 2
	}
	shift := uint(64)
	for s := size; s > 1; s /= 2 {
		shift--
	}
	return idTable{slots: make([]idSlot, size), shift: shift}
}

// home is the slot where a probe for h starts: FNV-1a's high bits are
// mixed by a multiplication first.
func (t *idTable) home(h uint64) int { return int((h * 0x9e3779b97f4a7c15) >> t.shift) }

// get returns what h maps to.
func (t *idTable) get(h uint64) (idCheck, bool) {
	mask := len(t.slots) - 1
	for i := t.home(h); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.id == 0 {
			return idCheck{}, false
		}
		if s.h == h {
			return idCheck{s.id - 1, s.c}, true
		}
	}
}

// put maps h to x, replacing what it mapped to.
func (t *idTable) put(h uint64, x idCheck) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := len(t.slots) - 1
	i := t.home(h)
	for t.slots[i].id != 0 && t.slots[i].h != h {
		i = (i + 1) & mask
	}
	if t.slots[i].id == 0 {
		t.n++
	}
	t.slots[i] = idSlot{h, x.id + 1, x.c}
}

// remove unmaps h, moving back the keys after it that probed past its
// slot, so that no lookup stops early at the hole (no tombstones).
func (t *idTable) remove(h uint64) {
	mask := len(t.slots) - 1
	i := t.home(h)
	for t.slots[i].h != h || t.slots[i].id == 0 {
		if t.slots[i].id == 0 {
			return
		}
		i = (i + 1) & mask
	}
	t.n--
	for j := i; ; {
		j = (j + 1) & mask
		if t.slots[j].id == 0 {
			break
		}
		// The key at j may fill the hole at i unless its home lies
		// cyclically in (i, j]: then a probe for it never passes i.
		k := t.home(t.slots[j].h)
		if (i < j && (k <= i || k > j)) || (i > j && k <= i && k > j) {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = idSlot{}
}

// grow doubles the table.
func (t *idTable) grow() {
	old := t.slots
	*t = newIDTable(len(old))
	mask := len(t.slots) - 1
	for _, s := range old {
		if s.id == 0 {
			continue
		}
		i := t.home(s.h)
		for t.slots[i].id != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
		t.n++
	}
}
