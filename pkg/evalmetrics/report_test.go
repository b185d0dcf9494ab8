package evalmetrics

import (
	"slices"
	"testing"
)

func TestMisjudged(t *testing.T) {
	yes, no := true, false
	pair := func(id string, gold *bool) Pair { return Pair{ID: id, SameStory: gold} }
	scored := []Scored{
		{pair("tp", &yes), 0.9, true},
		{pair("fp-low", &no), 0.55, true},
		{pair("fp-high", &no), 0.8, true},
		{pair("fn-near", &yes), 0.45, false},
		{pair("fn-far", &yes), 0.1, false},
		{pair("tn", &no), 0.2, false},
		{pair("null", nil), 0.7, true},
	}
	ids := func(ss []Scored) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Pair.ID)
		}
		return out
	}
	for _, tc := range []struct {
		n        int
		fp, fn   []string
		nFP, nFN int
	}{
		{10, []string{"fp-high", "fp-low"}, []string{"fn-far", "fn-near"}, 2, 2},
		{1, []string{"fp-high"}, []string{"fn-far"}, 2, 2},
		{0, nil, nil, 2, 2},
	} {
		fp, fn, nFP, nFN := Misjudged(scored, tc.n)
		if !slices.Equal(ids(fp), tc.fp) || !slices.Equal(ids(fn), tc.fn) || nFP != tc.nFP || nFN != tc.nFN {
			t.Errorf("n=%d: false positives %v of %d, false negatives %v of %d; want %v of %d, %v of %d",
				tc.n, ids(fp), nFP, ids(fn), nFN, tc.fp, tc.nFP, tc.fn, tc.nFN)
		}
	}
}
