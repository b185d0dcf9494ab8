package index

import (
	"encoding/json"
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// ArticleView is an article and the story it belongs to now: the one it
// joined, or the story that one was merged into, in its newest version.
type ArticleView struct {
	Article article.Article `json:"article"`
	Story   story.Story     `json:"story"`
}

// Article returns article id and its story. ok is false when no story
// event has carried the article yet.
func (ix *Index) Article(id string) (ArticleView, bool, error) {
	if id == "" {
		return ArticleView{}, false, nil
	}
	vals, ok, err := ix.storedFields(articlePrefix+id, fieldJSON, fieldStory)
	if err != nil || !ok || vals[0] == nil || vals[1] == nil {
		return ArticleView{}, false, err
	}
	var v ArticleView
	if err := json.Unmarshal(vals[0], &v.Article); err != nil {
		return ArticleView{}, false, fmt.Errorf("decode article %s: %w", id, err)
	}
	s, ok, err := ix.resolve(string(vals[1]))
	if err != nil || !ok {
		return ArticleView{}, false, err
	}
	v.Story = s
	return v, true, nil
}

// ArticleByURL is Article for the article published at rawURL, compared
// as canonical URLs (article.CanonicalURL: no tracking parameters, no
// fragment, ...), so a link as shared finds the page as fetched. When
// several articles came from one address (imports may give their own
// ids), the one with the least id is taken, so the answer is stable.
func (ix *Index) ArticleByURL(rawURL string) (ArticleView, bool, error) {
	canon := article.CanonicalURL(rawURL)
	if canon == "" {
		return ArticleView{}, false, nil
	}
	q := bleve.NewTermQuery(canon)
	q.SetField(fieldURL)
	req := bleve.NewSearchRequestOptions(q, 1, 0, false)
	req.SortBy([]string{"_id"})
	res, err := ix.idx.Search(req)
	if err != nil {
		return ArticleView{}, false, fmt.Errorf("article by url: %w", err)
	}
	if len(res.Hits) == 0 {
		return ArticleView{}, false, nil
	}
	return ix.Article(res.Hits[0].ID[len(articlePrefix):])
}
