package extract

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what a page says about itself.
type pageMeta struct {
	title, author string
	published     *time.Time
}

// metaFound gathers every candidate before choosing, since the sources
// disagree in reliability: JSON-LD and Open Graph over loose markup.
type metaFound struct {
	docTitle, ogTitle, siteName, ldHeadline string
	h1, h1Article                           string

	ldAuthor, metaAuthor, propAuthor, itemAuthor, relAuthor string

	ldDate, propDate, itemDate, metaDate, timeDate string
}

// readMeta reads title, author and publication time from the whole
// document, before anything is pruned (JSON-LD sits in <script>).
func readMeta(doc *html.Node) pageMeta {
	var f metaFound
	walkElements(doc, 0, func(n *html.Node) bool {
		switch n.DataAtom {
		case atom.Svg:
			return false
		case atom.Title:
			setOnce(&f.docTitle, nodeText(n))
		case atom.Meta:
			f.meta(n)
		case atom.Script:
			if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && n.FirstChild != nil {
				f.jsonLD(n.FirstChild.Data)
			}
			return false
		case atom.H1:
			if f.h1 == "" {
				f.h1 = nodeText(n)
			}
			if f.h1Article == "" && inArticle(n) {
				f.h1Article = nodeText(n)
			}
		case atom.A:
			if strings.Contains(" "+strings.ToLower(attr(n, "rel"))+" ", " author ") {
				setOnce(&f.relAuthor, nodeText(n))
			}
		case atom.Time:
			setOnce(&f.timeDate, attr(n, "datetime"))
		}
		switch strings.ToLower(attr(n, "itemprop")) {
		case "author":
			if n.DataAtom != atom.Meta {
				setOnce(&f.itemAuthor, itemName(n))
			}
		case "datepublished":
			if n.DataAtom != atom.Meta {
				setOnce(&f.itemDate, firstNonEmpty(attr(n, "datetime"), attr(n, "content"), nodeText(n)))
			}
		}
		return true
	})

	var m pageMeta
	m.title = firstNonEmpty(f.h1Article, stripSite(f.ogTitle, f.siteName, false), f.ldHeadline,
		stripSite(f.docTitle, f.siteName, true), f.h1)
	m.author = cleanAuthor(f.ldAuthor, f.metaAuthor, f.propAuthor, f.itemAuthor, f.relAuthor)
	for _, d := range []string{f.ldDate, f.propDate, f.itemDate, f.metaDate, f.timeDate} {
		if t, ok := parseTime(d); ok {
			m.published = &t
			break
		}
	}
	return m
}

func (f *metaFound) meta(n *html.Node) {
	content := strings.TrimSpace(attr(n, "content"))
	if content == "" {
		return
	}
	for _, key := range []string{attr(n, "property"), attr(n, "name"), attr(n, "itemprop")} {
		switch strings.ToLower(key) {
		case "og:title", "twitter:title":
			setOnce(&f.ogTitle, content)
		case "og:site_name":
			setOnce(&f.siteName, content)
		case "author", "dc.creator", "byl", "parsely-author", "sailthru.author":
			setOnce(&f.metaAuthor, content)
		case "article:author":
			if !strings.Contains(content, "://") { // often a profile URL
				setOnce(&f.propAuthor, content)
			}
		case "article:published_time", "og:article:published_time":
			setOnce(&f.propDate, content)
		case "datepublished":
			setOnce(&f.itemDate, content)
		case "date", "pubdate", "publishdate", "publish-date", "dc.date", "dc.date.issued",
			"sailthru.date", "parsely-pub-date":
			setOnce(&f.metaDate, content)
		}
	}
}

// jsonLD reads headline, author and datePublished from the first
// article-typed object of a JSON-LD block; broken JSON is ignored.
func (f *metaFound) jsonLD(s string) {
	var v any
	if json.Unmarshal([]byte(strings.TrimSpace(s)), &v) != nil {
		return
	}
	f.walkLD(v, 0)
}

