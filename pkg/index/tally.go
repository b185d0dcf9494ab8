package index

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// tally keeps the facet counts of every live story (languages, sources,
// hour of last update) in memory, updated with each batch. Browsing without
// words or filters, the search page's first view, then needs no pass over
// every story's doc values: that pass was two thirds of its time.
type tally struct {
	mu      sync.RWMutex
	stories int
	terms   map[string]int // facet value (facetTerms.values) → stories
}

func newTally() *tally { return &tally{terms: map[string]int{}} }

// facetTerms are the terms a story document is faceted on, as storyDoc
// indexes them.
type facetTerms struct {
	langs, sources []string
	hour           string
}

func termsOf(s story.Story) facetTerms {
	return facetTerms{langs: storyLangs(s), sources: storySources(s), hour: hourKey(storyTime(s))}
}

// Prefixes of the values of fieldFacet.
const (
	facetLangPrefix   = "lang:"
	facetSourcePrefix = "source:"
	facetHourPrefix   = "hour:"
)

// values are the story's terms in fieldFacet.
func (f facetTerms) values() []string {
	out := make([]string, 0, len(f.langs)+len(f.sources)+1)
	for _, l := range f.langs {
		out = append(out, facetLangPrefix+l)
	}
	for _, s := range f.sources {
		out = append(out, facetSourcePrefix+s)
	}
	return append(out, facetHourPrefix+f.hour)
}

// splitFacets turns counts of fieldFacet values into the result's facets:
// languages and sources by count then name, at most facetSize of each, and
// the date buckets.
func splitFacets(counts map[string]int, now time.Time) map[string][]Facet {
	langs, sources, hours := map[string]int{}, map[string]int{}, map[string]int{}
	for v, n := range counts {
		if k, ok := strings.CutPrefix(v, facetLangPrefix); ok {
			langs[k] = n
		} else if k, ok := strings.CutPrefix(v, facetSourcePrefix); ok {
			sources[k] = n
		} else if k, ok := strings.CutPrefix(v, facetHourPrefix); ok {
			hours[k] = n
		}
	}
	return map[string][]Facet{
		FacetLang:   top(langs, facetSize),
		FacetSource: top(sources, facetSize),
		FacetDate:   dateFacets(hours, now),
	}
}

// add counts (sign 1) or uncounts (sign -1) a story.
func (t *tally) add(f facetTerms, sign int) {
	t.stories += sign
	for _, v := range f.values() {
		bump(t.terms, v, sign)
	}
}

func bump(m map[string]int, k string, by int) {
	if m[k] += by; m[k] <= 0 {
		delete(m, k)
	}
}

// apply folds a committed batch into the counts: after holds every story
// the batch wrote (nil: deleted), before their stored states.
func (t *tally) apply(before map[string]storedState, after map[string]*story.Story) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, n := range after {
		if b := before[id]; b.found {
			t.add(b.terms, -1)
		}
		if n != nil {
			t.add(termsOf(*n), 1)
		}
	}
}

// facets returns the counts as Search would: terms by count, then name,
// the first limit of them.
func (t *tally) facets(now time.Time) (total int, fs map[string][]Facet) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.stories, splitFacets(t.terms, now)
}

// window returns the start of the latest hour such that at least n stories
// were last updated in it or later; ok is false when fewer than n stories
// exist in all.
func (t *tally) window(n int) (hour string, ok bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.stories < n {
		return "", false
	}
	var hs []string
	for v := range t.terms {
		if h, ok := strings.CutPrefix(v, facetHourPrefix); ok {
			hs = append(hs, h)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(hs)))
	sum := 0
	for _, h := range hs {
		if sum += t.terms[facetHourPrefix+h]; sum >= n {
			return h, true
		}
	}
	return "", false
}

func top(m map[string]int, limit int) []Facet {
	out := make([]Facet, 0, len(m))
	for k, n := range m {
		out = append(out, Facet{Term: k, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Term < out[j].Term
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// load counts the stories already in the index, once, when it is opened.
func (t *tally) load(idx bleve.Index) error {
	req := bleve.NewSearchRequestOptions(termQuery(fieldKind, kindStory), 0, 0, false)
	req.AddFacet(fieldFacet, bleve.NewFacetRequest(fieldFacet, math.MaxInt32))
	res, err := idx.Search(req)
	if err != nil {
		return fmt.Errorf("count stories: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stories = int(res.Total)
	if fr := res.Facets[fieldFacet]; fr != nil && fr.Terms != nil {
		for _, term := range fr.Terms.Terms() {
			t.terms[term.Term] = term.Count
		}
	}
	return nil
}
