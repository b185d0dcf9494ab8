package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// Teaser cards: a run of sibling elements built alike, each a linked
// headline with at most a short blurb, is a list of other stories however
// much prose the blurbs add up to.
const (
	minCards     = 3   // siblings alike, at least, to make a list
	maxCardChars = 600 // non-space characters in one card
)

// cardLists removes lists of teaser cards under n.
func cardLists(n *html.Node, rm *[]article.Removal) {
	var lists [][]*html.Node
	walkElements(n, 0, func(p *html.Node) bool {
		// Most elements have too few children to hold a list: skip them
		// before building any groups.
		if elementChildren(p, minCards) < minCards {
			return true
		}
		groups := map[string][]*html.Node{}
		var order []string
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			sig := signature(c)
			if _, ok := groups[sig]; !ok {
				order = append(order, sig)
			}
			groups[sig] = append(groups[sig], c)
		}
		for _, sig := range order {
			g := groups[sig]
			if len(g) < minCards {
				continue
			}
			var cards []*html.Node
			for _, m := range g {
				if isCard(m) {
					cards = append(cards, m)
				}
			}
			if len(cards) >= minCards && 3*len(cards) >= 2*len(g) {
				lists = append(lists, cards)
			}
		}
		return true
	})
	for _, cards := range lists {
		for _, c := range cards {
			if c.Parent == nil {
				continue // inside a list already removed
			}
			if text := clippedText(c, 300); text != "" {
				*rm = append(*rm, article.Removal{Text: text, Reason: "teaser card of another story", Layer: layerStructure})
			}
			c.Parent.RemoveChild(c)
		}
	}
}

// elementChildren counts the element children of p, up to limit.
func elementChildren(p *html.Node, limit int) int {
	k := 0
	for c := p.FirstChild; c != nil && k < limit; c = c.NextSibling {
		if c.Type == html.ElementNode {
			k++
		}
	}
	return k
}

// signature is what siblings built alike share: the tag and the first class
// word without digits (ids such as "post-7816" differ from card to card).
func signature(n *html.Node) string {
	for w := range strings.FieldsSeq(attr(n, "class")) {
		if strings.IndexAny(w, "0123456789") < 0 {
			return n.Data + "." + w
		}
	}
	return n.Data
}

var cardTags = map[atom.Atom]bool{atom.Li: true, atom.Div: true, atom.Article: true, atom.Section: true}

// isCard reports an element that is a linked headline, perhaps with an
// image and a short blurb.
func isCard(m *html.Node) bool {
	if !cardTags[m.DataAtom] {
		return false
	}
	chars, headline := 0, false
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		for c := n.FirstChild; c != nil && depth < maxDepth && chars <= maxCardChars; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				chars += nonSpace(c.Data)
			case c.Type == html.ElementNode && !invisible[c.DataAtom]:
				switch c.DataAtom {
				case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
					if linkedHeadline(c) {
						headline = true
					}
				}
				walk(c, depth+1)
			}
		}
	}
	walk(m, 0)
	return headline && chars <= maxCardChars
}

// linkedHeadline reports a heading whose text is mostly a link.
func linkedHeadline(h *html.Node) bool {
	var all, linked int
	var walk func(n *html.Node, inLink bool, depth int)
	walk = func(n *html.Node, inLink bool, depth int) {
		for c := n.FirstChild; c != nil && depth < maxDepth; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				k := utf8.RuneCountInString(strings.TrimSpace(c.Data))
				all += k
				if inLink {
					linked += k
				}
			case html.ElementNode:
				walk(c, inLink || c.DataAtom == atom.A, depth+1)
			}
		}
	}
	walk(h, h.Parent != nil && h.Parent.DataAtom == atom.A, 0)
	return all >= 10 && 2*linked >= all
}
