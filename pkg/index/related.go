package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// maxRelatedNames bounds the names a related-stories query asks for: the
// story's listed entities, heaviest first.
const maxRelatedNames = 8

// DefaultRelated is how many related stories Related gives when asked for
// none in particular.
const DefaultRelated = 5

// Related gives up to n other stories that name the people, places and
// organisations story id names, best first: the earlier and later events of
// its subject (a follow-up a month on, another strike by the same union)
// that clustering keeps apart on purpose. A related story shares two of the
// story's names (one, when it lists fewer than three), one of them a name
// of several words: a single capitalised word is too often an ordinary one
// ("Open" of a chess open is the "open" of "the road is open again"; the
// Italian "Comune" and "Regione" are in every local story), where a full
// name is not. A story without such a name has no related stories, nor one
// whose search takes longer than half a second (names of common words: see
// docs/performance.md). An alias id stands for its story; found is false
// when there is no story.
func (ix *Index) Related(ctx context.Context, id string, n int) (hits []Hit, found bool, err error) {
	s, found, err := ix.resolve(id)
	if err != nil || !found {
		return nil, found, err
	}
	hits, err = ix.relatedTo(ctx, s, n)
	return hits, true, err
}

// defaultRelatedBudget bounds the search for related stories: they are
// shown beside a story, which must not wait on them.
const defaultRelatedBudget = 500 * time.Millisecond

// relatedTo is Related for a story at hand.
func (ix *Index) relatedTo(ctx context.Context, s story.Story, n int) ([]Hit, error) {
	var names, full []query.Query
	for _, e := range s.Entities {
		if len(names) == maxRelatedNames {
			break
		}
		name := strings.TrimSpace(e.Name)
		if name == "" {
			continue
		}
		// Each name in every language's field and the headline: a name of
		// several words as a phrase, as a quoted query-string phrase is
		// searched; a single word as a word, which needs no positions (a
		// phrase searcher over a common word cost a tenth of a second).
		several := len(strings.Fields(name)) > 1
		q := ix.fanOut(kindArticle, "", name, false, func(f string) query.Query {
			if several {
				p := query.NewMatchPhraseQuery(name)
				p.SetField(f)
				return p
			}
			m := query.NewMatchQuery(name)
			m.SetField(f)
			return m
		})
		names = append(names, q)
		if several {
			full = append(full, q)
		}
	}
	if len(full) == 0 {
		return nil, nil
	}
	shared := query.NewDisjunctionQuery(names)
	if len(names) >= 3 {
		shared.SetMin(2)
	}
	// Names are matched within one article: a story's document holds its
	// titles only (join.go).
	self := anyTerm(fieldStory, append([]string{s.ID}, s.Aliases...), strings.TrimSpace)
	q := query.NewBooleanQuery([]query.Query{shared, query.NewDisjunctionQuery(full)}, nil, []query.Query{self})
	q.AddFilter(termQuery(fieldKind, kindArticle))
	sctx, cancel := context.WithTimeout(ctx, ix.relatedBudget)
	defer cancel()
	ranked, err := ix.rankArticleStories(sctx, q)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return nil, nil // over budget: none shown rather than a slow page
	}
	if err != nil {
		return nil, fmt.Errorf("stories related to %s: %w", s.ID, err)
	}
	n = clamp(n, DefaultRelated)
	hits := make([]Hit, 0, n)
	for _, r := range ranked {
		if len(hits) == n {
			break
		}
		if r.id == s.ID {
			continue
		}
		rs, found, err := ix.resolve(r.id)
		if err != nil {
			return nil, fmt.Errorf("stories related to %s: %w", s.ID, err)
		}
		if found {
			hits = append(hits, Hit{Story: rs, Score: r.score})
		}
	}
	return hits, nil
}
