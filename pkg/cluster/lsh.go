package cluster

// lshIndex finds the active members whose MinHash signatures share a band
// with an article's: the candidates for being its near-duplicate. Each
// band key heads a chain threaded through the members' slots, so that a
// member costs a table entry and four bytes per band, not a slice per band.
// Keys are 32 bits: two unrelated bands meeting by chance only cost one
// more Jaccard estimate.
type lshIndex struct {
	heads   headTable          // band key → 1 + slot of the chain's first member
	next    [][numBands]uint32 // by slot: 1 + slot of the next member in each band's chain, 0 at the end
	members []*member          // by slot
	free    []uint32
	// marks[slot] is the lookup that last visited the slot: a lookup visits
	// each member once however many bands it shares, in constant time even
	// when a wire story's thousand copies share them all.
	marks []uint32
	epoch uint32
}

func newLSHIndex() *lshIndex { return &lshIndex{heads: newHeadTable()} }

// bandKeys returns a signature's band keys, folded to 32 bits.
func bandKeys(s *signature) [numBands]uint32 {
	var out [numBands]uint32
	for i, b := range s.bands() {
		out[i] = uint32(b ^ b>>32)
	}
	return out
}

// add indexes m, which has a signature, at the head of each band's chain.
func (x *lshIndex) add(m *member) {
	if n := len(x.free); n > 0 {
		m.lslot = x.free[n-1]
		x.free = x.free[:n-1]
		x.members[m.lslot] = m
	} else {
		m.lslot = uint32(len(x.members))
		x.members = append(x.members, m)
		x.next = append(x.next, [numBands]uint32{})
		x.marks = append(x.marks, 0)
	}
	for b, k := range bandKeys(&m.sig) {
		x.next[m.lslot][b] = x.heads.set(k, m.lslot+1)
	}
}

// remove takes m out of every chain and frees its slot.
func (x *lshIndex) remove(m *member) {
	for b, k := range bandKeys(&m.sig) {
		link := x.heads.get(k)
		var prev uint32 // 1 + slot of the member before m in the chain
		for link != 0 && link != m.lslot+1 {
			prev = link
			link = x.next[link-1][b]
		}
		if link == 0 {
			continue // not there: nothing to unlink
		}
		after := x.next[m.lslot][b]
		switch {
		case prev != 0:
			x.next[prev-1][b] = after
		case after != 0:
			x.heads.set(k, after)
		default:
			x.heads.remove(k)
		}
	}
	x.next[m.lslot] = [numBands]uint32{}
	x.members[m.lslot] = nil
	x.free = append(x.free, m.lslot)
}

// each calls fn once for every indexed member sharing a band with sig.
func (x *lshIndex) each(sig *signature, fn func(*member)) {
	x.epoch++
	if x.epoch == 0 { // wrapped: old marks could look current
		clear(x.marks)
		x.epoch = 1
	}
	for b, k := range bandKeys(sig) {
		for link := x.heads.get(k); link != 0; link = x.next[link-1][b] {
			if x.marks[link-1] == x.epoch {
				continue
			}
			x.marks[link-1] = x.epoch
			fn(x.members[link-1])
		}
	}
}

// len is the number of indexed members.
func (x *lshIndex) len() int { return len(x.members) - len(x.free) }
