package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// maxDepth bounds every walk of the tree. The parser already refuses more
// than 512 open elements; this keeps the walks safe whatever it builds.
const maxDepth = 1024

// linkDense is the share of a block's characters inside links above which
// the block is navigation, not prose.
const linkDense = 0.5

// linkDenseProse is the share for a long block that ends a sentence.
const linkDenseProse = 0.7

// extractHTML parses a page and returns the blocks of its main content, in
// order, with the page's metadata and the removals made on the way. The
// blocks still go through the text pass.
func extractHTML(src string) ([]block, pageMeta, []article.Removal) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// Nested too deep for the parser: fall back to the bare text.
		bs, title := tokenBlocks(src)
		return bs, pageMeta{title: title}, nil
	}
	meta := readMeta(doc)
	body := findBody(doc)
	var removed []article.Removal
	cardLists(body, &removed)
	before := tallies(body, collect(body))
	prune(body, before, before[body].prose, &removed, 0)

	hbs := collect(body)
	t := tallies(body, hbs)
	main := chooseContainer(body, t)
	inMain := map[*html.Node]bool{}
	for _, n := range withSiblings(main, t) {
		inMain[n] = true
		walkElements(n, 0, func(c *html.Node) bool {
			inMain[c] = true
			return true
		})
	}

	blocks := make([]block, 0, len(hbs))
	afterLinks := false // the block before was removed as a list of links
	for _, hb := range hbs {
		reason := ""
		switch {
		case !inMain[hb.node]:
			reason = "outside main content"
		case hb.caption:
			reason = "figure caption"
		case hb.linkList():
			reason = "link-dense block"
		case strings.HasPrefix(hb.text, "<") && strings.HasSuffix(hb.text, ">"):
			reason = "markup shown as text"
		}
		if reason != "" {
			removed = append(removed, article.Removal{Text: hb.text, Reason: reason, Layer: layerStructure})
			afterLinks = reason == "link-dense block"
			continue
		}
		// The collector's text is collapsed already, and its runes counted.
		b := block{text: hb.text, fold: fold(hb.text), runes: hb.runes, blankAfter: true}
		// A block that opens a link over a good part of its text is shaped
		// like a teaser ("Headline – summary"), whatever its punctuation.
		b.linked = hb.density() >= teaserLinkShare
		// A line under a linked headline (<a>Headline</a><br><small>blurb</small>)
		// is that teaser's blurb if the headline turns out to follow a
		// related-stories marker.
		b.afterLinks, afterLinks = afterLinks, false
		blocks = append(blocks, b)
	}
	return blocks, meta, removed
}

func findBody(doc *html.Node) *html.Node {
	var found *html.Node
	walkElements(doc, 0, func(n *html.Node) bool {
		if found == nil && n.DataAtom == atom.Body {
			found = n
		}
		return found == nil
	})
	if found == nil {
		return doc
	}
	return found
}

// walkElements calls fn on every element under n in document order; fn
// returns false to skip the element's children.
func walkElements(n *html.Node, depth int, fn func(*html.Node) bool) {
	if depth > maxDepth {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && !fn(c) {
			continue
		}
		walkElements(c, depth+1, fn)
	}
}

// invisible elements go without a record: they hold no reader text.
var invisible = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Canvas: true, atom.Link: true,
	atom.Meta: true, atom.Button: true, atom.Select: true, atom.Input: true, atom.Textarea: true,
}

// chrome elements are page furniture; they go unless they hold the article.
var chrome = map[atom.Atom]bool{
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Menu: true, atom.Dialog: true,
}

