package index

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// Paging bounds.
const (
	DefaultListLimit  = 20
	DefaultSearchSize = 10
	MaxPageSize       = 100
	// MaxSearchDepth bounds From+Size: deep pages cost memory in bleve's
	// top-N collector and nobody reads them.
	MaxSearchDepth = 10000
	// MaxQueryLen bounds the query string: each word fans out over nine
	// fields, so a huge query is a cheap way to make the server work hard.
	MaxQueryLen = 1000
	facetSize   = 50
	maxSnippets = 3
)

// Sort orders of Search.
const (
	SortRelevance = "relevance"
	SortUpdated   = "updated"
)

// ListQuery selects stories for browsing. Empty filters match everything;
// From is inclusive and To exclusive, both on last_seen.
type ListQuery struct {
	Langs, Sources []string
	From, To       time.Time
	Limit          int
	Cursor         string // Next of the previous page
}

// Page is one page of List; Next is empty on the last page.
type Page struct {
	Stories []story.Story `json:"stories"`
	Next    string        `json:"next,omitempty"`
	Total   uint64        `json:"total"`
}

// SearchQuery is a full-text search. Q uses bleve's query-string syntax;
// plain words search all texts and the headline. Empty Q matches every story.
type SearchQuery struct {
	Q              string
	Langs, Sources []string
	From, To       time.Time
	Sort           string // SortRelevance (default) or SortUpdated
	Size, Offset   int    // page size and number of hits skipped
	// Now anchors the date facet's ranges (past day, week…); zero means
	// the current time.
	Now time.Time
}

// Facet names in SearchResult.Facets.
const (
	FacetLang   = "lang"
	FacetSource = "source"
	FacetDate   = "date" // ranges of last_seen relative to SearchQuery.Now
)

// dateRange is one bucket of the date facet: last_seen within the past age,
// or (age < 0) older than a year.
type dateRange struct {
	name string
	age  time.Duration
}

// dateRanges are cumulative, like a news search's "past week"; the order is
// the one the facet is returned in.
var dateRanges = []dateRange{
	{"24h", 24 * time.Hour},
	{"7d", 7 * 24 * time.Hour},
	{"30d", 30 * 24 * time.Hour},
	{"365d", 365 * 24 * time.Hour},
	{"older", -1},
}

// Hit is one matching story. Snippets are HTML: the article text escaped,
// the matched words wrapped in <mark>.
type Hit struct {
	Story    story.Story `json:"story"`
	Score    float64     `json:"score"`
	Snippets []string    `json:"snippets,omitempty"`
}

// Facet is one term of a facet and how many matching stories carry it. A
// date facet's bucket also gives its range, ready to use as From and To.
type Facet struct {
	Term  string    `json:"term"`
	Count int       `json:"count"`
	From  time.Time `json:"from,omitzero"`
	To    time.Time `json:"to,omitzero"`
}

// SearchResult is a page of hits with facets (FacetLang, FacetSource,
// FacetDate) over all matching stories.
type SearchResult struct {
	Hits   []Hit              `json:"hits"`
	Total  uint64             `json:"total"`
	Facets map[string][]Facet `json:"facets"`
	Took   time.Duration      `json:"took"`
}

// List returns stories newest last_seen first, a page at a time.
func (ix *Index) List(q ListQuery) (Page, error) {
	q.Sources = ix.sourceNames(q.Sources)
	filter, err := filterQuery(q.Langs, q.Sources, q.From, q.To)
	if err != nil {
		return Page{}, err
	}
	limit := clamp(q.Limit, DefaultListLimit)
	// One extra hit tells whether there is a next page.
	req := bleve.NewSearchRequestOptions(filter, limit+1, 0, false)
	req.SortByCustom(search.SortOrder{
		&search.SortField{Field: fieldUpdated, Type: search.SortFieldAsString, Desc: true},
		&search.SortDocID{},
	})
	if q.Cursor != "" {
		after, err := decodeCursor(q.Cursor)
		if err != nil {
			return Page{}, err
		}
		req.SearchAfter = after
	}
	req.Fields = []string{fieldJSON}
	res, err := ix.idx.Search(req)
	if err != nil {
		return Page{}, fmt.Errorf("list stories: %w", err)
	}
	p := Page{Stories: make([]story.Story, 0, limit), Total: res.Total}
	for i, h := range res.Hits {
		if i == limit {
			p.Next = encodeCursor(res.Hits[i-1].DecodedSort)
			break
		}
		s, err := hitStory(h)
		if err != nil {
			return Page{}, err
		}
		p.Stories = append(p.Stories, s)
	}
	return p, nil
}

