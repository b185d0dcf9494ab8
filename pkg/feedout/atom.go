package feedout

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// AtomNS is the Atom 1.0 namespace.
const AtomNS = "http://www.w3.org/2005/Atom"

// Category schemes tell a story's languages from its sources.
const (
	SchemeLanguage = "urn:newsdedup:language"
	SchemeSource   = "urn:newsdedup:source"
)

type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	ID        string      `xml:"id"`
	Title     atomText    `xml:"title"`
	Subtitle  *atomText   `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr"`
	Type     string `xml:"type,attr,omitempty"`
	Href     string `xml:"href,attr"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

// Atom renders stories, in the order given, as an Atom 1.0 feed. Each
// entry links to the story's page (alternate) and to every member article
// (related).
func Atom(f Feed, stories []story.Story) ([]byte, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	doc := atomFeed{
		NS: AtomNS, ID: f.FeedURL, Title: atomText{Type: "text", Body: f.Title},
		Updated: f.updated(stories).Format(time.RFC3339),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: f.FeedURL},
			{Rel: "alternate", Type: "text/html", Href: f.HomeURL},
		},
		Author: atomPerson{Name: Generator}, Generator: Generator,
		Entries: make([]atomEntry, 0, len(stories)),
	}
	if f.Description != "" {
		doc.Subtitle = &atomText{Type: "text", Body: f.Description}
	}
	for _, s := range stories {
		content, err := contentHTML(s)
		if err != nil {
			return nil, err
		}
		e := atomEntry{
			ID: f.id(s.ID), Title: atomText{Type: "text", Body: headline(s)},
			Updated: modified(s).Format(time.RFC3339), Published: published(s).Format(time.RFC3339),
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: f.link(s.ID)}},
			Summary: atomText{Type: "text", Body: summary(s)},
			Content: atomText{Type: "html", Body: content},
		}
		for _, m := range s.Members {
			if isWebURL(m.URL) {
				e.Links = append(e.Links, atomLink{Rel: "related", Type: "text/html", Href: m.URL, HrefLang: m.Lang, Title: cmp.Or(m.Title, m.Lead)})
			}
		}
		for _, l := range s.Languages {
			e.Categories = append(e.Categories, atomCategory{Term: l, Scheme: SchemeLanguage})
		}
		for _, src := range s.Sources {
			e.Categories = append(e.Categories, atomCategory{Term: src, Scheme: SchemeSource})
		}
		doc.Entries = append(doc.Entries, e)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("feedout: encode Atom feed: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
