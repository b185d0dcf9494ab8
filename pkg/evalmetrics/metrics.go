// Package evalmetrics scores a system against gold labels: precision,
// recall and F1 of binary decisions, pairwise and B-cubed scores of a
// clustering, and Pearson and Spearman correlations. It is pure and knows
// nothing of the pipeline.
package evalmetrics

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
)

// PRF is precision, recall and their harmonic mean.
type PRF struct {
	P  float64 `json:"p"`
	R  float64 `json:"r"`
	F1 float64 `json:"f1"`
}

// NewPRF builds a PRF from precision and recall.
func NewPRF(p, r float64) PRF { return PRF{P: p, R: r, F1: F1(p, r)} }

// F1 is the harmonic mean of p and r, 0 when both are 0.
func F1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Confusion counts binary decisions against gold.
type Confusion struct {
	TP, FP, FN, TN int
}

// Add counts one decision.
func (c *Confusion) Add(predicted, gold bool) {
	switch {
	case predicted && gold:
		c.TP++
	case predicted:
		c.FP++
	case gold:
		c.FN++
	default:
		c.TN++
	}
}

// N is the number of decisions counted.
func (c Confusion) N() int { return c.TP + c.FP + c.FN + c.TN }

// PRF scores the positive class. Precision is 0 when nothing was predicted
// positive, recall 0 when nothing is positive.
func (c Confusion) PRF() PRF {
	var p, r float64
	if c.TP+c.FP > 0 {
		p = float64(c.TP) / float64(c.TP+c.FP)
	}
	if c.TP+c.FN > 0 {
		r = float64(c.TP) / float64(c.TP+c.FN)
	}
	return NewPRF(p, r)
}

// Accuracy is the share of right decisions.
func (c Confusion) Accuracy() float64 {
	if c.N() == 0 {
		return 0
	}
	return float64(c.TP+c.TN) / float64(c.N())
}

// Clustering holds the pairwise and B-cubed scores of a predicted
// clustering against a gold one.
type Clustering struct {
	Items         int `json:"items"`
	PredClusters  int `json:"pred_clusters"`
	GoldClusters  int `json:"gold_clusters"`
	Pairwise      PRF `json:"pairwise"`
	BCubed        PRF `json:"bcubed"`
	PredPairs     int `json:"pred_pairs"`
	GoldPairs     int `json:"gold_pairs"`
	TruePairs     int `json:"true_pairs"`
	Singletons    int `json:"pred_singletons"`
	LargestPred   int `json:"largest_pred"`
	LargestGold   int `json:"largest_gold"`
	MixedClusters int `json:"mixed_pred_clusters"` // predicted clusters holding two gold labels or more
}

// ScoreClustering compares pred and gold, two labellings of the same items
// (item → cluster label). Items missing from gold are left out. Pairwise
// scores count unordered item pairs put together; B-cubed averages, per
// item, the share of its predicted cluster that shares its gold label
// (precision) and the share of its gold cluster found in its predicted one
// (recall).
func ScoreClustering(pred, gold map[string]string) Clustering {
	type key struct{ p, g string }
	cell := map[key]int{}
	predSize := map[string]int{}
	goldSize := map[string]int{}
	for id, p := range pred {
		g, ok := gold[id]
		if !ok {
			continue
		}
		cell[key{p, g}]++
		predSize[p]++
		goldSize[g]++
	}
	var c Clustering
	for _, n := range predSize {
		c.Items += n
		c.PredPairs += n * (n - 1) / 2
		if n == 1 {
			c.Singletons++
		}
		c.LargestPred = max(c.LargestPred, n)
	}
	for _, n := range goldSize {
		c.GoldPairs += n * (n - 1) / 2
		c.LargestGold = max(c.LargestGold, n)
	}
	c.PredClusters, c.GoldClusters = len(predSize), len(goldSize)
	if c.Items == 0 {
		return c
	}
	// Summed in a fixed order: floating-point sums depend on their order,
	// and map order changes from run to run, which made the last digits of
	// the same run's report differ.
	keys := make([]key, 0, len(cell))
	for k := range cell {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(strings.Compare(a.p, b.p), strings.Compare(a.g, b.g))
	})
	var bp, br float64
	labels := map[string]int{}
	for _, k := range keys {
		n := cell[k]
		c.TruePairs += n * (n - 1) / 2
		// Each of the n items in this cell sees n items of its gold label in
		// its predicted cluster.
		bp += float64(n) * float64(n) / float64(predSize[k.p])
		br += float64(n) * float64(n) / float64(goldSize[k.g])
		labels[k.p]++
	}
	for _, n := range labels {
		if n > 1 {
			c.MixedClusters++
		}
	}
	items := float64(c.Items)
	c.BCubed = NewPRF(bp/items, br/items)
	var pp, pr float64
	if c.PredPairs > 0 {
		pp = float64(c.TruePairs) / float64(c.PredPairs)
	} else {
		pp = 1 // no pair claimed, none wrong
	}
	if c.GoldPairs > 0 {
		pr = float64(c.TruePairs) / float64(c.GoldPairs)
	} else {
		pr = 1
	}
	c.Pairwise = NewPRF(pp, pr)
	return c
}

// Pearson is the linear correlation of x and y; NaN when fewer than two
// points or either is constant.
func Pearson(x, y []float64) float64 {
	n := min(len(x), len(y))
	if n < 2 {
		return math.NaN()
	}
	var mx, my float64
	for i := 0; i < n; i++ {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxy, sxx, syy float64
	for i := 0; i < n; i++ {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Spearman is the Pearson correlation of the ranks of x and y, ties taking
// their average rank.
func Spearman(x, y []float64) float64 {
	n := min(len(x), len(y))
	return Pearson(Ranks(x[:n]), Ranks(y[:n]))
}

// Ranks gives each value its 1-based rank, ties the mean of their ranks.
func Ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for k := i; k < j; k++ {
			r[idx[k]] = avg
		}
		i = j
	}
	return r
}

// BestF1 returns the threshold on scores that maximises F1 on gold, and
// that F1: an upper bound of what one threshold can do, for diagnosis.
func BestF1(scores []float64, gold []bool) (threshold float64, best PRF) {
	idx := make([]int, len(scores))
	pos := 0
	for i := range idx {
		idx[i] = i
		if gold[i] {
			pos++
		}
	}
	if pos == 0 {
		return math.NaN(), PRF{}
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	tp, fp := 0, 0
	for k, i := range idx {
		if gold[i] {
			tp++
		} else {
			fp++
		}
		// Only cut between distinct scores.
		if k+1 < len(idx) && scores[idx[k+1]] == scores[i] {
			continue
		}
		p := float64(tp) / float64(tp+fp)
		r := float64(tp) / float64(pos)
		if f := F1(p, r); f > best.F1 {
			best = NewPRF(p, r)
			threshold = scores[i]
		}
	}
	return threshold, best
}
