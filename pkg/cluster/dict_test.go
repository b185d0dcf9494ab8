package cluster

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDictionaryCollisions forces keys onto one hash: each keeps its own
// id through interning, forgetting and re-interning, whichever went first.
func TestDictionaryCollisions(t *testing.T) {
	// One 64-bit hash; the check hashes tell the keys apart.
	hs := map[string]keyHashes{"ent:a": {42, 1}, "ent:b": {42, 2}, "ent:c": {42, 3}}
	tests := []struct {
		name   string
		forget string // key unindexed after the three are interned
	}{
		{"forget the key the hash points to", "ent:a"},
		{"forget a key kept aside", "ent:b"},
		{"forget nothing", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDictionary()
			ids := map[string]uint32{}
			for _, k := range []string{"ent:a", "ent:b", "ent:c"} {
				ids[k] = d.intern(k, hs[k])
			}
			if ids["ent:a"] == ids["ent:b"] || ids["ent:b"] == ids["ent:c"] || ids["ent:a"] == ids["ent:c"] {
				t.Fatalf("colliding keys share an id: %v", ids)
			}
			if tc.forget != "" {
				d.unindex(tc.forget, hs[tc.forget], ids[tc.forget])
				d.keys[ids[tc.forget]] = ""
				if _, ok := d.lookup(tc.forget, hs[tc.forget]); ok {
					t.Fatalf("%s still found after it was forgotten", tc.forget)
				}
			}
			for k, id := range ids {
				if k == tc.forget {
					continue
				}
				if got, ok := d.lookup(k, hs[k]); !ok || got != id {
					t.Fatalf("lookup(%s) = %d, %v; want %d", k, got, ok, id)
				}
				if got := d.intern(k, hs[k]); got != id {
					t.Fatalf("intern(%s) again = %d; want %d", k, got, id)
				}
			}
			if want := 3 - len(tc.forget)/len("ent:a"); d.size() != want {
				t.Fatalf("size %d, want %d", d.size(), want)
			}
		})
	}
}

// TestLogPlusOne: the table gives what math.Log gives, to the bit.
func TestLogPlusOne(t *testing.T) {
	for _, x := range []float64{0, 1, 2, 17, 4095, 4096, 4097, 1e6, 2.5} {
		if got, want := logPlusOne(x), math.Log(x+1); got != want {
			t.Errorf("logPlusOne(%g) = %v, want %v", x, got, want)
		}
	}
}

// TestIDTable: random puts and removes, with hashes crowded into few home
// slots, find what a map finds.
func TestIDTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tab := newIDTable(0)
	want := map[uint64]idCheck{}
	for i := range 200000 {
		// Few distinct high bits: long probe runs that wrap around.
		h := rng.Uint64N(3000) << 52
		switch rng.IntN(3) {
		case 0, 1:
			x := idCheck{uint32(i), rng.Uint32()}
			tab.put(h, x)
			want[h] = x
		default:
			tab.remove(h)
			delete(want, h)
		}
		if i%1000 == 0 || i > 199000 {
			if tab.n != len(want) {
				t.Fatalf("step %d: %d keys, want %d", i, tab.n, len(want))
			}
			for h, x := range want {
				if got, ok := tab.get(h); !ok || got != x {
					t.Fatalf("step %d: get(%x) = %v, %v; want %v", i, h, got, ok, x)
				}
			}
		}
	}
	for h := uint64(0); h < 3000; h++ {
		_, ok := tab.get(h << 52)
		if _, in := want[h<<52]; ok != in {
			t.Fatalf("get(%x) found %v, want %v", h<<52, ok, in)
		}
	}
}

// TestIdfFromMeta: idf read through a feature's meta, whose count is
// small, or from logDf past it, is log((N+1)/(df+1)) + 1 to the bit,
// counted up one document at a time or restored from a snapshot, and the
// kind and cross-lingual bit survive the count.
func TestIdfFromMeta(t *testing.T) {
	tests := []struct {
		name string
		df   float64
	}{
		{"never counted", 0},
		{"once", 1},
		{"last in the table", metaDfBig - 1},
		{"first past it", metaDfBig},
		{"far past it", 5000},
		{"not a count", 2.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDictionary()
			id := d.intern("ent:a", keyHash("ent:a"))
			d.seenIn(id, d.langBit("en"))
			d.seenIn(id, d.langBit("fr"))
			for d.stats[id].df+1 <= tc.df {
				d.count(id)
			}
			if d.stats[id].df != tc.df {
				// Not reachable by counting: set as a snapshot does.
				d.stats[id].df = tc.df
				d.meta[id] = d.meta[id].withDf(tc.df)
				d.logDf[id] = logPlusOne(tc.df)
			}
			for range 3 {
				d.addDoc(d.langBit("en"))
			}
			want := d.logDocs - math.Log(tc.df+1) + 1
			if got := d.idf(id); got != want {
				t.Errorf("idf = %v, want %v", got, want)
			}
			if d.kind(id) != kindEntity || !d.crossLingual(id) {
				t.Errorf("kind %d, cross-lingual %v; want %d, true", d.kind(id), d.crossLingual(id), kindEntity)
			}
		})
	}
}

// TestIdfWithinLanguage: a feature seen in one language is weighed against
// that language's articles (blended with all of them while they are few:
// langPrior), a feature seen in two against all of them, and a stream of
// one language exactly as against all of them.
func TestIdfWithinLanguage(t *testing.T) {
	blend := func(n, all float64) float64 {
		w := n / (n + langPrior)
		return w*math.Log(n+1) + (1-w)*math.Log(all+1)
	}
	tests := []struct {
		name     string
		docs     map[string]int // articles counted per language
		seen     []string       // the languages the feature was seen in
		df       int
		wantLogN float64
	}{
		{"one language only", map[string]int{"tr": 40}, []string{"tr"}, 40, math.Log(41)},
		{"a language among others", map[string]int{"tr": 200, "en": 2000}, []string{"tr"}, 150, blend(200, 2200)},
		{"the other language", map[string]int{"tr": 200, "en": 2000}, []string{"en"}, 3, blend(2000, 2200)},
		{"a language's first article", map[string]int{"tr": 1, "en": 2000}, []string{"tr"}, 1, blend(1, 2001)},
		{"seen in two languages", map[string]int{"tr": 200, "en": 2000}, []string{"tr", "en"}, 5, math.Log(2201)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDictionary()
			id := d.intern("term:x", keyHash("term:x"))
			for _, l := range tc.seen {
				d.seenIn(id, d.langBit(l))
			}
			for range tc.df {
				d.count(id)
			}
			for _, l := range []string{"tr", "en"} {
				for range tc.docs[l] {
					d.addDoc(d.langBit(l))
				}
			}
			want := tc.wantLogN - math.Log(float64(tc.df)+1) + 1
			if got := d.idf(id); math.Abs(got-want) > 1e-12 {
				t.Errorf("idf = %v, want %v", got, want)
			}
			if len(tc.seen) == 1 && len(tc.docs) == 1 && d.idf(id) != d.logDocs-math.Log(float64(tc.df)+1)+1 {
				t.Errorf("one language: idf %v is not the overall one", d.idf(id))
			}
			if d.kind(id) != kindTerm || d.crossLingual(id) != (len(tc.seen) > 1) {
				t.Errorf("kind %d, cross-lingual %v: the language spoiled the meta", d.kind(id), d.crossLingual(id))
			}
		})
	}
}
