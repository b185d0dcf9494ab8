package index

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// MaxExpansion bounds the indexed words that the prefixes, wildcards and
// regular expressions of one query may stand for. bleve searches each such
// word as a clause of its own: over 100,000 articles "b*" stood for 5,788
// words and took 2 s, "?*" for all 130,892 and took over two minutes, where
// "elect*" stands for a handful (docs/api.md).
const MaxExpansion = 1000

// checkExpansions refuses an expanded query whose patterns stand for more
// than MaxExpansion indexed words, over all the fields they search. It
// reads the term dictionaries only up to that bound.
func (ix *Index) checkExpansions(q query.Query) error {
	var patterns []pattern
	collectPatterns(q, &patterns)
	if len(patterns) == 0 {
		return nil
	}
	adv, err := ix.idx.Advanced()
	if err != nil {
		return fmt.Errorf("index: read dictionary: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("index: read dictionary: %w", err)
	}
	defer r.Close()
	left := MaxExpansion
	for _, p := range patterns {
		n, err := countTerms(r, p, left+1)
		if err != nil {
			return fmt.Errorf("%w: %q: %v", ErrBadQuery, p.text, err)
		}
		if left -= n; left < 0 {
			return fmt.Errorf("%w: %q stands for more than %d indexed words; give more letters", ErrBadQuery, p.text, MaxExpansion)
		}
	}
	return nil
}

// pattern is a prefix, wildcard or regular expression of an expanded
// query, with the index field it searches and the regular expression it
// amounts to (empty for a prefix).
type pattern struct {
	text, field, prefix, regexp string
}

// collectPatterns appends the patterns of the expanded query q to out.
func collectPatterns(q query.Query, out *[]pattern) {
	switch t := q.(type) {
	case *query.BooleanQuery:
		for _, c := range []query.Query{t.Must, t.Should, t.MustNot} {
			if c != nil {
				collectPatterns(c, out)
			}
		}
	case *query.ConjunctionQuery:
		for _, c := range t.Conjuncts {
			collectPatterns(c, out)
		}
	case *query.DisjunctionQuery:
		for _, c := range t.Disjuncts {
			collectPatterns(c, out)
		}
	case *query.PrefixQuery:
		*out = append(*out, pattern{text: t.Prefix + "*", field: t.FieldVal, prefix: t.Prefix})
	case *query.WildcardQuery:
		*out = append(*out, pattern{text: t.Wildcard, field: t.FieldVal, regexp: wildcardRegexp(t.Wildcard)})
	case *query.RegexpQuery:
		*out = append(*out, pattern{text: "/" + t.Regexp + "/", field: t.FieldVal, regexp: t.Regexp})
	}
}

// wildcardRegexp is the regular expression bleve runs a wildcard as: * any
// run of characters, ? one, the rest literal.
func wildcardRegexp(w string) string {
	var b strings.Builder
	for _, r := range w {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String()
}

// countTerms counts the terms of p's field matching p, stopping at limit.
func countTerms(r index.IndexReader, p pattern, limit int) (int, error) {
	var (
		d     index.FieldDict
		match func(string) bool
		err   error
	)
	switch rr, ok := r.(index.IndexReaderRegexp); {
	case p.regexp == "":
		d, err = r.FieldDictPrefix(p.field, []byte(p.prefix))
	case ok:
		d, err = rr.FieldDictRegexp(p.field, p.regexp)
	default:
		// A reader without regular expressions (the in-memory index): the
		// expression's literal prefix, then each term tested.
		re, perr := regexp.Compile(`^(?:` + p.regexp + `)$`)
		if perr != nil {
			return 0, perr
		}
		if prefix, _ := re.LiteralPrefix(); prefix != "" {
			d, err = r.FieldDictPrefix(p.field, []byte(prefix))
		} else {
			d, err = r.FieldDict(p.field)
		}
		match = re.MatchString
	}
	if err != nil {
		return 0, err
	}
	defer d.Close()
	n := 0
	for n < limit {
		e, err := d.Next()
		if err != nil {
			return n, err
		}
		if e == nil {
			break
		}
		if match == nil || match(e.Term) {
			n++
		}
	}
	return n, nil
}
