package fetch

import (
	"encoding/json"
	"net/url"
	"slices"
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
	ld             ldArticle
}

// ldArticle is what a JSON-LD NewsArticle (or Article, BlogPosting…) says.
type ldArticle struct {
	headline, author, published, url, publisher string
}

// maxLDBytes bounds one JSON-LD script that is parsed.
const maxLDBytes = 256 << 10

// parseMeta reads <title>, <meta>, <link rel=canonical> and JSON-LD scripts
// with a tokenizer; the first value of each wins, as pages sometimes repeat
// them further down.
func parseMeta(doc string) pageMeta {
	var m pageMeta
	z := html.NewTokenizer(strings.NewReader(doc))
	inTitle, inSVG, inLD := false, false, false
	var scripts []string
	setOnce := func(dst *string, v string) {
		if v = strings.TrimSpace(v); *dst == "" && v != "" {
			*dst = v
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			m.ld = parseLD(scripts)
			return m
		case html.TextToken:
			switch {
			case inTitle:
				setOnce(&m.title, string(z.Text()))
			case inLD && len(z.Raw()) <= maxLDBytes:
				scripts = append(scripts, string(z.Raw()))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Title:
				inTitle = false
			case atom.Svg:
				inSVG = false
			case atom.Script:
				inLD = false
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Title:
				inTitle = !inSVG // an <svg> may carry a <title> of its own
			case atom.Svg:
				inSVG = true
			}
			if !hasAttr || (a != atom.Meta && a != atom.Link && a != atom.Script) {
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
			switch a {
			case atom.Link:
				if hasToken(attrs["rel"], "canonical") {
					setOnce(&m.canonical, attrs["href"])
				}
				continue
			case atom.Script:
				inLD = strings.EqualFold(strings.TrimSpace(attrs["type"]), "application/ld+json")
				continue
			}
			content := attrs["content"]
			// Pages mix up property= and name= for OpenGraph keys.
			for _, key := range []string{attrs["property"], attrs["name"]} {
				switch strings.ToLower(key) {
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
			}
			switch strings.ToLower(attrs["name"]) {
			case "author", "dc.creator", "byl":
				setOnce(&m.author, strings.TrimPrefix(content, "By "))
			case "date", "pubdate", "publish-date", "dc.date", "dc.date.issued", "dcterms.created":
				setOnce(&m.published, content)
			}
			if strings.EqualFold(attrs["itemprop"], "datePublished") {
				setOnce(&m.published, content)
			}
		}
	}
}

// ldTypes are the schema.org types whose fields describe a news article.
var ldTypes = []string{"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
	"OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting", "Report"}

// parseLD finds the first article object in the page's JSON-LD scripts,
// looking through top-level arrays and @graph. Scripts that are not valid
// JSON (common: trailing commas, raw newlines) are skipped.
func parseLD(scripts []string) ldArticle {
	for _, s := range scripts {
		var v any
		if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &v); err != nil {
			continue
		}
		if obj := findLDArticle(v, 0); obj != nil {
			return ldArticle{
				headline:  ldString(obj["headline"]),
				author:    ldNames(obj["author"]),
				published: ldString(obj["datePublished"]),
				url:       firstNonEmpty(ldString(obj["url"]), ldID(obj["mainEntityOfPage"])),
				publisher: ldNames(obj["publisher"]),
			}
		}
	}
	return ldArticle{}
}

func findLDArticle(v any, depth int) map[string]any {
	if depth > 4 {
		return nil
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			if obj := findLDArticle(e, depth+1); obj != nil {
				return obj
			}
		}
	case map[string]any:
		if ldHasType(t["@type"]) {
			return t
		}
		if g, ok := t["@graph"]; ok {
			return findLDArticle(g, depth+1)
		}
	}
	return nil
}

func ldHasType(v any) bool {
	switch t := v.(type) {
	case string:
		return isLDType(t)
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok && isLDType(s) {
				return true
			}
		}
	}
	return false
}

// isLDType accepts "NewsArticle", "schema:NewsArticle" and
// "https://schema.org/NewsArticle" alike.
func isLDType(s string) bool {
	if i := strings.LastIndexAny(s, "/:"); i >= 0 {
		s = s[i+1:]
	}
	return slices.Contains(ldTypes, s)
}

func ldString(v any) string {
	if s, ok := v.(string); ok {
		return strings.TrimSpace(s)
	}
	return ""
}

// ldNames reads a person or organisation: a string, {"name"}, or a list of
// them joined with ", ".
func ldNames(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case map[string]any:
		return ldString(t["name"])
	case []any:
		var names []string
		for _, e := range t {
			if n := ldNames(e); n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

// ldID reads mainEntityOfPage, a URL or {"@id": URL}.
func ldID(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case map[string]any:
		return ldString(t["@id"])
	}
	return ""
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// pageTitle prefers og:title, which carries no " - Site name" suffix, then
// the JSON-LD headline, then <title>.
func (m pageMeta) pageTitle() string {
	return firstNonEmpty(m.ogTitle, m.ld.headline, m.title)
}

// pageAuthor prefers JSON-LD, which names people rather than bylines.
func (m pageMeta) pageAuthor() string {
	return firstNonEmpty(m.ld.author, m.author)
}

// source names the outlet: og:site_name when the page gives one (several
// outlets may share a host), else fallback (a news sitemap's publication
// name), else the JSON-LD publisher, else the host.
func (m pageMeta) source(u *url.URL, fallback string) string {
	return firstNonEmpty(m.siteName, fallback, m.ld.publisher, sourceOf(u))
}

// sourceOf names the site whose page was fetched. It is the host the HTML
// came from, not the canonical's, because per-site boilerplate learning
// needs the site whose template the HTML carries. The port is left out so
// that a local site keeps one name across restarts.
func sourceOf(u *url.URL) string {
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02",
	time.RFC1123Z,
	time.RFC1123,
	time.RFC822Z,
	time.RFC822,
}

// parseDate reads the date formats pages, feeds and sitemaps use; nil when
// absent or odd.
func parseDate(s string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}

// publishedTime is the page's publication date: JSON-LD's datePublished,
// else the meta tags'.
func (m pageMeta) publishedTime() *time.Time {
	if t := parseDate(m.ld.published); t != nil {
		return t
	}
	return parseDate(m.published)
}

// canonicalURL resolves the page's own idea of its address against where it
// was fetched from: rel=canonical, og:url, JSON-LD url. A canonical that
// points at the site's home page from a deeper page is a known
// misconfiguration and is ignored: trusting it would give every article of
// the site one identity.
func (m pageMeta) canonicalURL(final *url.URL) *url.URL {
	for _, ref := range []string{m.canonical, m.ogURL, m.ld.url} {
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
