package cluster

import (
	"fmt"
	"slices"
	"testing"
)

// TestLSHIndex adds members, some sharing every band, some one band, some
// none, removes them in several orders, and checks that a lookup visits
// exactly the indexed members that share a band, once each.
func TestLSHIndex(t *testing.T) {
	sigOf := func(seed uint32) signature {
		var s signature
		for i := range s {
			s[i] = seed*1000 + uint32(i)
		}
		return s
	}
	base := sigOf(1)
	oneBand := sigOf(2)
	copy(oneBand[:bandRows], base[:bandRows]) // shares band 0 with base
	sigs := map[string]signature{"a": base, "b": base, "c": oneBand, "d": sigOf(3), "e": base}
	tests := []struct {
		name   string
		remove []string
	}{
		{"nothing removed", nil},
		{"chain heads first", []string{"e", "b"}},
		{"chain middle", []string{"b"}},
		{"chain tail", []string{"a"}},
		{"all", []string{"a", "b", "c", "d", "e"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := newLSHIndex()
			ms := map[string]*member{}
			for _, id := range []string{"a", "b", "c", "d", "e"} {
				ms[id] = &member{articleID: id, sig: sigs[id], hasSig: true}
				x.add(ms[id])
			}
			for _, id := range tc.remove {
				x.remove(ms[id])
				delete(ms, id)
			}
			if x.len() != len(ms) {
				t.Fatalf("index holds %d members, want %d", x.len(), len(ms))
			}
			for probe, sig := range sigs {
				var got []string
				x.each(&sig, func(m *member) { got = append(got, m.articleID) })
				slices.Sort(got)
				var want []string
				for id, m := range ms {
					if sharesBand(&sig, &m.sig) {
						want = append(want, id)
					}
				}
				slices.Sort(want)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("lookup of %s's signature visits %v, want %v", probe, got, want)
				}
			}
			// Freed slots are reused and the index stays right.
			for _, id := range tc.remove {
				ms[id] = &member{articleID: id, sig: sigs[id], hasSig: true}
				x.add(ms[id])
			}
			var got []string
			x.each(&base, func(m *member) { got = append(got, m.articleID) })
			slices.Sort(got)
			if fmt.Sprint(got) != "[a b c e]" {
				t.Errorf("after re-adding, base's lookup visits %v", got)
			}
		})
	}
}

func sharesBand(a, b *signature) bool {
	ka, kb := bandKeys(a), bandKeys(b)
	for i := range ka {
		if ka[i] == kb[i] {
			return true
		}
	}
	return false
}

// TestLSHManyCopies: members sharing every band (a wire story's copies)
// are each visited once per lookup, lookup after lookup.
func TestLSHManyCopies(t *testing.T) {
	var sig signature
	for i := range sig {
		sig[i] = uint32(i) * 7
	}
	x := newLSHIndex()
	for i := range 300 {
		x.add(&member{articleID: fmt.Sprint(i), sig: sig, hasSig: true})
	}
	for round := range 3 {
		visits := map[string]int{}
		x.each(&sig, func(m *member) { visits[m.articleID]++ })
		if len(visits) != 300 {
			t.Fatalf("round %d: %d members visited, want 300", round, len(visits))
		}
		for id, n := range visits {
			if n != 1 {
				t.Fatalf("round %d: member %s visited %d times", round, id, n)
			}
		}
	}
}
