package index

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/newsdedup/newsdedup/pkg/features"
)

// expand rewrites the parsed query string so that unfielded words search
// every text field of the documents of kind (kindArticle: title and body;
// kindStory: headline and titles), each with its own analyzer: a single
// composite field would analyse the query with one analyzer and miss the
// per-language stems. The tree is rewritten in place so that bleve's
// query-string semantics (match-none clauses skipped) are kept. must tells
// that q sits in a required clause, where stop words need care (see fanOut).
func (ix *Index) expand(q query.Query, must bool, kind string) query.Query {
	switch t := q.(type) {
	case *query.BooleanQuery:
		if t.Must != nil {
			t.Must = ix.expand(t.Must, true, kind)
		}
		if t.Should != nil {
			t.Should = ix.expand(t.Should, false, kind)
		}
		if t.MustNot != nil {
			t.MustNot = ix.expand(t.MustNot, false, kind)
		}
		return t
	case *query.ConjunctionQuery:
		for i, c := range t.Conjuncts {
			t.Conjuncts[i] = ix.expand(c, must, kind)
		}
		return t
	case *query.DisjunctionQuery:
		for i, c := range t.Disjuncts {
			t.Disjuncts[i] = ix.expand(c, must, kind)
		}
		return t
	case *query.MatchQuery:
		if kq, ok := ix.keywordClause(t.FieldVal, t.Match); ok {
			return kq
		}
		return ix.fanOut(kind, t.FieldVal, t.Match, must, func(f string) query.Query { c := *t; c.SetField(f); return &c })
	case *query.MatchPhraseQuery:
		if kq, ok := ix.keywordClause(t.FieldVal, t.MatchPhrase); ok {
			return kq
		}
		return ix.fanOut(kind, t.FieldVal, t.MatchPhrase, must, func(f string) query.Query { c := *t; c.SetField(f); return &c })
	case *query.WildcardQuery:
		// A lone star means everything: expanded, it would search every
		// word of every text field (over two minutes over 100,000 articles).
		if _, known := aliasFields(kind, t.FieldVal); known && strings.Trim(t.Wildcard, "*") == "" {
			return query.NewMatchAllQuery()
		}
		if isTextAlias(t.FieldVal) {
			t.Wildcard = strings.ToLower(t.Wildcard) // indexed words are lower-case
		}
		return ix.fanOut(kind, t.FieldVal, "", must, func(f string) query.Query { c := *t; c.SetField(f); return &c })
	case *query.RegexpQuery:
		return ix.fanOut(kind, t.FieldVal, "", must, func(f string) query.Query { c := *t; c.SetField(f); return &c })
	case *query.FuzzyQuery:
		return ix.fanOut(kind, t.FieldVal, "", must, func(f string) query.Query { c := *t; c.SetField(f); return &c })
	case *query.PrefixQuery:
		if isTextAlias(t.FieldVal) {
			t.Prefix = strings.ToLower(t.Prefix)
		}
		return ix.fanOut(kind, t.FieldVal, "", must, func(f string) query.Query { c := *t; c.SetField(f); return &c })
	case *query.TermQuery:
		return ix.fanOut(kind, t.FieldVal, "", must, func(f string) query.Query { c := *t; c.SetField(f); return &c })
	}
	return q
}

// aliasFields gives the fields of documents of kind that field, as a user
// may write it in a query string, stands for; ok is false for a field name
// that is no alias.
func aliasFields(kind, field string) (fields []string, ok bool) {
	switch field {
	case "":
		if kind == kindStory {
			return append(titleFields(), fieldHeadline), true
		}
		return textFields(), true
	case "text":
		if kind == kindStory {
			return titleFields(), true
		}
		return textFields(), true
	case "title":
		// The headline: an article's document has none, so this finds
		// stories by their own document alone.
		return []string{fieldHeadline}, true
	case "lang", "language":
		return []string{fieldLanguages}, true
	case "source":
		return []string{fieldSources}, true
	}
	return nil, false
}

// isTextAlias tells the query-string fields that search analysed text,
// whose indexed words are lower-case, from the keyword fields.
func isTextAlias(field string) bool {
	return field == "" || field == "text" || field == "title"
}

// fanOut builds a disjunction of at(f) over the fields that field stands
// for. When text is given, a field whose analyzer reduces it to nothing (a
// stop word in that language) cannot match it. In an optional clause that
// field is just left out. In a required clause the word is deemed present in
// every story that has text in that language, as it would be had the
// language's analyzer dropped it from the query; a word the headline's
// analyzer drops is deemed present everywhere, so the clause becomes
// match-none, which the query-string conjunction skips.
func (ix *Index) fanOut(kind, field, text string, must bool, at func(string) query.Query) query.Query {
	fields, ok := aliasFields(kind, field)
	if !ok {
		return at(field)
	}
	var qs []query.Query
	for _, f := range fields {
		if text == "" || ix.hasTokens(f, text) {
			qs = append(qs, at(f))
			continue
		}
		if !must {
			continue
		}
		lang, isLang := fieldLang(f)
		if _, known := langAnalyzers[lang]; !isLang || !known {
			return query.NewMatchNoneQuery()
		}
		qs = append(qs, termQuery(fieldLanguages, lang))
	}
	return anyOf(qs)
}

