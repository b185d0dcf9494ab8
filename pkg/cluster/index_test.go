package cluster

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// checkIndex verifies that every active story's centroid and the inverted
// index agree: each centroid entry has its posting where at says, with its
// weight, and the index holds no other posting.
func checkIndex(t *testing.T, e *Engine) {
	t.Helper()
	n := 0
	for id, st := range e.active {
		if len(st.at) != len(st.cent) {
			t.Fatalf("story %s: %d centroid entries, %d posting indexes", id, len(st.cent), len(st.at))
		}
		for i, c := range st.cent {
			if i > 0 && st.cent[i-1].id >= c.id {
				t.Fatalf("story %s: centroid not sorted at %d", id, i)
			}
			ps := e.postingsOf(c.id)
			if int(st.at[i]) >= len(ps) || e.slots[ps[st.at[i]].slot()] != st {
				t.Fatalf("story %s: feature %d not posted at %d", id, c.id, st.at[i])
			}
			if got, want := ps[st.at[i]].weight(), makePosting(0, c.w).weight(); got != want {
				t.Fatalf("story %s: feature %d posted with %v, centroid %v", id, c.id, got, c.w)
			}
		}
		n += len(st.cent)
	}
	total := 0
	for _, ps := range e.postings {
		total += len(ps)
	}
	if total != n {
		t.Fatalf("%d postings, %d centroid entries", total, n)
	}
	checkVectors(t, e)
}

// checkVectors verifies the members' vectors against the trimming rule
// (the latest MemberLinks and the first headline holder keep theirs) and
// the dictionary's reference counts against the centroids and the kept
// vectors. It returns how many vectors were let go. A story an editor
// split may have members whose vectors went before the split moved later
// ones out: the rule's window is not checked there.
func checkVectors(t *testing.T, e *Engine) int {
	t.Helper()
	refs := make(map[uint32]int32)
	dropped := 0
	keep := max(e.cfg.MemberLinks, 1)
	split := map[string]bool{}
	for _, p := range e.apart {
		split[e.resolve(p[0])] = true
	}
	for id, st := range e.active {
		kept, headSeen := 0, false
		for i, m := range st.members {
			inWindow := i >= len(st.members)-keep
			firstHead := !headSeen && m.headline == st.s.Headline && !m.dropped
			if m.headline == st.s.Headline && !m.dropped {
				headSeen = true
			}
			switch {
			case m.dropped:
				dropped++
				if m.vec != nil || (inWindow || firstHead) && !split[id] {
					t.Fatalf("story %s member %d: vector dropped wrongly (window %v)", id, i, inWindow)
				}
			default:
				kept++
				for _, x := range m.vec {
					refs[x.id]++
				}
			}
		}
		if kept != int(st.vecs) {
			t.Fatalf("story %s: %d kept vectors, counted %d", id, kept, st.vecs)
		}
		if len(st.members) > keep && kept > keep+1 {
			t.Fatalf("story %s: %d members keep %d vectors", id, len(st.members), kept)
		}
		for _, c := range st.cent {
			refs[c.id]++
		}
	}
	for id, key := range e.dict.keys {
		if key != "" && e.dict.refs[id] != refs[uint32(id)] {
			t.Fatalf("feature %q: %d references counted, %d held", key, e.dict.refs[id], refs[uint32(id)])
		}
	}
	return dropped
}

// TestIndexConsistent streams articles that found, join, merge, outgrow
// their centroid and age out, and checks the index after each.
func TestIndexConsistent(t *testing.T) {
	fx := newExtractor(t)
	cfg := DefaultConfig()
	cfg.MaxCentroid = 40
	cfg.Window = 6 * time.Hour
	e := New(cfg, fx)
	s := newSynth(80)
	t0 := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := range 600 {
		a := s.article(fmt.Sprintf("a%d", i), i/10+i%3, t0.Add(time.Duration(i)*5*time.Minute))
		if _, err := e.Add(a); err != nil {
			t.Fatal(err)
		}
		checkIndex(t, e)
	}
	if checkVectors(t, e) == 0 {
		t.Fatal("the stream should grow stories past the vectors they keep")
	}
	st := e.Stats()
	if st.RetiredStories == 0 || st.ActiveStories == 0 {
		t.Fatalf("the stream should retire stories and keep some: %+v", st)
	}
	// A loaded snapshot rebuilds an index that agrees with its centroids.
	var buf bytes.Buffer
	if err := e.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	loaded := New(cfg, fx)
	if err := loaded.ReadSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	checkIndex(t, loaded)
}
