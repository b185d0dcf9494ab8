package index

import (
	"encoding/json"
	"fmt"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"

	bindex "github.com/blevesearch/bleve_index_api"
)

// maxAliasHops bounds alias chains (a story merged into one later merged
// again); real chains are short, the bound only guards against a cycle.
const maxAliasHops = 32

// StoryView is a story with its members' full articles, in member order,
// of all of them or of a window (StoryWindow). A member whose article never
// reached the index is given by its metadata only.
type StoryView struct {
	story.Story
	Articles []article.Article `json:"articles"`
	// ArticlesFrom is the index of the member whose article comes first
	// in Articles: 0 when they start with the first member's.
	ArticlesFrom int `json:"articles_from"`
}

// Story returns the story with that id, or the story it was merged into,
// with every member's article.
func (ix *Index) Story(id string) (StoryView, bool, error) { return ix.StoryWindow(id, -1, -1) }

// StoryWindow is Story with the articles of at most n members (n < 0: all),
// those just before member index before (before < 0: the newest). A story
// open for months holds thousands of members, whose articles read whole
// cost a reader seconds and tens of megabytes.
func (ix *Index) StoryWindow(id string, before, n int) (StoryView, bool, error) {
	s, ok, err := ix.resolve(id)
	if err != nil || !ok {
		return StoryView{}, ok, err
	}
	hi := len(s.Members)
	if before >= 0 && before < hi {
		hi = before
	}
	lo := 0
	if n >= 0 {
		lo = max(0, hi-n)
	}
	v := StoryView{Story: s, Articles: make([]article.Article, 0, hi-lo), ArticlesFrom: lo}
	for _, m := range s.Members[lo:hi] {
		a, ok, err := ix.storedArticle(m.ArticleID)
		if err != nil {
			return StoryView{}, false, fmt.Errorf("story %s: %w", s.ID, err)
		}
		if !ok {
			a = article.Article{ID: m.ArticleID, URL: m.URL, Source: m.Source, Title: m.Title, Lang: m.Lang, Published: m.Published}
		}
		v.Articles = append(v.Articles, a)
	}
	return v, true, nil
}

// resolve follows aliases from id to a live story, in its newest version:
// one the refresh interval deferred is read before the index.
func (ix *Index) resolve(id string) (story.Story, bool, error) {
	seen := make(map[string]bool)
	for range maxAliasHops {
		if id == "" || seen[id] {
			return story.Story{}, false, nil
		}
		seen[id] = true
		if d, ok := ix.deferredStory(id); ok {
			return *d, true, nil
		}
		s, ok, err := ix.storedStory(id)
		if err != nil || ok {
			return s, ok, err
		}
		next, ok, err := ix.aliasTarget(id)
		if err != nil || !ok {
			return story.Story{}, false, err
		}
		id = next
	}
	return story.Story{}, false, nil
}

// storedField returns the stored value of field in document docID.
func (ix *Index) storedField(docID, field string) ([]byte, bool, error) {
	vals, ok, err := ix.storedFields(docID, field)
	if err != nil || !ok || vals[0] == nil {
		return nil, false, err
	}
	return vals[0], true, nil
}

// storedFields returns the stored values of fields in document docID, in
// their order (nil for a field the document lacks), from one read of it;
// ok is false when there is no such document.
func (ix *Index) storedFields(docID string, fields ...string) ([][]byte, bool, error) {
	doc, err := ix.idx.Document(docID)
	if err != nil {
		return nil, false, fmt.Errorf("load %s: %w", docID, err)
	}
	if doc == nil {
		return nil, false, nil
	}
	vals := make([][]byte, len(fields))
	doc.VisitFields(func(f bindex.Field) {
		for i, name := range fields {
			if vals[i] == nil && f.Name() == name {
				vals[i] = f.Value()
			}
		}
	})
	return vals, true, nil
}

func (ix *Index) storedStory(id string) (story.Story, bool, error) {
	var s story.Story
	ok, err := ix.storedJSON(storyPrefix+id, &s)
	return s, ok, err
}

func (ix *Index) storedArticle(id string) (article.Article, bool, error) {
	var a article.Article
	if id == "" {
		return a, false, nil
	}
	ok, err := ix.storedJSON(articlePrefix+id, &a)
	return a, ok, err
}

func (ix *Index) storedJSON(docID string, v any) (bool, error) {
	b, ok, err := ix.storedField(docID, fieldJSON)
	if err != nil || !ok {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("decode %s: %w", docID, err)
	}
	return true, nil
}

// aliasTarget returns the story that id was merged into, if it was.
func (ix *Index) aliasTarget(id string) (string, bool, error) {
	b, ok, err := ix.storedField(aliasPrefix+id, fieldTarget)
	if err != nil || !ok {
		return "", false, err
	}
	return string(b), true, nil
}