// noiseWords in a class or id mark furniture.
var noiseWords = map[string]bool{
	"nav": true, "navbar": true, "navigation": true, "menu": true, "breadcrumb": true, "breadcrumbs": true,
	"share": true, "sharing": true, "social": true, "related": true, "newsletter": true,
	"cookie": true, "cookies": true, "consent": true, "comment": true, "comments": true,
	"footer": true, "sidebar": true, "promo": true, "ad": true, "ads": true, "advert": true,
	"advertisement": true, "sponsored": true, "popup": true, "modal": true, "subscribe": true,
	"outbrain": true, "taboola": true, "recommended": true,
	// Bylines, datelines, captions and credits: metadata, not body text.
	"byline": true, "author": true, "bio": true, "dateline": true, "timestamp": true, "caption": true, "credit": true, "credits": true,
	// Galleries and overlays repeat captions and carry their controls.
	"gallery": true, "slideshow": true, "carousel": true, "lightbox": true, "overlay": true,
	// Hidden or screen-reader-only text, print-only headers.
	"hidden": true, "sr": true, "print": true,
	// Calls to action, tag lists, toolbars, widgets and story lists.
	"cta": true, "signup": true, "tags": true, "toolbar": true, "widget": true, "widgets": true,
	"trending": true, "popular": true, "mostread": true, "pagination": true, "pager": true,
}

// noiseRoles are ARIA landmarks that are not the article.
var noiseRoles = map[string]bool{
	"navigation": true, "menu": true, "menubar": true, "banner": true, "contentinfo": true,
	"complementary": true, "search": true, "dialog": true, "alert": true,
}

// prune removes furniture under n, recording what a reader would have seen.
// An element holding most of the page's prose (pageProse, by the tallies
// taken before pruning) is the article however it is labelled, and stays.
func prune(n *html.Node, t map[*html.Node]tally, pageProse int, rm *[]article.Removal, depth int) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.CommentNode:
			n.RemoveChild(c)
		case html.ElementNode:
			if reason, visible := furniture(c, t[c].prose, pageProse); reason != "" {
				if visible {
					if text := clippedText(c, 300); text != "" {
						*rm = append(*rm, article.Removal{Text: text, Reason: reason, Layer: layerStructure})
					}
				}
				n.RemoveChild(c)
			} else if depth < maxDepth {
				prune(c, t, pageProse, rm, depth+1)
			}
		}
		c = next
	}
}

// furniture says why c is page furniture, or "" when it is not, and whether
// its text was visible. prose is the prose under c, pageProse that of the page.
func furniture(c *html.Node, prose, pageProse int) (reason string, visible bool) {
	if invisible[c.DataAtom] || c.Namespace == "svg" {
		return "element <" + c.Data + ">", false
	}
	switch {
	case chrome[c.DataAtom]:
		reason = "element <" + c.Data + ">"
	case hasAttr(c, "hidden") || strings.EqualFold(attr(c, "aria-hidden"), "true") || hiddenStyle(attr(c, "style")):
		reason = "hidden element"
	case noiseRoles[strings.ToLower(attr(c, "role"))]:
		reason = "role " + strings.ToLower(attr(c, "role"))
	case embeddedPost(c):
		// A quoted social post ("social-media-embed") is part of the story.
	default:
		if w, ok := noiseClass(attr(c, "class"), attr(c, "id")); ok {
			reason = "class/id " + w
		}
	}
	if reason == "" {
		return "", false
	}
	if prose >= 200 && 2*prose >= pageProse {
		return "", false
	}
	return reason, true
}

// embeddedPost reports a quoted post, a <blockquote> or an element whose
// only element child is one (embed wrappers).
func embeddedPost(c *html.Node) bool {
	for depth := 0; depth < 3 && c != nil; depth++ {
		if c.DataAtom == atom.Blockquote {
			return true
		}
		var only *html.Node
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			if k.Type == html.ElementNode && !invisible[k.DataAtom] {
				if only != nil {
					return false
				}
				only = k
			}
		}
		c = only
	}
	return false
}

func hiddenStyle(s string) bool {
	s = strings.ReplaceAll(strings.ToLower(s), " ", "")
	return strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden")
}

// noiseClass returns the first word of the class and id values that is
// one of noiseWords. Values are split into lower-case words at punctuation
// and at camelCase joins: "shareBar main-nav" -> share bar main nav. Words
// are built in a buffer and looked up without a copy: this runs on every
// element of the page.
func noiseClass(class, id string) (string, bool) {
	var buf [64]byte
	word := buf[:0]
	for _, s := range [2]string{class, id} {
		prevLower := false
		for _, r := range s {
			switch {
			case !unicode.IsLetter(r) && !unicode.IsDigit(r):
				if noiseWords[string(word)] {
					return string(word), true
				}
				word, prevLower = word[:0], false
				continue
			case unicode.IsUpper(r) && prevLower:
				if noiseWords[string(word)] {
					return string(word), true
				}
				word = word[:0]
			}
			word = utf8.AppendRune(word, unicode.ToLower(r))
			prevLower = unicode.IsLower(r)
		}
		if noiseWords[string(word)] {
			return string(word), true
		}
		word = word[:0]
	}
	return "", false
}

