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
	// co holds, for the facet values browsed lately (one language or one
	// source, the search page's facet clicks), the facet counts of the
	// stories having that value, kept up to date like terms: browsing
	// within one value then needs no pass over its stories' doc values
	// either. At most coValues are kept, the oldest learnt dropped first.
	co      map[string]map[string]int
	coOrder []string
}

// coValues bounds the facet values whose co-occurring counts are kept.
const coValues = 64

func newTally() *tally { return &tally{terms: map[string]int{}, co: map[string]map[string]int{}} }

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
	vs := f.values()
	for _, v := range vs {
		bump(t.terms, v, sign)
	}
	if len(t.co) == 0 {
		return
	}
	for _, v := range vs {
		if m, ok := t.co[v]; ok {
			for _, u := range vs {
				bump(m, u, sign)
			}
		}
	}
}

// known tells whether the counts among the stories having value v are kept.
func (t *tally) known(v string) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	_, ok := t.co[v]
	return ok
}

// learn keeps counts as the facet counts among the stories having value v.
// The caller holds the index's apply lock, so that no batch lands between
// the search that counted them and this.
func (t *tally) learn(v string, counts map[string]int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.co[v]; ok {
		return
	}
	if len(t.coOrder) == coValues {
		delete(t.co, t.coOrder[0])
		t.coOrder = t.coOrder[1:]
	}
	t.co[v] = counts
	t.coOrder = append(t.coOrder, v)
}

// facetsAmong is facets over the stories having value v; ok is false when
// their counts are not kept.
func (t *tally) facetsAmong(v string, now time.Time) (total int, fs map[string][]Facet, ok bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	m, ok := t.co[v]
	if !ok {
		return 0, nil, false
	}
	return m[v], splitFacets(m, now), true
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
	return windowOf(t.terms, n)
}

// windowAmong is window over the stories having value v; ok is false when
// their counts are not kept or fewer than n stories have it.
func (t *tally) windowAmong(v string, n int) (hour string, ok bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	m, ok := t.co[v]
	if !ok || m[v] < n {
		return "", false
	}
	return windowOf(m, n)
}

// windowOf finds in counts the latest hour such that at least n stories
// were last updated in it or later.
func windowOf(counts map[string]int, n int) (hour string, ok bool) {
	var hs []string
	for v := range counts {
		if h, ok := strings.CutPrefix(v, facetHourPrefix); ok {
			hs = append(hs, h)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(hs)))
	sum := 0
	for _, h := range hs {
		if sum += counts[facetHourPrefix+h]; sum >= n {
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
