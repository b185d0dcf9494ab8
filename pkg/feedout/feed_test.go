package feedout

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsdedup/newsdedup/pkg/story"
)

var t0 = time.Date(2025, 12, 14, 9, 30, 0, 0, time.UTC)

const evil = `<script>alert("x")</script> Grève & "sciopero"`

func testFeed() Feed {
	return Feed{Title: "newsdedup stories", Description: "Latest stories", HomeURL: "http://news.example/", FeedURL: "http://news.example/feed.atom"}
}

func testStories() []story.Story {
	pub := t0.Add(-time.Hour)
	return []story.Story{
		{
			ID: "st-1", Headline: evil, Languages: []string{"fr", "it"}, Sources: []string{"a.example", "b.example"},
			FirstSeen: t0, LastSeen: t0.Add(2 * time.Hour), Version: 3,
			Entities: []story.Entity{{Name: "Beauvau", Weight: 2}},
			Edits: []story.Edited{{Edit: story.Edit{ID: "c-1", By: "night desk", Note: evil}, Type: story.Merged,
				Absorbed: []string{"st-9"}, At: t0.Add(time.Hour)}, {Edit: story.Edit{ID: "c-2", By: "day desk"}, Type: story.Split,
				Articles: []string{"a4", "a5"}, Into: "st-10", At: t0.Add(2 * time.Hour)}},
			Members: []story.Member{
				{ArticleID: "a1", Title: evil, URL: "https://a.example/1", Source: "a.example", Lang: "it", Published: &pub, Added: t0},
				{ArticleID: "a2", Title: "Deuxième", URL: "javascript:alert(1)", Source: "b.example", Lang: "fr", Added: t0.Add(time.Hour)},
				// Untitled (a plain text file): named by its lead.
				{ArticleID: "a3", Lead: "Copia della nota…", URL: "https://a.example/3", Source: "a.example", Lang: "it", Added: t0.Add(2 * time.Hour), DuplicateOf: "a1"},
			},
		},
		{ID: "st 2/é", Languages: []string{"en"}, Sources: []string{"c.example"}, LastSeen: t0,
			Members: []story.Member{{ArticleID: "c1", Title: "Harbour fog", Source: "c.example", Lang: "en", Added: t0}}},
	}
}

func TestInvalidFeed(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Feed)
	}{
		{"no title", func(f *Feed) { f.Title = " " }},
		{"relative home", func(f *Feed) { f.HomeURL = "/" }},
		{"no feed url", func(f *Feed) { f.FeedURL = "" }},
	}
	for _, tc := range tests {
		for name, render := range map[string]func(Feed, []story.Story) ([]byte, error){"json": JSON, "atom": Atom} {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				f := testFeed()
				tc.edit(&f)
				if _, err := render(f, testStories()); !errors.Is(err, ErrInvalidFeed) {
					t.Errorf("err = %v, want ErrInvalidFeed", err)
				}
			})
		}
	}
}

// TestJSONFeedSpec checks the members JSON Feed 1.1 requires or defines,
// with their types: version, title and items at the top; every item an id
// (a string) and content_html or content_text; dates in RFC 3339.
func TestJSONFeedSpec(t *testing.T) {
	b, err := JSON(testFeed(), testStories())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc["version"] != "https://jsonfeed.org/version/1.1" {
		t.Errorf("version = %v", doc["version"])
	}
	if s, _ := doc["title"].(string); s == "" {
		t.Error("no title")
	}
	for _, k := range []string{"home_page_url", "feed_url"} {
		if s, _ := doc[k].(string); !absURL(s) {
			t.Errorf("%s = %v, want an absolute URL", k, doc[k])
		}
	}
	if a, _ := doc["authors"].([]any); len(a) == 0 {
		t.Error("no authors")
	}
	items, ok := doc["items"].([]any)
	if !ok || len(items) != 2 {
		t.Fatalf("items = %v", doc["items"])
	}
	ids := map[string]bool{}
	for i, raw := range items {
		it := raw.(map[string]any)
		id, _ := it["id"].(string)
		if id == "" || ids[id] {
			t.Errorf("item %d: id %v missing or repeated", i, it["id"])
		}
		ids[id] = true
		html, _ := it["content_html"].(string)
		text, _ := it["content_text"].(string)
		if html == "" && text == "" {
			t.Errorf("item %d: neither content_html nor content_text", i)
		}
		for _, k := range []string{"date_published", "date_modified"} {
			if s, _ := it[k].(string); s != "" {
				if _, err := time.Parse(time.RFC3339, s); err != nil {
					t.Errorf("item %d: %s %q is not RFC 3339", i, k, s)
				}
			}
		}
		if u, _ := it["url"].(string); !absURL(u) {
			t.Errorf("item %d: url %v", i, it["url"])
		}
		for k := range it {
			if !jsonItemKeys[k] && !strings.HasPrefix(k, "_") {
				t.Errorf("item %d: %q is not a JSON Feed 1.1 item member", i, k)
			}
		}
	}
	checkContent(t, items[0].(map[string]any)["content_html"].(string))
	if lang := items[1].(map[string]any)["language"]; lang != "en" {
		t.Errorf("single-language item language = %v", lang)
	}
}