// nodeText is the text under n, whitespace collapsed, script and style left out.
func nodeText(n *html.Node) string {
	var c collapser
	textUnder(n, &c, -1)
	return c.take()
}

// clippedText is clip(nodeText(n), limit), but stops reading the text once
// it has more than limit characters: a sidebar removed is recorded by its
// first lines only.
func clippedText(n *html.Node, limit int) string {
	var c collapser
	textUnder(n, &c, limit)
	return clip(c.take(), limit)
}

// textUnder adds the text under n to c, a space at each block element and
// <br>; with limit >= 0 it stops once c holds more than limit runes (the
// first limit runes can no longer change).
func textUnder(n *html.Node, c *collapser, limit int) {
	var walk func(*html.Node, int) bool
	walk = func(n *html.Node, depth int) bool {
		for k := n.FirstChild; k != nil && depth < maxDepth; k = k.NextSibling {
			switch {
			case k.Type == html.TextNode:
				c.add(k.Data)
				if limit >= 0 && c.runes > limit {
					return false
				}
			case k.Type == html.ElementNode && !invisible[k.DataAtom]:
				block := isBlockTag(k.DataAtom) || k.DataAtom == atom.Br
				if block {
					c.breakWord()
				}
				if !walk(k, depth+1) {
					return false
				}
				if block {
					c.breakWord()
				}
			}
		}
		return true
	}
	walk(n, 0)
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Figure: true, atom.Figcaption: true, atom.Header: true, atom.Footer: true, atom.Address: true,
	atom.Hr: true, atom.Body: true, atom.Center: true, atom.Details: true, atom.Summary: true,
	atom.Caption: true, atom.Form: true, atom.Nav: true, atom.Aside: true, atom.Fieldset: true,
}

func isBlockTag(a atom.Atom) bool { return blockTags[a] }

// teaserLinkShare is the share of a block's characters inside links from
// which it counts as a teaser after a related-stories marker.
const teaserLinkShare = 0.3

// hblock is a block of the page with what scoring needs to know about it.
type hblock struct {
	text    string
	runes   int        // runes of text, counted as it was collected
	node    *html.Node // the block element holding the text
	chars   int        // non-space characters
	links   int        // non-space characters inside links
	caption bool
	heading bool
}

// linkList reports a block that is mostly links: navigation, a list of
// stories. A long sentence with its own text beside a long link (a news
// round-up's item) needs a higher share to count.
func (b hblock) linkList() bool {
	if isURL(b.text) {
		return false // an address shown in full is cited, not navigated to
	}
	d := b.density()
	if b.chars >= 150 && endsSentence(b.text) {
		return d >= linkDenseProse
	}
	return d >= linkDense
}

// isURL reports text that is one web address.
func isURL(s string) bool {
	return !strings.ContainsAny(s, " \t") && (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "www."))
}

func (b hblock) density() float64 {
	if b.chars == 0 {
		return 0
	}
	return float64(b.links) / float64(b.chars)
}

// collector cuts the body into blocks at block-element boundaries and <br>.
type collector struct {
	out          []hblock
	buf          collapser
	chars, links int
}

func (c *collector) walk(n, blockNode *html.Node, inLink, caption bool, depth int) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.TextNode:
			k := c.buf.add(ch.Data)
			c.chars += k
			if inLink {
				c.links += k
			}
		case html.ElementNode:
			if depth >= maxDepth || invisible[ch.DataAtom] {
				continue
			}
			link := inLink || ch.DataAtom == atom.A
			switch {
			case ch.DataAtom == atom.Br:
				c.flush(blockNode, caption)
			case isBlockTag(ch.DataAtom):
				c.flush(blockNode, caption)
				capt := caption || ch.DataAtom == atom.Figcaption
				c.walk(ch, ch, link, capt, depth+1)
				c.flush(ch, capt)
			default:
				c.walk(ch, blockNode, link, caption, depth+1)
			}
		}
	}
}