// Search runs a full-text query with facets and highlighted snippets.
func (ix *Index) Search(q SearchQuery) (SearchResult, error) {
	start := time.Now()
	q.Sources = ix.sourceNames(q.Sources)
	filter, err := filterQuery(q.Langs, q.Sources, q.From, q.To)
	if err != nil {
		return SearchResult{}, err
	}
	size := clamp(q.Size, DefaultSearchSize)
	if q.Offset < 0 || q.Offset+size > MaxSearchDepth {
		return SearchResult{}, fmt.Errorf("%w: results past %d cannot be paged to", ErrBadQuery, MaxSearchDepth)
	}
	// No "_id" tie-break: it makes bleve load every hit's stored id, which
	// was a fifth of a search's time; ties fall back to index order.
	var sortBy []string
	switch q.Sort {
	case "", SortRelevance:
		sortBy = []string{"-_score", "-" + fieldUpdated}
	case SortUpdated:
		sortBy = []string{"-" + fieldUpdated, "-_score"}
	default:
		return SearchResult{}, fmt.Errorf("%w: sort must be %q or %q, not %q", ErrBadQuery, SortRelevance, SortUpdated, q.Sort)
	}

	text := strings.TrimSpace(q.Q)
	if len(text) > MaxQueryLen {
		return SearchResult{}, fmt.Errorf("%w: query is %d bytes long, at most %d are allowed", ErrBadQuery, len(text), MaxQueryLen)
	}
	if strings.Trim(text, "*") == "" {
		text = "" // "*" asks for everything, as an empty query does
	}
	// main searches the stories' own documents, inArticles the articles'.
	var main, inArticles query.Query = query.NewMatchAllQuery(), nil
	if text != "" {
		var err error
		if main, err = ix.parse(text, kindStory); err != nil {
			return SearchResult{}, err
		}
		if inArticles, err = ix.parse(text, kindArticle); err != nil {
			return SearchResult{}, err
		}
	}
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	browseAll := text == "" && len(q.Langs) == 0 && len(q.Sources) == 0 && q.From.IsZero() && q.To.IsZero()
	if browseAll {
		if out, ok, err := ix.browse(filter, sortBy, size, q.Offset, now); ok || err != nil {
			out.Took = time.Since(start)
			return out, err
		}
	}
	if v, one := oneFacetValue(q); one && text == "" && q.From.IsZero() && q.To.IsZero() {
		if out, ok, err := ix.browseAmong(v, filter, sortBy, size, q.Offset, now); ok || err != nil {
			out.Took = time.Since(start)
			return out, err
		}
	}
	var sq query.Query
	if text == "" {
		bq := query.NewBooleanQuery([]query.Query{main}, nil, nil)
		bq.AddFilter(filter)
		sq = bq
	} else {
		am, err := ix.matchArticles(context.Background(), inArticles)
		if err != nil {
			return SearchResult{}, ix.searchError(text, filter, err)
		}
		excl, err := ix.excludedStories(context.Background(), inArticles)
		if err != nil {
			return SearchResult{}, ix.searchError(text, filter, err)
		}
		sq = storyQuery(main, am, excl, filter)
	}

	req := bleve.NewSearchRequestOptions(sq, size, q.Offset, false)
	req.SortBy(sortBy)
	req.Fields = []string{fieldJSON}
	req.AddFacet(fieldFacet, facetRequest())
	// The term locations snippets are cut at (highlight.go).
	req.IncludeLocations = text != ""
	res, err := ix.idx.Search(req)
	if err != nil {
		return SearchResult{}, ix.searchError(text, filter, err)
	}

	out := SearchResult{Total: res.Total, Facets: facetsOf(res.Facets[fieldFacet], now)}
	if out.Hits, err = ix.hits(res, inArticles); err != nil {
		return SearchResult{}, err
	}
	out.Took = time.Since(start)
	return out, nil
}