var jsonItemKeys = map[string]bool{"id": true, "url": true, "external_url": true, "title": true, "content_html": true,
	"content_text": true, "summary": true, "image": true, "banner_image": true, "date_published": true,
	"date_modified": true, "authors": true, "tags": true, "language": true, "attachments": true}

// checkContent: the story's content HTML escapes what the article supplied
// and links only to web URLs.
func checkContent(t *testing.T, html string) {
	t.Helper()
	if strings.Contains(html, "<script") || strings.Contains(html, "javascript:") {
		t.Errorf("content holds live markup: %s", html)
	}
	for _, want := range []string{"&lt;script&gt;", `<a href="https://a.example/1">`, `<a href="https://a.example/3">Copia della nota…</a>`, "Beauvau", "near-duplicate", "3 articles in fr, it from 2 sources",
		"<p>Merged by an editor (night desk): 1 story taken in – &lt;script&gt;",
		"<p>Split by an editor (day desk): 2 articles moved to a story of their own.</p>"} {
		if !strings.Contains(html, want) {
			t.Errorf("content lacks %q: %s", want, html)
		}
	}
}

func absURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs() && u.Host != ""
}

// TestAtomSpec checks RFC 4287's requirements: feed id, title, updated, an
// author (here on the feed) and a self link; every entry an id, title,
// updated and an alternate link; dates in RFC 3339; text constructs typed.
func TestAtomSpec(t *testing.T) {
	b, err := Atom(testFeed(), testStories())
	if err != nil {
		t.Fatal(err)
	}
	type link struct {
		Rel   string `xml:"rel,attr"`
		Href  string `xml:"href,attr"`
		Title string `xml:"title,attr"`
	}
	type text struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	}
	var doc struct {
		XMLName xml.Name
		ID      []string `xml:"id"`
		Title   []text   `xml:"title"`
		Updated []string `xml:"updated"`
		Author  []struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links   []link `xml:"link"`
		Entries []struct {
			ID        []string `xml:"id"`
			Title     []text   `xml:"title"`
			Updated   []string `xml:"updated"`
			Published []string `xml:"published"`
			Links     []link   `xml:"link"`
			Content   text     `xml:"content"`
		} `xml:"entry"`
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, b)
	}
	if doc.XMLName.Space != AtomNS || doc.XMLName.Local != "feed" {
		t.Fatalf("root = %v", doc.XMLName)
	}
	one := func(what string, n int) {
		if n != 1 {
			t.Errorf("%s appears %d times, want once", what, n)
		}
	}
	isDate := func(what string, ss []string) {
		for _, s := range ss {
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				t.Errorf("%s %q is not RFC 3339", what, s)
			}
		}
	}
	one("feed id", len(doc.ID))
	one("feed title", len(doc.Title))
	one("feed updated", len(doc.Updated))
	isDate("feed updated", doc.Updated)
	if len(doc.ID) == 1 && !absURL(doc.ID[0]) {
		t.Errorf("feed id %q is not an IRI", doc.ID[0])
	}
	if len(doc.Author) == 0 || doc.Author[0].Name == "" {
		t.Error("feed has no author, and entries have none either")
	}
	rels := map[string]string{}
	for _, l := range doc.Links {
		rels[l.Rel] = l.Href
	}
	if rels["self"] != testFeed().FeedURL || !absURL(rels["alternate"]) {
		t.Errorf("feed links = %v", doc.Links)
	}
	if len(doc.Entries) != 2 {
		t.Fatalf("%d entries", len(doc.Entries))
	}
	for i, e := range doc.Entries {
		one("entry id", len(e.ID))
		one("entry title", len(e.Title))
		one("entry updated", len(e.Updated))
		isDate("entry updated", e.Updated)
		isDate("entry published", e.Published)
		if len(e.ID) == 1 {
			if u, err := url.Parse(e.ID[0]); err != nil || u.Scheme == "" {
				t.Errorf("entry %d id %q is not an IRI", i, e.ID[0])
			}
		}
		alt := 0
		for _, l := range e.Links {
			if l.Rel == "alternate" {
				alt++
			}
			if !absURL(l.Href) {
				t.Errorf("entry %d links to %q", i, l.Href)
			}
		}
		one("entry alternate link", alt)
		if e.Content.Type != "html" {
			t.Errorf("entry %d content type %q", i, e.Content.Type)
		}
	}
	if doc.Entries[0].Title[0].Body != evil {
		t.Errorf("title = %q, want it kept as text", doc.Entries[0].Title[0].Body)
	}
	checkContent(t, doc.Entries[0].Content.Body)
	// Each member's page is a related link, titled by its title or lead.
	var related []string
	for _, l := range doc.Entries[0].Links {
		if l.Rel == "related" {
			related = append(related, l.Title)
		}
	}
	if !slices.Equal(related, []string{evil, "Copia della nota…"}) {
		t.Errorf("related links titled %q, want the first member's title and the untitled one's lead", related)
	}
	if strings.Contains(string(b), "<script") {
		t.Error("raw <script> in the XML")
	}
}

