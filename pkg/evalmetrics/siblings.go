package evalmetrics

import (
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// Siblings tells how far a similarity can tell a topic's stories apart
// ("sibling" stories: the same topic, another event or a later
// development). Over every pair of articles within one topic, it sets the
// scores of pairs of one story against those of pairs of two, and finds the
// one threshold that best separates them. When that does no better than
// linking every pair of a topic (AllLinked), no threshold on this
// similarity splits the siblings: a clustering built on it cannot either,
// whatever its other settings.
type Siblings struct {
	SamePairs    int       `json:"same_story_pairs"`
	SiblingPairs int       `json:"sibling_pairs"`
	Same         Quartiles `json:"same_story_quartiles"`
	Sibling      Quartiles `json:"sibling_quartiles"`
	// BestThreshold and Best: the threshold on the score with the best
	// pairwise F1 at telling same-story pairs from sibling pairs.
	BestThreshold float64 `json:"best_threshold"`
	Best          PRF     `json:"best"`
	// AllLinked is that F1 when every pair of a topic is linked.
	AllLinked PRF `json:"all_linked"`
}

// Quartiles are the first quartile, the median and the third quartile.
type Quartiles [3]float64

// ScoreSiblings scores every pair of articles that share a topic with sim.
// It returns false when the set has no topics or no topic holds two stories.
func ScoreSiblings(items []Item, sim func(a, b article.Article) float64) (Siblings, bool) {
	byTopic := map[string][]int{}
	var topics []string
	for i, it := range items {
		if it.Topic == "" {
			continue
		}
		if _, ok := byTopic[it.Topic]; !ok {
			topics = append(topics, it.Topic)
		}
		byTopic[it.Topic] = append(byTopic[it.Topic], i)
	}
	var scores, same, sibling []float64
	var gold []bool
	for _, t := range topics {
		idx := byTopic[t]
		for x, i := range idx {
			for _, j := range idx[x+1:] {
				s := sim(items[i].Article, items[j].Article)
				one := items[i].Story == items[j].Story
				scores = append(scores, s)
				gold = append(gold, one)
				if one {
					same = append(same, s)
				} else {
					sibling = append(sibling, s)
				}
			}
		}
	}
	if len(same) == 0 || len(sibling) == 0 {
		return Siblings{}, false
	}
	r := Siblings{SamePairs: len(same), SiblingPairs: len(sibling), Same: quartiles(same), Sibling: quartiles(sibling)}
	r.BestThreshold, r.Best = BestF1(scores, gold)
	r.AllLinked = NewPRF(float64(len(same))/float64(len(scores)), 1)
	return r, true
}

// quartiles sorts xs and returns its quartiles (nearest rank).
func quartiles(xs []float64) Quartiles {
	sort.Float64s(xs)
	at := func(q float64) float64 {
		return xs[int(math.Ceil(q*float64(len(xs))))-1]
	}
	return Quartiles{at(0.25), at(0.5), at(0.75)}
}

// WriteText prints the measure in two lines.
func (s Siblings) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "within topics: same-story pairs %d, score quartiles %.3f %.3f %.3f; pairs of two stories %d, %.3f %.3f %.3f\n"+
		"  best threshold %.3f tells them apart at pair P / R / F1 %.3f / %.3f / %.3f; linking every pair of a topic: %.3f / %.3f / %.3f\n",
		s.SamePairs, s.Same[0], s.Same[1], s.Same[2], s.SiblingPairs, s.Sibling[0], s.Sibling[1], s.Sibling[2],
		s.BestThreshold, s.Best.P, s.Best.R, s.Best.F1, s.AllLinked.P, s.AllLinked.R, s.AllLinked.F1)
	return err
}
