package fetch

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"
)

// sitemapDoc is a sitemap (<urlset>) or a sitemap index (<sitemapindex>),
// with the Google News extension. Field tags carry no namespace, so
// encoding/xml matches the local names whatever prefix the file uses.
type sitemapDoc struct {
	XMLName  xml.Name
	URLs     []sitemapURL `xml:"url"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	News    *struct {
		Publication struct {
			Name string `xml:"name"`
		} `xml:"publication"`
		PublicationDate string `xml:"publication_date"`
		Title           string `xml:"title"`
	} `xml:"news"`
}

// parseSitemap reads a sitemap or sitemap index already decoded to UTF-8.
func parseSitemap(body []byte) (*sitemapDoc, error) {
	var doc sitemapDoc
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	if err := d.Decode(&doc); err != nil {
		return nil, err
	}
	switch doc.XMLName.Local {
	case "urlset", "sitemapindex":
		return &doc, nil
	}
	return nil, fmt.Errorf("root element <%s> is no sitemap", doc.XMLName.Local)
}

// sitemapURLs turns the <url> elements into entries, dropping those dated
// (news publication date, else lastmod) before notBefore (zero: none).
// Elements without a usable <loc> come back as entries with err set.
func sitemapURLs(base *url.URL, urls []sitemapURL, notBefore time.Time) []entry {
	var out []entry
	for _, su := range urls {
		e := entry{}
		if su.News != nil {
			e.title = strings.TrimSpace(su.News.Title)
			e.source = strings.TrimSpace(su.News.Publication.Name)
			e.published = parseDate(su.News.PublicationDate)
		}
		date := e.published
		if date == nil {
			date = parseDate(su.LastMod)
		}
		if date != nil && !notBefore.IsZero() && date.Before(notBefore) {
			continue
		}
		e.link, e.err = resolveLink(base, e.title, strings.TrimSpace(su.Loc))
		e.sortDate = date
		out = append(out, e)
	}
	return out
}

// sortByDate puts entries newest first; undated ones keep their order
// after the dated ones.
func sortByDate(entries []entry) {
	slices.SortStableFunc(entries, func(a, b entry) int {
		switch {
		case a.sortDate == nil && b.sortDate == nil:
			return 0
		case a.sortDate == nil:
			return 1
		case b.sortDate == nil:
			return -1
		}
		return b.sortDate.Compare(*a.sortDate)
	})
}

// childSitemaps lists an index's sitemaps, most recently modified first.
func childSitemaps(base *url.URL, doc *sitemapDoc) []*url.URL {
	type child struct {
		u   *url.URL
		mod *time.Time
	}
	var cs []child
	for _, s := range doc.Sitemaps {
		u, err := base.Parse(strings.TrimSpace(s.Loc))
		if err != nil || !httpScheme(u.Scheme) || u.Host == "" {
			continue
		}
		cs = append(cs, child{u, parseDate(s.LastMod)})
	}
	slices.SortStableFunc(cs, func(a, b child) int {
		switch {
		case a.mod == nil && b.mod == nil:
			return 0
		case a.mod == nil:
			return 1
		case b.mod == nil:
			return -1
		}
		return b.mod.Compare(*a.mod)
	})
	out := make([]*url.URL, len(cs))
	for i, c := range cs {
		out[i] = c.u
	}
	return out
}

// xmlRoot is the local name of the first element of an XML (or HTML)
// document head, "" when there is none.
func xmlRoot(head []byte) string {
	d := xml.NewDecoder(bytes.NewReader(head))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	// Only the first element is looked at: any encoding will do to get there.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for range 64 {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
	return ""
}