// parse parses the query string text and expands it over the documents of
// kind, refusing patterns that stand for too many words.
func (ix *Index) parse(text, kind string) (query.Query, error) {
	parsed, err := query.NewQueryStringQuery(text).Parse()
	if err != nil {
		return nil, fmt.Errorf("%w: cannot parse %q (%v); use words, \"exact phrases\", +required, -excluded, field:value, prefix*, word~1", ErrBadQuery, text, err)
	}
	q := ix.expand(parsed, false, kind)
	if err := ix.checkExpansions(q); err != nil {
		return nil, err
	}
	return q, nil
}

// hits decodes a page of stories; when the search had words (e, expanded),
// each comes with snippets of its best matching article and of its titles.
func (ix *Index) hits(res *bleve.SearchResult, e query.Query) ([]Hit, error) {
	out := make([]Hit, 0, len(res.Hits))
	stories := make([]story.Story, 0, len(res.Hits))
	for _, h := range res.Hits {
		s, err := hitStory(h)
		if err != nil {
			return nil, err
		}
		stories = append(stories, s)
	}
	var found map[string][]string
	if e != nil {
		var err error
		if found, err = ix.articleSnippets(e, stories); err != nil {
			return nil, err
		}
	}
	for i, h := range res.Hits {
		s := stories[i]
		if err := ix.highlight(h, s); err != nil {
			return nil, err
		}
		out = append(out, Hit{Story: s, Score: h.Score, Snippets: snippets(found[s.ID], h)})
	}
	return out, nil
}

// browse answers a search without words or filters, the page's first view,
// from the in-memory facet counts; the page of stories comes from the
// latest hours that hold enough of them, not from sorting every story. Every
// story scores the same there, so this order is the one a full search
// gives. ok is false when the counts cannot tell a window.
func (ix *Index) browse(filter query.Query, sortBy []string, size, offset int, now time.Time) (SearchResult, bool, error) {
	hour, ok := ix.tally.window(offset + size)
	if !ok {
		return SearchResult{}, false, nil
	}
	res, ok, err := ix.recentPage(filter, hour, sortBy, size, offset)
	if !ok || err != nil {
		return SearchResult{}, ok, err
	}
	total, facets := ix.tally.facets(now)
	return ix.browseResult(res, total, facets)
}

// recentPage runs the page of a browse: the stories filter selects among
// those last updated in hour or later. The filter filters without scoring,
// as in the full search (scored, a story of two languages would rank apart
// from one of one). ok is false when hour cannot be read.
func (ix *Index) recentPage(filter query.Query, hour string, sortBy []string, size, offset int) (*bleve.SearchResult, bool, error) {
	from, err := time.Parse(hourKeyLayout, hour)
	if err != nil {
		return nil, false, nil
	}
	incl := true
	recent := query.NewDateRangeInclusiveQuery(from, time.Time{}, &incl, nil)
	recent.SetField(fieldLastSeen)
	bq := query.NewBooleanQuery([]query.Query{recent}, nil, nil)
	bq.AddFilter(filter)
	req := bleve.NewSearchRequestOptions(bq, size, offset, false)
	req.SortBy(sortBy)
	req.Fields = []string{fieldJSON}
	res, err := ix.idx.Search(req)
	if err != nil {
		return nil, true, fmt.Errorf("search: %w", err)
	}
	return res, true, nil
}

