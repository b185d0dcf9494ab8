package index

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// MaxExpansion bounds the indexed words that the prefixes, wildcards,
// regular expressions and fuzzy terms of one query may stand for. bleve
// searches each such word as a clause of its own: over 100,000 articles
// "b*" stood for 5,788 words and took 2 s, "?*" for all 130,892 and took
// over two minutes, and "ab~2" 171 ms, where "elect*" stands for a handful
// (docs/api.md).
const MaxExpansion = 1000

// checkExpansions refuses an expanded query whose patterns stand for more
// than MaxExpansion indexed words, over all the fields they search. It
// reads the term dictionaries only up to that bound.
func (ix *Index) checkExpansions(q query.Query) error {
	var patterns []pattern
	ix.collectPatterns(q, &patterns)
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

// pattern is a prefix, wildcard, regular expression or fuzzy term of an
// expanded query, with the index field it searches and what it stands for:
// the words with a prefix, matching a regular expression, or within
// fuzziness edits of a term (sharing its first prefix bytes).
type pattern struct {
	text, field, prefix, regexp string
	fuzzy                       string
	fuzziness                   int
}

// collectPatterns appends the patterns of the expanded query q to out.
func (ix *Index) collectPatterns(q query.Query, out *[]pattern) {
	switch t := q.(type) {
	case *query.BooleanQuery:
		for _, c := range []query.Query{t.Must, t.Should, t.MustNot} {
			if c != nil {
				ix.collectPatterns(c, out)
			}
		}
	case *query.ConjunctionQuery:
		for _, c := range t.Conjuncts {
			ix.collectPatterns(c, out)
		}
	case *query.DisjunctionQuery:
		for _, c := range t.Disjuncts {
			ix.collectPatterns(c, out)
		}
	case *query.PrefixQuery:
		*out = append(*out, pattern{text: t.Prefix + "*", field: t.FieldVal, prefix: t.Prefix})
	case *query.WildcardQuery:
		*out = append(*out, pattern{text: t.Wildcard, field: t.FieldVal, regexp: wildcardRegexp(t.Wildcard)})
	case *query.RegexpQuery:
		*out = append(*out, pattern{text: "/" + t.Regexp + "/", field: t.FieldVal, regexp: t.Regexp})
	case *query.FuzzyQuery:
		*out = append(*out, fuzzyPattern(t.Term, t.FieldVal, t.Prefix, t.Fuzziness))
	case *query.MatchQuery:
		// The query string's "word~2": bleve searches each of the words
		// the field's analyzer makes of it as a fuzzy term.
		if t.Fuzziness <= 0 {
			return
		}
		a := ix.mapping.AnalyzerNamed(ix.mapping.AnalyzerNameForPath(t.FieldVal))
		if t.Analyzer != "" {
			a = ix.mapping.AnalyzerNamed(t.Analyzer)
		}
		if a == nil {
			return // the searcher reports it
		}
		for _, tok := range a.Analyze([]byte(t.Match)) {
			*out = append(*out, fuzzyPattern(string(tok.Term), t.FieldVal, t.Prefix, t.Fuzziness))
		}
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

func fuzzyPattern(term, field string, prefix, fuzziness int) pattern {
	return pattern{
		text: fmt.Sprintf("%s~%d", term, fuzziness), field: field,
		prefix: runePrefix(term, prefix), fuzzy: term, fuzziness: fuzziness,
	}
}

// runePrefix is the first n bytes of term, cut at the next rune boundary,
// as bleve's fuzzy searcher cuts it.
func runePrefix(term string, n int) string {
	if n <= 0 {
		return ""
	}
	for i := range term {
		if i >= n {
			return term[:i]
		}
	}
	return term
}

// countTerms counts the terms of p's field matching p, stopping at limit.
func countTerms(r index.IndexReader, p pattern, limit int) (int, error) {
	if p.fuzzy != "" {
		return countFuzzy(r, p, limit)
	}
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
		prefix, _ := re.LiteralPrefix()
		d, err = termsFrom(r, p.field, prefix)
		match = re.MatchString
	}
	if err != nil {
		return 0, err
	}
	return countDict(d, match, limit)
}

// countDict counts d's terms that match (all when match is nil), stopping
// at limit, and closes d.
func countDict(d index.FieldDict, match func(string) bool, limit int) (int, error) {
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

// countFuzzy counts the terms of p's field within p.fuzziness edits of
// p.fuzzy, stopping at limit: through the dictionaries' automaton where the
// reader has one, else by measuring each term after the prefix.
func countFuzzy(r index.IndexReader, p pattern, limit int) (int, error) {
	var (
		d     index.FieldDict
		match func(string) bool
		err   error
	)
	if rf, ok := r.(index.IndexReaderFuzzy); ok {
		d, err = rf.FieldDictFuzzy(p.field, p.fuzzy, p.fuzziness, p.prefix)
	} else {
		d, err = termsFrom(r, p.field, p.prefix)
		var reuse []int
		match = func(term string) bool {
			var n int
			var over bool
			n, over, reuse = search.LevenshteinDistanceMaxReuseSlice(p.fuzzy, term, p.fuzziness, reuse)
			return !over && n <= p.fuzziness
		}
	}
	if err != nil {
		return 0, err
	}
	return countDict(d, match, limit)
}

// termsFrom reads field's terms that start with prefix, all of them when
// it is empty (an empty prefix matches none in the in-memory index).
func termsFrom(r index.IndexReader, field, prefix string) (index.FieldDict, error) {
	if prefix == "" {
		return r.FieldDict(field)
	}
	return r.FieldDictPrefix(field, []byte(prefix))
}
