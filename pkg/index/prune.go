package index

import (
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// pruneBatch bounds the stories one pruning batch removes, so that a first
// prune of a long-kept index does not hold the writer for long at once.
const pruneBatch = 1000

// Prune removes from the index every story last updated before cutoff, with
// its articles' documents and the aliases of the stories merged into it:
// a retention policy's end of the line (docs/architecture.md). The facet
// counts and caches follow; the checkpoint does not move. A story event
// replayed later for a pruned story would index it again, as far as the
// event tells: the stories stream's own age limit, at least as long as the
// retention, keeps such events away. It returns how many stories went.
func (ix *Index) Prune(cutoff time.Time) (int, error) {
	filter, err := filterQuery(nil, nil, time.Time{}, cutoff)
	if err != nil {
		return 0, err
	}
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	pruned := 0
	for {
		req := bleve.NewSearchRequestOptions(filter, pruneBatch, 0, false)
		req.SortByCustom(search.SortOrder{&search.SortDocID{}})
		req.Fields = []string{fieldJSON}
		res, err := ix.idx.Search(req)
		if err != nil {
			return pruned, fmt.Errorf("prune: find stories before %s: %w", cutoff.Format(time.RFC3339), err)
		}
		p := newPending(ix)
		var arts []string // the pruned stories' articles, out of the body cache too
		for _, h := range res.Hits {
			s, err := hitStory(h)
			if err != nil {
				return pruned, fmt.Errorf("prune: %w", err)
			}
			if _, deferred := ix.deferred[s.ID]; deferred {
				continue // a newer version waits to be written: not stale
			}
			if _, err := p.indexed(s.ID); err != nil { // for the facet counts
				return pruned, fmt.Errorf("prune %s: %w", s.ID, err)
			}
			p.setStory(s.ID, nil)
			for _, m := range s.Members {
				p.drop = append(p.drop, articlePrefix+m.ArticleID)
				arts = append(arts, m.ArticleID)
			}
			for _, a := range s.Aliases {
				p.drop = append(p.drop, aliasPrefix+a)
			}
		}
		if len(p.order) == 0 {
			return pruned, nil
		}
		if _, err := ix.commit(p, ix.now(), false); err != nil {
			return pruned, fmt.Errorf("prune: %w", err)
		}
		for _, a := range arts {
			ix.bodies.del(a)
		}
		pruned += len(p.order)
		if len(res.Hits) < pruneBatch {
			return pruned, nil
		}
	}
}
