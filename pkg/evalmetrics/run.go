package evalmetrics

import (
	"github.com/newsdedup/newsdedup/pkg/article"
)

// PairSystem is what a pair evaluation needs of a system: a way to learn
// from an article (document frequencies) and a way to compare two.
type PairSystem interface {
	Observe(a article.Article)
	// Judge returns the similarity of b to a and whether the system would
	// put them in one story.
	Judge(a, b article.Article) (score float64, same bool)
}

// RunPairs prepares every distinct article once (prepare may be nil), lets
// the system observe them in file order, then judges every pair.
func RunPairs(pairs []Pair, sys PairSystem, prepare func(article.Article) article.Article) []Scored {
	ready := make(map[string]article.Article, 2*len(pairs))
	for _, p := range pairs {
		for _, a := range [2]article.Article{p.A, p.B} {
			if _, ok := ready[a.ID]; ok {
				continue
			}
			if prepare != nil {
				a = prepare(a)
			}
			ready[a.ID] = a
			sys.Observe(a)
		}
	}
	out := make([]Scored, 0, len(pairs))
	for _, p := range pairs {
		score, same := sys.Judge(ready[p.A.ID], ready[p.B.ID])
		out = append(out, Scored{Pair: p, Score: score, Same: same})
	}
	return out
}

// Articles returns the distinct articles of a pair set in file order.
func Articles(pairs []Pair) []article.Article {
	seen := make(map[string]bool, 2*len(pairs))
	var out []article.Article
	for _, p := range pairs {
		for _, a := range [2]article.Article{p.A, p.B} {
			if !seen[a.ID] {
				seen[a.ID] = true
				out = append(out, a)
			}
		}
	}
	return out
}