func (c *collector) flush(node *html.Node, caption bool) {
	runes := c.buf.runes
	text := c.buf.take()
	if text != "" {
		h := false
		switch node.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			h = true
		}
		c.out = append(c.out, hblock{text: text, runes: runes, node: node, chars: c.chars, links: c.links, caption: caption, heading: h})
	}
	c.chars, c.links = 0, 0
}

func nonSpace(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if !isASCIISpace(c) {
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			n++
		}
		i += size
	}
	return n
}

// blockValue is how much a block says "article here": prose counts for
// its length, link lists against, headings and short lines not at all.
func blockValue(b hblock) float64 {
	d := b.density()
	switch {
	case b.linkList():
		return -float64(b.chars)
	case b.heading || b.caption:
		return 0
	case truncated(b.text):
		return -float64(b.chars) / 2 // an excerpt of another page
	case b.runes >= 80 || (b.chars >= 25 && endsSentence(b.text)):
		return float64(b.chars) * (1 - d)
	}
	return float64(b.chars) * (1 - d) * 0.2
}

// truncated reports text cut off with an ellipsis, as teasers are.
func truncated(s string) bool {
	return strings.HasSuffix(s, "…") || strings.HasSuffix(s, "[...]")
}

// tally is what the blocks under one element add up to.
type tally struct {
	score float64 // sum of block values
	good  float64 // sum of the positive ones
	prose int     // characters in blocks of positive value
}

// paragraphValues values the blocks of each block element together: the
// lines of a <p> broken by <br> are one paragraph, however short each line.
// It adds, per element, the value and the prose characters of its own
// lines to own.
func paragraphValues(hbs []hblock, own map[*html.Node]tally) {
	for i := 0; i < len(hbs); {
		j := i + 1
		for j < len(hbs) && hbs[j].node == hbs[i].node {
			j++
		}
		v, chars := groupValue(hbs[i:j])
		t := own[hbs[i].node]
		t.score += v
		if v > 0 {
			t.good += v
			t.prose += chars
		}
		own[hbs[i].node] = t
		i = j
	}
}

// groupValue values consecutive lines of one element as a paragraph.
func groupValue(g []hblock) (float64, int) {
	if len(g) == 1 {
		return blockValue(g[0]), g[0].chars
	}
	sum := hblock{node: g[0].node, heading: true}
	var texts []string
	cut := 0
	for _, b := range g {
		sum.chars += b.chars
		sum.runes += b.runes
		sum.links += b.links
		sum.heading = sum.heading && b.heading
		sum.caption = sum.caption || b.caption
		if truncated(b.text) {
			cut++
		}
		texts = append(texts, b.text)
	}
	sum.text = strings.Join(texts, " ")
	sum.runes += len(g) - 1 // the spaces joining them
	if 2*cut >= len(g) {
		sum.text += "…" // a list of teasers, valued as one
		sum.runes++
	}
	return blockValue(sum), sum.chars
}

// tallies sums block values over every element under top that has text
// below it, in one walk: linear however deep the page nests.
//
// One map holds each element's own lines, then the sums: an element's own
// entry is read before it is replaced, and only after its children's. Every
// element holding lines is within the walk (collect and the walk stop at the
// same depth), so no own entry is left over.
func tallies(top *html.Node, hbs []hblock) map[*html.Node]tally {
	out := make(map[*html.Node]tally, 2*len(hbs))
	paragraphValues(hbs, out)
	var sum func(n *html.Node, depth int) (tally, bool)
	sum = func(n *html.Node, depth int) (tally, bool) {
		t, has := out[n]
		for c := n.FirstChild; c != nil && depth < maxDepth; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if ct, ok := sum(c, depth+1); ok {
				t.score += ct.score
				t.good += ct.good
				t.prose += ct.prose
				has = true
			}
		}
		if has {
			out[n] = t
		}
		return t, has
	}
	sum(top, 0)
	return out
}

// collect cuts the text under n into blocks.
func collect(n *html.Node) []hblock {
	var c collector
	c.walk(n, n, false, false, 0)
	c.flush(n, false)
	return c.out
}

