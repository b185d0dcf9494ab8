package feedout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// JSONFeedVersion is the URL that names the JSON Feed version written.
const JSONFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Authors     []jsonAuthor `json:"authors"`
	Items       []jsonItem   `json:"items"`
	Extension   jsonFeedExt  `json:"_newsdedup"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonFeedExt struct {
	Generator string    `json:"generator"`
	Updated   time.Time `json:"updated"`
}

type jsonItem struct {
	ID            string      `json:"id"`
	URL           string      `json:"url"`
	Title         string      `json:"title"`
	ContentHTML   string      `json:"content_html"`
	Summary       string      `json:"summary"`
	DatePublished string      `json:"date_published"`
	DateModified  string      `json:"date_modified"`
	Language      string      `json:"language,omitempty"`
	Tags          []string    `json:"tags,omitempty"`
	Extension     jsonItemExt `json:"_newsdedup"`
}

// jsonItemExt carries what a consumer needs to fetch or dedupe the story;
// JSON Feed reserves keys starting with an underscore for extensions.
type jsonItemExt struct {
	StoryID   string   `json:"story_id"`
	Version   int      `json:"version"`
	Articles  int      `json:"articles"`
	Languages []string `json:"languages"`
	Sources   []string `json:"sources"`
}

// JSON renders stories, in the order given, as a JSON Feed 1.1 document.
func JSON(f Feed, stories []story.Story) ([]byte, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	doc := jsonFeed{
		Version: JSONFeedVersion, Title: f.Title, HomePageURL: f.HomeURL, FeedURL: f.FeedURL,
		Description: f.Description, Authors: []jsonAuthor{{Name: Generator}},
		Items:     make([]jsonItem, 0, len(stories)),
		Extension: jsonFeedExt{Generator: Generator, Updated: f.updated(stories)},
	}
	for _, s := range stories {
		content, err := contentHTML(s)
		if err != nil {
			return nil, err
		}
		it := jsonItem{
			ID: f.id(s.ID), URL: f.link(s.ID), Title: headline(s), ContentHTML: content, Summary: summary(s),
			DatePublished: published(s).Format(time.RFC3339), DateModified: modified(s).Format(time.RFC3339),
			Tags: append(append([]string(nil), s.Languages...), s.Sources...),
			Extension: jsonItemExt{StoryID: s.ID, Version: s.Version, Articles: s.Size(),
				Languages: nonNil(s.Languages), Sources: nonNil(s.Sources)},
		}
		if len(s.Languages) == 1 {
			it.Language = s.Languages[0]
		}
		doc.Items = append(doc.Items, it)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("feedout: encode JSON feed: %w", err)
	}
	return b.Bytes(), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
