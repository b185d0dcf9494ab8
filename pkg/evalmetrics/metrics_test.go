package evalmetrics

import (
	"fmt"
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestConfusion(t *testing.T) {
	var c Confusion
	for _, d := range []struct{ p, g bool }{{true, true}, {true, true}, {true, false}, {false, true}, {false, false}} {
		c.Add(d.p, d.g)
	}
	got := c.PRF()
	if !near(got.P, 2.0/3) || !near(got.R, 2.0/3) || !near(got.F1, 2.0/3) {
		t.Errorf("PRF = %+v", got)
	}
	if c.N() != 5 || !near(c.Accuracy(), 0.6) {
		t.Errorf("N %d accuracy %v", c.N(), c.Accuracy())
	}
	if (Confusion{}).PRF() != (PRF{}) {
		t.Error("empty confusion should score zero")
	}
}

func TestScoreClustering(t *testing.T) {
	for _, tc := range []struct {
		name       string
		pred, gold map[string]string
		bP, bR     float64
		pP, pR     float64
	}{
		{
			name: "perfect",
			pred: map[string]string{"a": "x", "b": "x", "c": "y"},
			gold: map[string]string{"a": "1", "b": "1", "c": "2"},
			bP:   1, bR: 1, pP: 1, pR: 1,
		},
		{
			name: "all in one",
			pred: map[string]string{"a": "x", "b": "x", "c": "x", "d": "x"},
			gold: map[string]string{"a": "1", "b": "1", "c": "2", "d": "2"},
			// each item: 2 of 4 share its label.
			bP: 0.5, bR: 1, pP: 2.0 / 6, pR: 1,
		},
		{
			name: "all apart",
			pred: map[string]string{"a": "w", "b": "x", "c": "y", "d": "z"},
			gold: map[string]string{"a": "1", "b": "1", "c": "2", "d": "2"},
			bP:   1, bR: 0.5, pP: 1, pR: 0,
		},
		{
			name: "textbook",
			// pred {a,b,c} {d,e}; gold {a,b} {c,d,e}
			pred: map[string]string{"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"},
			gold: map[string]string{"a": "1", "b": "1", "c": "2", "d": "2", "e": "2"},
			bP:   (2.0/3 + 2.0/3 + 1.0/3 + 1 + 1) / 5,
			bR:   (1 + 1 + 1.0/3 + 2.0/3 + 2.0/3) / 5,
			pP:   2.0 / 4, pR: 2.0 / 4,
		},
		{
			name: "items without gold are ignored",
			pred: map[string]string{"a": "x", "b": "x", "z": "x"},
			gold: map[string]string{"a": "1", "b": "1"},
			bP:   1, bR: 1, pP: 1, pR: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ScoreClustering(tc.pred, tc.gold)
			if !near(c.BCubed.P, tc.bP) || !near(c.BCubed.R, tc.bR) {
				t.Errorf("B-cubed %+v, want P %.4f R %.4f", c.BCubed, tc.bP, tc.bR)
			}
			if !near(c.Pairwise.P, tc.pP) || !near(c.Pairwise.R, tc.pR) {
				t.Errorf("pairwise %+v, want P %.4f R %.4f", c.Pairwise, tc.pP, tc.pR)
			}
		})
	}
}

// TestScoreClusteringRepeatable: the same labelling scores to the same bits
// every time, whatever order Go's maps iterate in. Many clusters of
// awkward sizes make the sums' rounding depend on their order.
func TestScoreClusteringRepeatable(t *testing.T) {
	pred, gold := map[string]string{}, map[string]string{}
	for i := range 600 {
		id := fmt.Sprint("a", i)
		pred[id] = fmt.Sprint("p", (i*7)%97)
		gold[id] = fmt.Sprint("g", (i*13)%89)
	}
	first := ScoreClustering(pred, gold)
	for range 30 {
		if got := ScoreClustering(pred, gold); got != first {
			t.Fatalf("scores differ between runs:\n%+v\n%+v", got, first)
		}
	}
}

func TestCorrelations(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5}
	if r := Pearson(x, []float64{2, 4, 6, 8, 10}); !near(r, 1) {
		t.Errorf("pearson = %v", r)
	}
	if r := Pearson(x, []float64{5, 4, 3, 2, 1}); !near(r, -1) {
		t.Errorf("pearson = %v", r)
	}
	// Monotone but not linear: Spearman 1, Pearson below.
	y := []float64{1, 8, 27, 64, 125}
	if r := Spearman(x, y); !near(r, 1) {
		t.Errorf("spearman = %v", r)
	}
	if r := Pearson(x, y); r >= 1 || r < 0.9 {
		t.Errorf("pearson cubic = %v", r)
	}
	if r := Pearson(x, []float64{3, 3, 3, 3, 3}); !math.IsNaN(r) {
		t.Errorf("constant should be NaN, got %v", r)
	}
	got := Ranks([]float64{10, 20, 20, 5})
	want := []float64{2, 3.5, 3.5, 1}
	for i := range want {
		if !near(got[i], want[i]) {
			t.Errorf("ranks = %v, want %v", got, want)
			break
		}
	}
}

func TestBestF1(t *testing.T) {
	th, p := BestF1([]float64{0.9, 0.8, 0.3, 0.1}, []bool{true, true, false, true})
	// Cutting at 0.8 gives P 1 R 2/3 (F1 0.8); at 0.1 P 3/4 R 1 (F1 0.857).
	if !near(th, 0.1) || !near(p.F1, 6.0/7) {
		t.Errorf("best threshold %v %+v", th, p)
	}
}
