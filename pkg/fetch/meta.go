package fetch

import (
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what a page says about itself in its markup.
type pageMeta struct {
	title, ogTitle string
	author         string
	published      string
	canonical      string // rel=canonical href, as written
	ogURL          string
	siteName       string // og:site_name
}

// parseMeta reads <title>, <meta> and <link rel=canonical> with a tokenizer;
// the first value of each wins, as pages sometimes repeat them further down.
func parseMeta(doc string) pageMeta {
	var m pageMeta
	z := html.NewTokenizer(strings.NewReader(doc))
	inTitle, inSVG := false, false
	setOnce := func(dst *string, v string) {
		if v = strings.TrimSpace(v); *dst == "" && v != "" {
			*dst = v
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return m
		case html.TextToken:
			if inTitle {
				setOnce(&m.title, string(z.Text()))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Title:
				inTitle = false
			case atom.Svg:
				inSVG = false
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Title:
				inTitle = !inSVG // an <svg> may carry a <title> of its own
			case atom.Svg:
				inSVG = true
			case atom.Body:
				// Head metadata is all that is read; stop at a complete set.
				if m.complete() {
					return m
				}
			}
			if !hasAttr || (a != atom.Meta && a != atom.Link) {
				continue
			}
			attrs := map[string]string{}
			for {
				k, v, more := z.TagAttr()
				attrs[strings.ToLower(string(k))] = string(v)
				if !more {
					break
				}
			}
			if a == atom.Link {
				if hasToken(attrs["rel"], "canonical") {
					setOnce(&m.canonical, attrs["href"])
				}
				continue
			}
			content := attrs["content"]
			switch strings.ToLower(attrs["property"]) {
			case "og:title":
				setOnce(&m.ogTitle, content)
			case "og:url":
				setOnce(&m.ogURL, content)
			case "og:site_name":
				setOnce(&m.siteName, content)
			case "article:published_time":
				setOnce(&m.published, content)
			case "article:author":
				// Often a profile URL rather than a name.
				if !strings.Contains(content, "://") {
					setOnce(&m.author, content)
				}
			}
			switch strings.ToLower(attrs["name"]) {
			case "author", "dc.creator", "byl":
				setOnce(&m.author, strings.TrimPrefix(content, "By "))
			case "date", "pubdate", "publish-date", "dc.date", "dcterms.created":
				setOnce(&m.published, content)
			}
			if strings.EqualFold(attrs["itemprop"], "datePublished") {
				setOnce(&m.published, content)
			}
		}
	}
}

func (m pageMeta) complete() bool {
	return m.siteName != "" && m.title != "" && m.ogTitle != "" && m.author != "" && m.published != "" && (m.canonical != "" || m.ogURL != "")
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// pageTitle prefers og:title, which carries no " - Site name" suffix.
func (m pageMeta) pageTitle() string {
	if m.ogTitle != "" {
		return m.ogTitle
	}
	return m.title
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02",
	time.RFC1123Z,
	time.RFC1123,
}

// publishedTime parses the page's publication date, nil when absent or odd.
func (m pageMeta) publishedTime() *time.Time {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, m.published); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}

// canonicalURL resolves the page's own idea of its address against where it
// was fetched from. A canonical that points at the site's home page from a
// deeper page is a known misconfiguration and is ignored: trusting it would
// give every article of the site one identity.
func (m pageMeta) canonicalURL(final *url.URL) *url.URL {
	for _, ref := range []string{m.canonical, m.ogURL} {
		if ref == "" {
			continue
		}
		u, err := final.Parse(ref)
		if err != nil || !httpScheme(u.Scheme) || u.Host == "" {
			continue
		}
		if isRoot(u) && !isRoot(final) {
			continue
		}
		return u
	}
	return final
}

func isRoot(u *url.URL) bool { return (u.Path == "" || u.Path == "/") && u.RawQuery == "" }