// keywordClause answers the lang: and source: clauses of a query string.
// Those fields hold whole values ("fr", "Cronaca Verde"), which bleve's
// match query finds only as typed, case included, and its phrase query not
// at all (keyword fields keep no positions). ok is false for other fields.
func (ix *Index) keywordClause(field, value string) (q query.Query, ok bool) {
	switch field {
	case "lang", "language":
		if l := normLang(value); l != "" {
			return termQuery(fieldLanguages, l), true
		}
		return query.NewMatchNoneQuery(), true
	case "source":
		return ix.sourceClause(value), true
	}
	return nil, false
}

// maxSourceMatches bounds the sources one source: clause may stand for.
const maxSourceMatches = 200

// sourceClause matches the sources whose names hold value's words in a row,
// case and accents aside: source:cronaca and source:"cronaca verde" both
// find "Cronaca Verde", source:corriere.example finds that host.
func (ix *Index) sourceClause(value string) query.Query {
	want := foldedWords(value)
	if len(want) == 0 {
		return query.NewMatchNoneQuery()
	}
	var qs []query.Query
	err := ix.eachSource(func(name string) bool {
		if holdsRun(foldedWords(name), want) {
			qs = append(qs, termQuery(fieldSources, name))
		}
		return len(qs) < maxSourceMatches
	})
	if err != nil {
		return termQuery(fieldSources, strings.TrimSpace(value))
	}
	return anyOf(qs)
}

// sourceNames maps the source filter's values to the names the index holds,
// case and accents aside ("cronaca verde" → "Cronaca Verde"), as the
// language filter takes "FR" for "fr". A value no source answers to is kept
// as given, to match nothing.
func (ix *Index) sourceNames(values []string) []string {
	if len(values) == 0 {
		return values
	}
	names := map[string][]string{} // folded value → the names it stands for
	for _, v := range values {
		names[features.Fold(strings.TrimSpace(v))] = nil
	}
	// Sources are few (one term each in the index's dictionary): read whole.
	_ = ix.eachSource(func(name string) bool {
		k := features.Fold(name)
		if ns, ok := names[k]; ok {
			names[k] = append(ns, name)
		}
		return true
	})
	out := make([]string, 0, len(values))
	for _, v := range values {
		ns := names[features.Fold(strings.TrimSpace(v))]
		if len(ns) == 0 {
			ns = []string{v}
		}
		for _, n := range ns {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// eachSource calls fn with each source name in the index until it returns
// false.
func (ix *Index) eachSource(fn func(name string) bool) error {
	dict, err := ix.idx.FieldDict(fieldSources)
	if err != nil {
		return fmt.Errorf("index: read sources: %w", err)
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil {
			return fmt.Errorf("index: read sources: %w", err)
		}
		if e == nil || !fn(e.Term) {
			return nil
		}
	}
}

// foldedWords splits s into lower-case, unaccented words.
func foldedWords(s string) []string {
	return strings.FieldsFunc(features.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// holdsRun reports whether run occurs in words as consecutive words.
func holdsRun(words, run []string) bool {
	for i := 0; i+len(run) <= len(words); i++ {
		if slices.Equal(words[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// anyOf matches what any of qs matches: nothing when qs is empty.
func anyOf(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return query.NewMatchNoneQuery()
	case 1:
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

func (ix *Index) hasTokens(field, text string) bool {
	a := ix.mapping.AnalyzerNamed(ix.mapping.AnalyzerNameForPath(field))
	// Without an analyzer keep the field: the searcher will report it.
	return a == nil || len(a.Analyze([]byte(text))) > 0
}

// filterQuery restricts to story documents matching the filters: any of
// langs, any of sources, last_seen in [from, to).
func filterQuery(langs, sources []string, from, to time.Time) (query.Query, error) {
	qs := []query.Query{termQuery(fieldKind, kindStory)}
	if q := anyTerm(fieldLanguages, langs, normLang); q != nil {
		qs = append(qs, q)
	}
	if q := anyTerm(fieldSources, sources, strings.TrimSpace); q != nil {
		qs = append(qs, q)
	}
	if !from.IsZero() || !to.IsZero() {
		for _, t := range []time.Time{from, to} {
			if !t.IsZero() && !inRange(t) {
				return nil, fmt.Errorf("%w: date %s out of range (years %d-%d)", ErrBadQuery, t.Format(time.RFC3339), minYear, maxYear)
			}
		}
		if !from.IsZero() && !to.IsZero() && !from.Before(to) {
			return nil, fmt.Errorf("%w: from %s is not before to %s", ErrBadQuery, from.Format(time.RFC3339), to.Format(time.RFC3339))
		}
		incl, excl := true, false
		dr := query.NewDateRangeInclusiveQuery(from, to, &incl, &excl)
		dr.SetField(fieldLastSeen)
		qs = append(qs, dr)
	}
	return query.NewConjunctionQuery(qs), nil
}

func termQuery(field, term string) query.Query {
	q := query.NewTermQuery(term)
	q.SetField(field)
	return q
}

// anyTerm matches any of the normalised values; nil when there are none.
func anyTerm(field string, values []string, norm func(string) string) query.Query {
	var qs []query.Query
	for _, v := range values {
		if v = norm(v); v != "" {
			qs = append(qs, termQuery(field, v))
		}
	}
	if len(qs) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(qs)
}
