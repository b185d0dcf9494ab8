package cluster

// headTable maps an LSH band key to the head of its chain (1 + a member's
// slot; 0 is none): open addressing with linear probing over one array of
// 8-byte slots, the key in the high half and the head in the low, at most
// 7/8 full. An article looks up its sixteen band keys and a new member
// sets them; in a Go map each of those reached its table through the map's
// directory, dependent cache misses once the index outgrows the cache,
// where here a key's slot, or the run of slots after it, is one line,
// mostly. Filled up to 7/8 it takes no more memory than the map did: 9 to
// 18 bytes a key, where the map took 12 to 19 (measured at 1.5 to 2
// million keys).
type headTable struct {
	slots []uint64 // a power of two long
	shift uint     // 64 - log2(len(slots))
	n     int      // slots in use
}

// newHeadTable returns an empty table.
func newHeadTable() headTable { return headTable{slots: make([]uint64, 1024), shift: 64 - 10} }

// home is the slot where a probe for k starts.
func (t *headTable) home(k uint32) int { return int((uint64(k) * 0x9e3779b97f4a7c15) >> t.shift) }

// get returns the head of k's chain, 0 if it has none.
func (t *headTable) get(k uint32) uint32 {
	mask := len(t.slots) - 1
	for i := t.home(k); ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return 0
		}
		if uint32(s>>32) == k {
			return uint32(s)
		}
	}
}

// set makes head, which is not 0, the head of k's chain, and returns the
// head it replaces (0 if none).
func (t *headTable) set(k, head uint32) uint32 {
	if 8*(t.n+1) > 7*len(t.slots) {
		t.grow()
	}
	mask := len(t.slots) - 1
	i := t.home(k)
	for t.slots[i] != 0 && uint32(t.slots[i]>>32) != k {
		i = (i + 1) & mask
	}
	old := uint32(t.slots[i])
	if t.slots[i] == 0 {
		t.n++
	}
	t.slots[i] = uint64(k)<<32 | uint64(head)
	return old
}

// remove takes k out, moving back the keys after it that probed past its
// slot, so that no probe stops early at the hole (no tombstones).
func (t *headTable) remove(k uint32) {
	mask := len(t.slots) - 1
	i := t.home(k)
	for {
		s := t.slots[i]
		if s == 0 {
			return
		}
		if uint32(s>>32) == k {
			break
		}
		i = (i + 1) & mask
	}
	t.n--
	for j := i; ; {
		j = (j + 1) & mask
		s := t.slots[j]
		if s == 0 {
			break
		}
		// The key at j may fill the hole at i unless its home lies
		// cyclically in (i, j]: then a probe for it never passes i.
		h := t.home(uint32(s >> 32))
		if (i < j && (h <= i || h > j)) || (i > j && h <= i && h > j) {
			t.slots[i] = s
			i = j
		}
	}
	t.slots[i] = 0
}

// grow doubles the table.
func (t *headTable) grow() {
	old := t.slots
	t.slots = make([]uint64, 2*len(old))
	t.shift--
	mask := len(t.slots) - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := t.home(uint32(s >> 32))
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}
