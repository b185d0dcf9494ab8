// Package feedout renders stories as feeds for newsroom consumers: JSON Feed
// 1.1 (https://jsonfeed.org/version/1.1) and Atom 1.0 (RFC 4287). It is pure:
// stories in, bytes out, no I/O.
package feedout

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// Media types of the two feeds.
const (
	JSONFeedType = "application/feed+json; charset=utf-8"
	AtomType     = "application/atom+xml; charset=utf-8"
)

// Generator names this software in both feeds.
const Generator = "newsdedup"

// Feed describes a feed as a whole and how stories are linked.
type Feed struct {
	Title       string // required
	Description string
	HomeURL     string // absolute URL of the page the stories come from; required
	FeedURL     string // absolute URL of this feed; required
	// Updated is the feed's last change; zero means the newest story's
	// last_seen, or the Unix epoch for a feed without stories.
	Updated time.Time
	// Link returns the absolute URL of a story's page; nil gives
	// HomeURL#/story/<id>, the search page's story view.
	Link func(storyID string) string
	// ID returns a story's permanent, unique identifier (an IRI); nil gives
	// urn:newsdedup:story:<id>, which survives a change of host.
	ID func(storyID string) string
}

func (f Feed) check() error {
	if strings.TrimSpace(f.Title) == "" {
		return fmt.Errorf("%w: no title", ErrInvalidFeed)
	}
	for name, u := range map[string]string{"home URL": f.HomeURL, "feed URL": f.FeedURL} {
		p, err := url.Parse(u)
		if err != nil || !p.IsAbs() || p.Host == "" {
			return fmt.Errorf("%w: %s %q is not an absolute URL", ErrInvalidFeed, name, u)
		}
	}
	return nil
}

func (f Feed) link(id string) string {
	if f.Link != nil {
		return f.Link(id)
	}
	return strings.TrimRight(strings.SplitN(f.HomeURL, "#", 2)[0], "/") + "/#/story/" + url.PathEscape(id)
}

func (f Feed) id(id string) string {
	if f.ID != nil {
		return f.ID(id)
	}
	return "urn:newsdedup:story:" + url.PathEscape(id)
}

func (f Feed) updated(stories []story.Story) time.Time {
	if !f.Updated.IsZero() {
		return f.Updated.UTC()
	}
	var t time.Time
	for _, s := range stories {
		if s.LastSeen.After(t) {
			t = s.LastSeen
		}
	}
	if t.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return t.UTC()
}

// published is a story's first appearance, never zero (both formats need a
// date): first_seen, else last_seen.
func published(s story.Story) time.Time {
	if !s.FirstSeen.IsZero() {
		return s.FirstSeen.UTC()
	}
	return s.LastSeen.UTC()
}

func modified(s story.Story) time.Time {
	if s.LastSeen.IsZero() {
		return published(s)
	}
	return s.LastSeen.UTC()
}

func headline(s story.Story) string {
	if h := strings.TrimSpace(s.Headline); h != "" {
		return h
	}
	for _, m := range s.Members {
		if t := strings.TrimSpace(m.Title); t != "" {
			return t
		}
	}
	return "Story " + s.ID
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// summary is the one-line, plain-text description of a story.
func summary(s story.Story) string {
	parts := []string{plural(s.Size(), "article", "articles")}
	if len(s.Languages) > 0 {
		parts = append(parts, "in "+strings.Join(s.Languages, ", "))
	}
	if len(s.Sources) > 0 {
		parts = append(parts, "from "+plural(len(s.Sources), "source", "sources"))
	}
	return strings.Join(parts, " ") + "."
}

// contentTmpl is the HTML body of an item; html/template escapes every
// value and refuses non-web URLs in href.
var contentTmpl = template.Must(template.New("content").Parse(
	`<p>{{.Summary}}{{if .Entities}} Key names: {{.Entities}}.{{end}}</p>` +
		`<ul>{{range .Members}}<li>{{if .URL}}<a href="{{.URL}}">{{.Title}}</a>{{else}}{{.Title}}{{end}}` +
		`{{if .Source}} ({{.Source}}{{if .Lang}}, {{.Lang}}{{end}}){{else if .Lang}} ({{.Lang}}){{end}}` +
		`{{if .DuplicateOf}} – near-duplicate{{end}}</li>{{end}}</ul>` +
		`{{range .Edits}}<p>{{.What}} by an editor ({{.By}}){{.How}}{{if .Note}} – {{.Note}}{{end}}.</p>{{end}}`))

// maxEntities bounds the names quoted in an item's content.
const maxEntities = 5

func contentHTML(s story.Story) (string, error) {
	type member struct{ URL, Title, Source, Lang, DuplicateOf string }
	type edit struct{ What, By, How, Note string }
	data := struct {
		Summary, Entities string
		Members           []member
		Edits             []edit
	}{Summary: summary(s)}
	for _, e := range s.Edits {
		x := edit{By: cmp.Or(e.By, "unnamed"), Note: e.Note}
		switch e.Type {
		case story.Split:
			x.What, x.How = "Split", ": "+plural(len(e.Articles), "article", "articles")+" moved to a story of their own"
		case story.Created:
			x.What, x.How = "Split out", " from another story"
		default:
			x.What, x.How = "Merged", ": "+plural(len(e.Absorbed), "story", "stories")+" taken in"
		}
		data.Edits = append(data.Edits, x)
	}
	var names []string
	for _, e := range s.Entities {
		if len(names) == maxEntities {
			break
		}
		names = append(names, e.Name)
	}
	data.Entities = strings.Join(names, ", ")
	for _, m := range s.Members {
		title := cmp.Or(m.Title, m.Lead)
		if title == "" {
			title = m.URL
		}
		if title == "" {
			title = m.ArticleID
		}
		link := ""
		if isWebURL(m.URL) {
			link = m.URL
		}
		data.Members = append(data.Members, member{URL: link, Title: title, Source: m.Source, Lang: m.Lang, DuplicateOf: m.DuplicateOf})
	}
	var b bytes.Buffer
	if err := contentTmpl.Execute(&b, data); err != nil {
		return "", fmt.Errorf("feedout: story %s: %w", s.ID, err)
	}
	return b.String(), nil
}

// isWebURL tells an absolute http(s) URL, the only kind worth linking to.
func isWebURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}
