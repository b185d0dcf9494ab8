package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// A story's words are in two kinds of document: its own (headline and its
// members' titles, rewritten at every update) and its members' articles
// (title and body, each indexed once). bleve has no join, so a search
// with words runs in steps: the articles the words match give their
// stories (matchArticles), and the story search takes those stories as
// matches beside the ones its own words match (Search). A story matches
// when its headline or titles match or when one of its articles does: a
// query's words are matched within one article, not across a story's
// articles.

// Bounds of matchArticles.
const (
	// maxArticleStories bounds the stories that matching articles bring
	// to a search: those with the most matching articles are kept. A word
	// in most articles ("the") then finds the stories whose headline or
	// titles hold it, and these.
	maxArticleStories = 2000
	// articleTopHits is how many of the best matching articles give
	// their score to their story's rank.
	articleTopHits = 100
)

// articleMatches are the stories whose articles a query matched, by their
// live ids (aliases followed), each with the best score among the
// articleTopHits best articles (0 for a story with none among them).
type articleMatches map[string]float64

// matchArticles runs the expanded query e over the article documents.
func (ix *Index) matchArticles(ctx context.Context, e query.Query) (articleMatches, error) {
	q := query.NewBooleanQuery([]query.Query{e}, nil, nil)
	q.AddFilter(termQuery(fieldKind, kindArticle))
	return ix.articleStories(ctx, q, maxArticleStories)
}

// articleStories runs q, a query over article documents, and gives the
// stories of its articleTopHits best hits with their best scores, and of
// up to facet more matching articles (those of the stories with most).
func (ix *Index) articleStories(ctx context.Context, q query.Query, facet int) (articleMatches, error) {
	req := bleve.NewSearchRequestOptions(q, articleTopHits, 0, false)
	// The story comes with each hit from its doc values, as a sort key,
	// rather than from its stored fields.
	req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}, &search.SortField{Field: fieldStory}})
	if facet > 0 {
		req.AddFacet(fieldStory, bleve.NewFacetRequest(fieldStory, facet))
	}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	joined := map[string]float64{}
	for _, h := range res.Hits {
		if len(h.Sort) < 2 || h.Sort[1] == "" {
			continue
		}
		joined[h.Sort[1]] = max(joined[h.Sort[1]], h.Score)
	}
	if fr := res.Facets[fieldStory]; fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			if _, ok := joined[t.Term]; !ok {
				joined[t.Term] = 0
			}
		}
	}
	return ix.followAliases(joined)
}

// rankedStory is a story found through its articles and its best score.
type rankedStory struct {
	id    string
	score float64
}

// rankArticleStories gives the stories of the best articles q matches,
// best first.
func (ix *Index) rankArticleStories(ctx context.Context, q query.Query) ([]rankedStory, error) {
	am, err := ix.articleStories(ctx, q, 0)
	if err != nil {
		return nil, err
	}
	out := make([]rankedStory, 0, len(am))
	for id, sc := range am {
		out = append(out, rankedStory{id, sc})
	}
	slices.SortFunc(out, func(a, b rankedStory) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	return out, nil
}

// followAliases renames the stories merged into others to the stories
// that absorbed them (an article's document names the story it joined),
// keeping the best score of each.
func (ix *Index) followAliases(m articleMatches) (articleMatches, error) {
	if len(m) == 0 {
		return m, nil
	}
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, aliasPrefix+id)
	}
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{fieldTarget}
	res, err := ix.idx.Search(req)
	if err != nil {
		return nil, fmt.Errorf("follow aliases: %w", err)
	}
	for _, h := range res.Hits {
		target, _ := h.Fields[fieldTarget].(string)
		from := h.ID[len(aliasPrefix):]
		if target == "" || target == from {
			continue
		}
		score := m[from]
		delete(m, from)
		if prev, ok := m[target]; !ok || score > prev {
			m[target] = score
		}
	}
	return m, nil
}

// excludedStories gives the stories with an article that a query's
// excluded words (e's top-level -clauses) match: "-word" leaves out a story
// that any of its articles says it in, not only the articles that do.
func (ix *Index) excludedStories(ctx context.Context, e query.Query) (articleMatches, error) {
	bq, ok := e.(*query.BooleanQuery)
	if !ok || bq.MustNot == nil {
		return nil, nil
	}
	q := query.NewBooleanQuery([]query.Query{bq.MustNot}, nil, nil)
	q.AddFilter(termQuery(fieldKind, kindArticle))
	return ix.articleStories(ctx, q, maxArticleStories)
}

// storyQuery is the story search of words: the stories whose own document
// the expanded query e matches, or that articles brought (am), among those
// filter keeps, less those with an article the excluded words match
// (excl). A story's score adds to its own document's the score of its best
// article, rounded to one of a few levels (scoreLevels): a score of its
// own for each story would be read per matching story from doc values,
// which cost more than the rest of the search.
func storyQuery(e query.Query, am, excl articleMatches, filter query.Query) query.Query {
	should := []query.Query{e}
	for _, l := range scoreLevels(am) {
		byArticle := query.NewDocIDQuery(l.ids)
		byArticle.SetBoost(l.score)
		should = append(should, byArticle)
	}
	var not []query.Query
	if len(excl) > 0 {
		not = append(not, query.NewDocIDQuery(storyDocIDs(excl)))
		if bq, ok := e.(*query.BooleanQuery); ok && bq.MustNot != nil {
			not = append(not, bq.MustNot) // in the headline and titles
		}
	}
	bq := query.NewBooleanQuery(nil, should, not)
	bq.AddFilter(filter)
	return bq
}

// scoreLevel is a set of stories (their document ids) brought by articles
// of about one score.
type scoreLevel struct {
	ids   []string
	score float64
}

// maxScoreLevels is how many levels of article score storyQuery tells apart.
const maxScoreLevels = 4

// scoreLevels groups the stories of am into up to maxScoreLevels levels of
// equal size by their best article's score, each scored by its mean, and
// one level of score 0 for the stories whose articles were not among the
// best hits.
func scoreLevels(am articleMatches) []scoreLevel {
	var scored []rankedStory
	var rest []string
	for id, sc := range am {
		if sc > 0 {
			scored = append(scored, rankedStory{id, sc})
		} else {
			rest = append(rest, storyPrefix+id)
		}
	}
	slices.SortFunc(scored, func(a, b rankedStory) int { return cmp.Compare(b.score, a.score) })
	var out []scoreLevel
	per := (len(scored) + maxScoreLevels - 1) / maxScoreLevels
	for len(scored) > 0 {
		n := min(per, len(scored))
		l := scoreLevel{ids: make([]string, n)}
		for i, r := range scored[:n] {
			l.ids[i] = storyPrefix + r.id
			l.score += r.score / float64(n)
		}
		out = append(out, l)
		scored = scored[n:]
	}
	if len(rest) > 0 {
		out = append(out, scoreLevel{ids: rest})
	}
	return out
}

// storyDocIDs gives the document ids of the stories of m.
func storyDocIDs(m articleMatches) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, storyPrefix+id)
	}
	return ids
}
