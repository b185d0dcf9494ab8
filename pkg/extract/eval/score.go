// Package eval scores article extraction against ground truth, with the
// measure of the shared extraction set: texts become multisets of 4-token
// shingles of \w+ tokens, each page gets true/false positives and false
// negatives normalised by their sum (so long pages weigh no more than short
// ones), precision and recall are averaged over pages, and F1 is taken from
// the two averages.
//
// The package knows nothing of how text is extracted: callers pass an Engine.
package eval

import (
	"strings"
	"unicode"
)

// ShingleSize is the number of tokens in a shingle.
const ShingleSize = 4

// Tokens returns the \w+ runs of s in the Unicode sense: letters, digits
// (all numeric categories) and '_'.
func Tokens(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if isWord(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func isWord(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) }

// Shingles returns the multiset of n-token shingles of s. A text of fewer
// than n tokens is one shingle of all of them; a text without tokens has none.
func Shingles(s string, n int) map[string]int {
	toks := Tokens(s)
	out := make(map[string]int, max(len(toks)-n+1, 1))
	if len(toks) == 0 {
		return out
	}
	if len(toks) < n {
		out[strings.Join(toks, " ")]++
		return out
	}
	for i := 0; i+n <= len(toks); i++ {
		out[strings.Join(toks[i:i+n], " ")]++
	}
	return out
}

// Page is the outcome on one page: true positives, false positives and
// false negatives counted on shingles, normalised to sum to 1 (all zero when
// both texts are empty).
type Page struct {
	TP, FP, FN float64
}

// Score compares an extracted text with the true one.
func Score(got, want string) Page {
	g, w := Shingles(got, ShingleSize), Shingles(want, ShingleSize)
	var p Page
	for s, n := range g {
		m := w[s]
		p.TP += float64(min(n, m))
		p.FP += float64(max(n-m, 0))
	}
	for s, m := range w {
		p.FN += float64(max(m-g[s], 0))
	}
	if sum := p.TP + p.FP + p.FN; sum > 0 {
		p.TP, p.FP, p.FN = p.TP/sum, p.FP/sum, p.FN/sum
	}
	return p
}

// Precision is the page's precision; ok is false when nothing was
// extracted, and the page then counts for recall only.
func (p Page) Precision() (v float64, ok bool) {
	switch {
	case p.TP+p.FP == 0:
		return 0, false
	case p.FP == 0 && p.FN == 0:
		return 1, true
	}
	return p.TP / (p.TP + p.FP), true
}

// Recall is the page's recall; ok is false when there was nothing to find,
// and the page then counts for precision only.
func (p Page) Recall() (v float64, ok bool) {
	switch {
	case p.TP+p.FN == 0:
		return 0, false
	case p.FP == 0 && p.FN == 0:
		return 1, true
	}
	return p.TP / (p.TP + p.FN), true
}

// F1 is the page's own F1, for sorting and display; 0 when undefined.
func (p Page) F1() float64 {
	pr, _ := p.Precision()
	rc, _ := p.Recall()
	if pr+rc == 0 {
		return 0
	}
	return 2 * pr * rc / (pr + rc)
}

// Summary is the measure over a set of pages.
type Summary struct {
	Pages     int     `json:"pages"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Summarize averages precision and recall over the pages where each is
// defined and takes F1 from the two averages.
func Summarize(pages []Page) Summary {
	s := Summary{Pages: len(pages)}
	var np, nr int
	for _, p := range pages {
		if v, ok := p.Precision(); ok {
			s.Precision += v
			np++
		}
		if v, ok := p.Recall(); ok {
			s.Recall += v
			nr++
		}
	}
	if np > 0 {
		s.Precision /= float64(np)
	}
	if nr > 0 {
		s.Recall /= float64(nr)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}
