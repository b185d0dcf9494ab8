package sample

import (
	"encoding/xml"
	"fmt"
	"sort"
	"time"
)

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	Description string  `xml:"description"`
	Creator     string  `xml:"dc:creator,omitempty"`
	Category    string  `xml:"category,omitempty"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// feed renders the RSS 2.0 feed of one outlet, or of every page when o is nil,
// newest first, with links under base.
func (s *site) feed(base string, o *Outlet) ([]byte, error) {
	ch := rssChannel{
		Title:       "newsdedup sample: all outlets",
		Link:        base + "/",
		Description: "Every article of the newsdedup sample site, in Italian, French and English.",
	}
	query := ""
	if o != nil {
		ch.Title, ch.Link, ch.Description, ch.Language = o.Name, base+"/"+o.ID+"/", o.Tagline, o.Lang
		if o.FeedQuery != "" {
			query = "?" + o.FeedQuery
		}
	}
	pages := make([]Page, 0, len(s.pages))
	for _, p := range s.pages {
		if o == nil || p.Outlet == o.ID {
			pages = append(pages, p)
		}
	}
	sort.SliceStable(pages, func(i, j int) bool { return pages[i].Published.After(pages[j].Published) })
	for i, p := range pages {
		if i == 0 {
			ch.LastBuildDate = p.Published.Format(time.RFC1123Z)
		}
		ch.Items = append(ch.Items, rssItem{
			Title:       p.Title,
			Link:        base + "/" + p.Path + query,
			Description: p.Summary,
			Creator:     p.Author,
			Category:    p.Section,
			GUID:        rssGUID{Value: "newsdedup-sample:" + p.Path},
			PubDate:     p.Published.Format(time.RFC1123Z),
		})
	}
	b, err := xml.MarshalIndent(rssDoc{Version: "2.0", DC: "http://purl.org/dc/elements/1.1/", Channel: ch}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("sample: feed: %w", err)
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}