// TestFeedsParse reads both feeds with gofeed, as a feed reader would.
func TestFeedsParse(t *testing.T) {
	for name, render := range map[string]func(Feed, []story.Story) ([]byte, error){"json": JSON, "atom": Atom} {
		t.Run(name, func(t *testing.T) {
			b, err := render(testFeed(), testStories())
			if err != nil {
				t.Fatal(err)
			}
			f, err := gofeed.NewParser().Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("gofeed: %v\n%s", err, b)
			}
			if f.Title != "newsdedup stories" || len(f.Items) != 2 {
				t.Fatalf("feed %q with %d items", f.Title, len(f.Items))
			}
			it := f.Items[0]
			if it.Title != evil || it.GUID != "urn:newsdedup:story:st-1" || it.Link != "http://news.example/#/story/st-1" {
				t.Errorf("item = %q %q %q", it.Title, it.GUID, it.Link)
			}
			if it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(t0.Add(2*time.Hour)) {
				t.Errorf("updated = %v", it.UpdatedParsed)
			}
			if it.PublishedParsed == nil || !it.PublishedParsed.Equal(t0) {
				t.Errorf("published = %v", it.PublishedParsed)
			}
			if f.Items[1].Link != "http://news.example/#/story/st%202%2F%C3%A9" {
				t.Errorf("escaped link = %q", f.Items[1].Link)
			}
			if f.Items[1].Title != "Harbour fog" {
				t.Errorf("headline fallback = %q", f.Items[1].Title)
			}
		})
	}
}

func TestEmptyFeed(t *testing.T) {
	for name, render := range map[string]func(Feed, []story.Story) ([]byte, error){"json": JSON, "atom": Atom} {
		b, err := render(testFeed(), nil)
		if err != nil {
			t.Fatal(err)
		}
		f, err := gofeed.NewParser().Parse(bytes.NewReader(b))
		if err != nil || len(f.Items) != 0 {
			t.Errorf("%s: %v, %v", name, f, err)
		}
	}
}