func (f *metaFound) walkLD(v any, depth int) {
	if depth > 8 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			f.walkLD(e, depth+1)
		}
	case map[string]any:
		if isArticleType(x["@type"]) {
			if s, ok := x["headline"].(string); ok {
				setOnce(&f.ldHeadline, collapseSpace(s))
			}
			setOnce(&f.ldAuthor, ldNames(x["author"], 0))
			if s, ok := x["datePublished"].(string); ok {
				setOnce(&f.ldDate, s)
			}
		}
		for _, k := range []string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if e, ok := x[k]; ok {
				f.walkLD(e, depth+1)
			}
		}
	}
}

func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		return strings.Contains(x, "Article") || strings.Contains(x, "Posting") || x == "Report"
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

// ldNames reads a JSON-LD author: a string, a Person, or a list of them.
func ldNames(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch x := v.(type) {
	case string:
		return collapseSpace(x)
	case map[string]any:
		return ldNames(x["name"], depth+1)
	case []any:
		var names []string
		for _, e := range x {
			if s := ldNames(e, depth+1); s != "" {
				names = append(names, s)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

// itemName is the name of an itemprop=author element: its itemprop=name
// part when it has one, else its text.
func itemName(n *html.Node) string {
	name := ""
	walkElements(n, 0, func(c *html.Node) bool {
		if name == "" && strings.EqualFold(attr(c, "itemprop"), "name") {
			name = firstNonEmpty(attr(c, "content"), nodeText(c))
		}
		return name == ""
	})
	return firstNonEmpty(name, attr(n, "content"), nodeText(n))
}

func inArticle(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Article || p.DataAtom == atom.Main || strings.EqualFold(attr(p, "itemprop"), "articleBody") {
			return true
		}
	}
	return false
}

// titleSeps separate a title from the site name in <title>.
var titleSeps = []string{" | ", " - ", " – ", " — ", " · ", " :: "}

// stripSite takes the site name off a title: the declared one, and with
// guess, a trailing part much shorter than the title ("Title | Site").
func stripSite(t, site string, guess bool) string {
	t = collapseSpace(t)
	site = collapseSpace(site)
	for _, sep := range titleSeps {
		if site == "" {
			break
		}
		t = strings.TrimSuffix(t, sep+site)
		t = strings.TrimPrefix(t, site+sep)
	}
	if !guess {
		return t
	}
	for range 2 {
		cut, sep := -1, ""
		for _, s := range titleSeps {
			if i := strings.LastIndex(t, s); i > cut {
				cut, sep = i, s
			}
		}
		if cut <= 0 {
			break
		}
		// A bar nearly always sets off the site; a dash only a part much
		// shorter than the title ("Brexit - what happens next" stays).
		head, tail := t[:cut], t[cut+len(sep):]
		n := utf8.RuneCountInString(tail)
		if n > 40 || (sep != " | " && 2*n > utf8.RuneCountInString(head)) || n >= utf8.RuneCountInString(head) {
			break
		}
		t = head
	}
	return t
}

func cleanAuthor(cands ...string) string {
	for _, c := range cands {
		c = collapseSpace(c)
		for _, p := range []string{"By ", "by ", "BY ", "Par ", "par ", "Von ", "von ", "Por ", "por "} {
			c = strings.TrimPrefix(c, p)
		}
		if c != "" && utf8.RuneCountInString(c) <= 100 && !strings.Contains(c, "://") {
			return c
		}
	}
	return ""
}

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05", "2006-01-02", time.RFC1123Z, time.RFC1123, "2006/01/02",
}

// parseTime reads the date formats pages use, giving UTC; dates before
// 1970 are placeholders, not dates.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			// Templates fill empty dates with the zero time.
			return t.UTC(), t.Year() >= 1970
		}
	}
	return time.Time{}, false
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = strings.TrimSpace(v)
	}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
