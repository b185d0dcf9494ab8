package cluster

import (
	"math"
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