// chooseContainer picks the element whose blocks are worth most: prose in,
// link lists out. A semantic container (articleBody, <article>, <main>)
// inside it is preferred when it holds most of the prose.
func chooseContainer(body *html.Node, t map[*html.Node]tally) *html.Node {
	best, bestScore := body, t[body].score
	walkElements(body, 0, func(n *html.Node) bool {
		nt, ok := t[n]
		if !ok {
			return false // no text below
		}
		if nt.score > bestScore || (nt.score == bestScore && within(n, best)) {
			best, bestScore = n, nt.score
		}
		return true
	})
	if bestScore <= 0 {
		return body
	}
	// A child holding nearly all the prose is the article; what the parent
	// adds around it is a footer line or a stray note.
	for {
		var next *html.Node
		for c := best.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && t[c].good >= descendShare*t[best].good {
				next = c
			}
		}
		if next == nil {
			break
		}
		best = next
	}
	for _, semantic := range []func(*html.Node) bool{
		func(n *html.Node) bool { return strings.EqualFold(attr(n, "itemprop"), "articleBody") },
		func(n *html.Node) bool { return n.DataAtom == atom.Article },
		func(n *html.Node) bool { return n.DataAtom == atom.Main || strings.EqualFold(attr(n, "role"), "main") },
	} {
		var pick *html.Node
		walkElements(best, 0, func(n *html.Node) bool {
			if semantic(n) && t[n].good >= 0.7*t[best].good && (pick == nil || t[n].good > t[pick].good) {
				pick = n
			}
			return true
		})
		if pick != nil {
			return pick
		}
	}
	return best
}

// withSiblings returns main with the siblings next to it that read as
// prose, such as a standfirst set apart from the body's container. The
// scan stops at the first sibling that is not prose: a list of links or a
// widget marks the end of the article.
func withSiblings(main *html.Node, t map[*html.Node]tally) []*html.Node {
	out := []*html.Node{main}
	if main.Parent == nil {
		return out
	}
	prose := func(n *html.Node) (ok, stop bool) {
		nt, has := t[n]
		switch {
		case n.Type != html.ElementNode || !has:
			return false, false // no text: look further
		case nt.score <= 0 || nt.score < 0.5*nt.good:
			return false, true
		case nt.prose < minSiblingProse:
			return false, false // a dateline or a label: look further
		}
		return true, false
	}
	for s := main.PrevSibling; s != nil; s = s.PrevSibling {
		ok, stop := prose(s)
		if stop {
			break
		}
		if ok {
			out = append(out, s)
		}
	}
	for s := main.NextSibling; s != nil; s = s.NextSibling {
		ok, stop := prose(s)
		if stop {
			break
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// minSiblingProse is the prose (characters) a sibling of the main container
// needs to join it.
const minSiblingProse = 50

// descendShare is the share of a container's prose value a child must hold
// to be taken instead of it.
const descendShare = 0.9

// within reports whether n is top or below it.
func within(n, top *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == top {
			return true
		}
	}
	return false
}

// skipTokens are elements whose content the token reader leaves out; all
// have end tags, unlike the void elements among invisible.
var skipTokens = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Iframe: true, atom.Object: true, atom.Canvas: true, atom.Button: true, atom.Select: true,
	atom.Textarea: true,
}

// tokenBlocks reads the text of a page the parser refused, token by token:
// script and style skipped, a block at each block-element boundary. It
// returns the blocks and the <title>.
func tokenBlocks(src string) ([]block, string) {
	z := html.NewTokenizer(strings.NewReader(src))
	var (
		out     []block
		buf     strings.Builder
		title   strings.Builder
		skip    int
		inTitle bool
	)
	flush := func() {
		if b := newBlock(buf.String()); b.text != "" {
			b.blankAfter = true
			out = append(out, b)
		}
		buf.Reset()
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return out, collapseSpace(title.String())
		case html.TextToken:
			switch {
			case inTitle:
				title.Write(z.Text())
			case skip == 0:
				buf.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case a == atom.Title:
				inTitle = tt == html.StartTagToken
			case skipTokens[a] && tt == html.StartTagToken:
				skip++
			case skipTokens[a] && tt == html.EndTagToken:
				skip = max(skip-1, 0)
			case isBlockTag(a) || a == atom.Br:
				flush()
			}
		}
	}
}
