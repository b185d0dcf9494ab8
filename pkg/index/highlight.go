package index

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// Neither story nor article documents store their text. Each article is
// stored once already, as JSON in its document; storing its text again, in
// every version of its story's document, made the index about a sixth
// larger, and merges copy stored fields. A search asks bleve for the term
// locations of its hits instead, and the snippets are cut from the texts
// rebuilt as the documents were built (storyTitles, articleText), so that
// the texts match the locations byte for byte.

// newHighlighter gives bleve's HTML highlighter (escaped text, <mark>ed
// terms), the one a search request naming the "html" style uses.
func newHighlighter() (highlight.Highlighter, error) {
	h, err := registry.NewCache().HighlighterNamed(html.Name)
	if err != nil {
		return nil, fmt.Errorf("highlighter %s: %w", html.Name, err)
	}
	return h, nil
}

// highlight fills h.Fragments with the best fragment of every field the
// search matched in story s's own document (headline and titles).
func (ix *Index) highlight(h *search.DocumentMatch, s story.Story) error {
	if len(h.Locations) == 0 {
		return nil
	}
	texts, err := storyTitles(s, ix.articleText)
	if err != nil {
		return fmt.Errorf("snippets of %s: %w", h.ID, err)
	}
	doc := document.NewDocument(h.ID)
	if _, ok := h.Locations[fieldHeadline]; ok {
		doc.AddField(document.NewTextField(fieldHeadline, nil, []byte(s.Headline)))
	}
	for f, ts := range texts {
		if _, ok := h.Locations[f]; !ok {
			continue
		}
		for i, t := range ts {
			doc.AddField(document.NewTextField(f, []uint64{uint64(i)}, []byte(t)))
		}
	}
	for f := range h.Locations {
		// One fragment per field, as bleve's own highlighting of a hit.
		ix.highlighter.BestFragmentsInField(h, doc, f, 1)
	}
	return nil
}

// articleSnippets gives, for each of stories, the highlighted fragments of
// its article that the expanded query e matches best, if any does. One
// search serves the page: its stories' articles are few, and e is run
// only over them (a conjunction led by the stories' ids), since fetching
// the term locations of every article e matches cost a whole search per
// story.
func (ix *Index) articleSnippets(e query.Query, stories []story.Story) (map[string][]string, error) {
	owner := map[string]string{} // story id or alias → page story
	var ids []string
	for _, s := range stories {
		for _, id := range append([]string{s.ID}, s.Aliases...) {
			if _, dup := owner[id]; !dup && id != "" {
				owner[id] = s.ID
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	q := query.NewConjunctionQuery([]query.Query{anyTerm(fieldStory, ids, strings.TrimSpace), e})
	bq := query.NewBooleanQuery([]query.Query{q}, nil, nil)
	bq.AddFilter(termQuery(fieldKind, kindArticle))
	req := bleve.NewSearchRequestOptions(bq, maxSnippetArticles, 0, false)
	req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}, &search.SortField{Field: fieldStory}})
	req.IncludeLocations = true
	req.Fields = []string{fieldTitleOnly}
	res, err := ix.idx.Search(req)
	if err != nil {
		return nil, fmt.Errorf("snippets: %w", err)
	}
	out := map[string][]string{}
	for _, h := range res.Hits {
		if len(h.Sort) < 2 || len(h.Locations) == 0 {
			continue
		}
		sid, ok := owner[h.Sort[1]]
		if _, done := out[sid]; !ok || done {
			continue // the best article of its story came first
		}
		frags, err := ix.articleFragments(h)
		if err != nil {
			return nil, err
		}
		if len(frags) > 0 {
			out[sid] = frags
		}
	}
	return out, nil
}

// maxSnippetArticles bounds the articles whose term locations a page's
// snippets read: the best of them, most often of many stories.
const maxSnippetArticles = 200

// articleFragments highlights the article of hit h.
func (ix *Index) articleFragments(h *search.DocumentMatch) ([]string, error) {
	t, err := ix.articleText(h.ID[len(articlePrefix):])
	if err != nil {
		return nil, fmt.Errorf("snippets of %s: %w", h.ID, err)
	}
	titleOnly, _ := h.Fields[fieldTitleOnly].(string)
	text := []byte(articleText(t, titleOnly != ""))
	doc := document.NewDocument(h.ID)
	for f := range h.Locations {
		if strings.HasPrefix(f, "text_") {
			doc.AddField(document.NewTextField(f, nil, text))
		}
	}
	var out []string
	for _, f := range textFields() {
		if _, ok := h.Locations[f]; !ok {
			continue
		}
		for _, frag := range ix.highlighter.BestFragmentsInField(h, doc, f, 1) {
			if strings.Contains(frag, "<mark>") {
				out = append(out, tidySnippet(frag))
			}
		}
	}
	return out, nil
}

// articleText gives a member's title, language and body for a snippet:
// from the cache of recent members, else from its stored article.
func (ix *Index) articleText(id string) (memberText, error) {
	if t, ok := ix.bodies.get(id); ok {
		return t, nil
	}
	a, ok, err := ix.storedArticle(id)
	if err != nil || !ok {
		return memberText{}, err
	}
	return memberTextOf(a), nil
}