// browseResult is a browse's answer: its page and the tally's counts.
func (ix *Index) browseResult(res *bleve.SearchResult, total int, facets map[string][]Facet) (SearchResult, bool, error) {
	out := SearchResult{Total: uint64(total), Facets: facets}
	var err error
	if out.Hits, err = ix.hits(res, nil); err != nil {
		return SearchResult{}, true, err
	}
	return out, true, nil
}

// oneFacetValue is the facet value a query filters on when it filters on
// exactly one language or one source, as the story documents index it.
func oneFacetValue(q SearchQuery) (string, bool) {
	switch {
	case len(q.Langs) == 1 && len(q.Sources) == 0:
		if l := normLang(q.Langs[0]); l != "" {
			return facetLangPrefix + l, true
		}
	case len(q.Sources) == 1 && len(q.Langs) == 0:
		if src := strings.TrimSpace(q.Sources[0]); src != "" {
			return facetSourcePrefix + src, true
		}
	}
	return "", false
}

// browseAmong answers a search without words that filters on one facet
// value (v) as browse answers one without filters: counts from the tally,
// the page from the latest hours holding enough matching stories. The
// first time a value is browsed its counts are learnt from one faceted
// search and then kept up to date batch by batch.
func (ix *Index) browseAmong(v string, filter query.Query, sortBy []string, size, offset int, now time.Time) (SearchResult, bool, error) {
	if !ix.tally.known(v) {
		if err := ix.learnAmong(v, filter); err != nil {
			return SearchResult{}, true, err
		}
	}
	hour, ok := ix.tally.windowAmong(v, offset+size)
	if !ok {
		return SearchResult{}, false, nil
	}
	res, ok, err := ix.recentPage(filter, hour, sortBy, size, offset)
	if !ok || err != nil {
		return SearchResult{}, ok, err
	}
	total, facets, ok := ix.tally.facetsAmong(v, now)
	if !ok { // dropped for another value meanwhile
		return SearchResult{}, false, nil
	}
	return ix.browseResult(res, total, facets)
}

// learnAmong counts the facets of the stories filter selects (those having
// facet value v) and keeps them in the tally. It holds the apply lock: a
// batch landing between the count and the keeping would be counted twice.
func (ix *Index) learnAmong(v string, filter query.Query) error {
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	if ix.tally.known(v) {
		return nil
	}
	req := bleve.NewSearchRequestOptions(filter, 0, 0, false)
	req.AddFacet(fieldFacet, bleve.NewFacetRequest(fieldFacet, math.MaxInt32))
	res, err := ix.idx.Search(req)
	if err != nil {
		return fmt.Errorf("count stories with %s: %w", v, err)
	}
	counts := map[string]int{}
	if fr := res.Facets[fieldFacet]; fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			counts[t.Term] = t.Count
		}
	}
	ix.tally.learn(v, counts)
	return nil
}

// bounds gives the [from, to) range of a date bucket; a zero time is open.
// Ranges start on the hour, the date facet's resolution, so that a bucket's
// From used as a filter selects exactly the stories it counted.
func (d dateRange) bounds(now time.Time) (from, to time.Time) {
	if d.age < 0 {
		return time.Time{}, now.Add(-dateRanges[len(dateRanges)-2].age).UTC().Truncate(time.Hour)
	}
	return now.Add(-d.age).UTC().Truncate(time.Hour), time.Time{}
}

// maxFacetTerms bounds the distinct facet values a search collects (hours
// dominate: over eleven years of stories, older hours fall out).
const maxFacetTerms = 100_000

// facetRequest counts matching stories per faceted value (language, source,
// hour of last update) in one pass over one field; facetsOf splits them.
func facetRequest() *bleve.FacetRequest {
	return bleve.NewFacetRequest(fieldFacet, maxFacetTerms)
}

// facetsOf turns the counts of the combined facet into the result's facets.
func facetsOf(fr *search.FacetResult, now time.Time) map[string][]Facet {
	counts := map[string]int{}
	if fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			counts[t.Term] = t.Count
		}
	}
	return splitFacets(counts, now)
}

