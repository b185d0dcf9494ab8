package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// Story documents do not store their text. Each member's body is stored
// once already, in its article document; storing it again in every version
// of its story's document made the index about a sixth larger, and merges
// copy stored fields. A search asks bleve for the term locations of its
// hits instead, and the snippets are cut from the hit story's texts
// rebuilt as its document was built (storyTexts): the stored story is the
// version the document was written from, so the texts match the
// locations byte for byte.

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
// search matched in story s.
func (ix *Index) highlight(h *search.DocumentMatch, s story.Story) error {
	if len(h.Locations) == 0 {
		return nil
	}
	// The last value of each text field that matched: texts past it are
	// not needed, so the layout stops there.
	last := map[string]int{}
	for f, terms := range h.Locations {
		if f == fieldHeadline {
			continue
		}
		last[f] = -1
		for _, locs := range terms {
			for _, l := range locs {
				if len(l.ArrayPositions) == 1 {
					last[f] = max(last[f], int(l.ArrayPositions[0]))
				}
			}
		}
	}
	texts, err := storyTexts(s, ix.articleText, func(texts map[string][]string) bool {
		for f, n := range last {
			if len(texts[f]) <= n {
				return false
			}
		}
		return true
	})
	if err != nil {
		return fmt.Errorf("snippets of %s: %w", h.ID, err)
	}
	doc := document.NewDocument(h.ID)
	if _, ok := h.Locations[fieldHeadline]; ok {
		doc.AddField(document.NewTextField(fieldHeadline, nil, []byte(s.Headline)))
	}
	for f, ts := range texts {
		if _, ok := last[f]; !ok {
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