// dateFacets sums the stories counted per hour key into the buckets of
// dateRanges, in order, leaving out empty ones.
func dateFacets(hours map[string]int, now time.Time) []Facet {
	out := make([]Facet, 0, len(dateRanges))
	for _, d := range dateRanges {
		from, to := d.bounds(now)
		lo, hi := "", "~" // "~" sorts after every hour key
		if !from.IsZero() {
			lo = hourKey(from)
		}
		if !to.IsZero() {
			hi = hourKey(to)
		}
		n := 0
		for h, c := range hours {
			if h >= lo && h < hi {
				n += c
			}
		}
		if n > 0 {
			out = append(out, Facet{Term: d.name, Count: n, From: from, To: to})
		}
	}
	return out
}

// searchError tells a query bleve rejects (bad regexp, fuzziness too high…)
// from a failing index: if the filters alone still search fine, the query
// was at fault.
func (ix *Index) searchError(text string, filter query.Query, err error) error {
	if text == "" || errors.Is(err, bleve.ErrorIndexClosed) {
		return fmt.Errorf("search: %w", err)
	}
	if _, perr := ix.idx.Search(bleve.NewSearchRequestOptions(filter, 0, 0, false)); perr != nil {
		return fmt.Errorf("search: %w", err)
	}
	return fmt.Errorf("%w: cannot run %q: %v", ErrBadQuery, text, err)
}

// snippets picks the highlighted fragments: those of the best matching
// article (found) first, then those of the story's titles in titleFields
// order; the headline's only when nothing else matched, since it is shown
// anyway.
func snippets(found []string, h *search.DocumentMatch) []string {
	out := found[:min(len(found), maxSnippets)]
	for _, f := range titleFields() {
		for _, frag := range h.Fragments[f] {
			if len(out) < maxSnippets && strings.Contains(frag, "<mark>") {
				out = append(out, tidySnippet(frag))
			}
		}
	}
	if len(out) == 0 {
		for _, frag := range h.Fragments[fieldHeadline] {
			if strings.Contains(frag, "<mark>") {
				out = append(out, frag)
			}
		}
	}
	return out
}

// ellipsis is what bleve's highlighter puts where a fragment was cut.
const ellipsis = "…"

// tidySnippet drops the word fragments the highlighter leaves where it cut
// the text mid-word. It only cuts at a space in the unmarked, escaped text
// before the first <mark> or after the last </mark>, so it never splits a
// tag or an entity.
func tidySnippet(s string) string {
	if rest, ok := strings.CutPrefix(s, ellipsis); ok {
		if i, m := strings.IndexByte(rest, ' '), strings.Index(rest, "<mark>"); i >= 0 && i < m {
			s = ellipsis + rest[i+1:]
		}
	}
	if rest, ok := strings.CutSuffix(s, ellipsis); ok {
		if i, m := strings.LastIndexByte(rest, ' '), strings.LastIndex(rest, "</mark>"); i > m+len("</mark>")-1 && m >= 0 {
			s = rest[:i] + " " + ellipsis
		}
	}
	return s
}

func hitStory(h *search.DocumentMatch) (story.Story, error) {
	var s story.Story
	js, _ := h.Fields[fieldJSON].(string)
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		return s, fmt.Errorf("decode story %s: %w", h.ID, err)
	}
	return s, nil
}

func clamp(n, def int) int {
	switch {
	case n <= 0:
		return def
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}

// A cursor is the sort key of the last story of a page: its last_seen and
// its document id, base64url-encoded JSON so it stays opaque and URL-safe.
func encodeCursor(sortKey []string) string {
	b, _ := json.Marshal(sortKey)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c string) ([]string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadCursor, err)
	}
	var key []string
	if err := json.Unmarshal(b, &key); err != nil || len(key) != 2 {
		return nil, fmt.Errorf("%w: not a cursor of this index", ErrBadCursor)
	}
	if _, err := time.Parse(time.RFC3339Nano, key[0]); err != nil || !strings.HasPrefix(key[1], storyPrefix) {
		return nil, fmt.Errorf("%w: not a cursor of this index", ErrBadCursor)
	}
	return key, nil
}
