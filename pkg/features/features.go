// Package features turns an article into weighted, typed feature keys that
// let a clusterer compare articles within and across languages: named
// entities, numbers, dates and places (language-independent), bleve's stemmed
// terms (per language) and cognate prefixes (shared by related languages).
package features

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/newsdedup/newsdedup/pkg/article"

	// Language plug-ins register their analyzers and stop lists by name.
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/da"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fa"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hu"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/nl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/no"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pt"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ro"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/sv"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/tr"
)

// Feature kinds, used as key prefixes ("ent:nunez").
const (
	KindEntity  = "ent"
	KindNumber  = "num"
	KindDate    = "date"
	KindPlace   = "place"
	KindTerm    = "term"
	KindCognate = "cog"
)

// Kind returns the kind prefix of a feature key ("term:fr:messageri" → "term").
func Kind(key string) string {
	if i := strings.IndexByte(key, ':'); i > 0 {
		return key[:i]
	}
	return ""
}

// Set is the features of one article.
type Set struct {
	// Terms maps a feature key, prefixed by its kind, to a raw tf-like
	// weight: occurrences, scaled down the further into the text they are.
	Terms map[string]float64
	// Names maps each entity key to the form it was first written in
	// ("ent:laurent nunez" → "Laurent Nuñez"), for display.
	Names map[string]string
}

// analyzerLangs maps language codes to bleve analyzer names.
var analyzerLangs = map[string]string{
	"ar": "ar", "da": "da", "de": "de", "en": "en", "es": "es", "fa": "fa", "fi": "fi", "fr": "fr",
	"hi": "hi", "hr": "hr", "hu": "hu", "it": "it", "nl": "nl", "no": "no", "nb": "no", "nn": "no",
	"pt": "pt", "ro": "ro", "ru": "ru", "sv": "sv", "tr": "tr",
	"zh": "cjk", "ja": "cjk", "ko": "cjk",
}

// Extractor computes feature sets. It is immutable after New and safe for
// concurrent use.
type Extractor struct {
	analyzers map[string]analysis.Analyzer
	plain     analysis.Analyzer // for languages bleve has no analyzer for
	// filters are the token filters of each analyzer whose tokenizer
	// splits words as ours does and whose filters see one token at a time:
	// for those, terms reuses our tokens and skips a second segmentation.
	filters map[string][]analysis.TokenFilter
	plainF  []analysis.TokenFilter
	stops   map[string]analysis.TokenMap
	places  *placeTable
	months  map[string]int
	opts    options
}

type options struct {
	titleWeight float64
	// lead is the number of words at the start of a text that count fully;
	// later words count less (news puts the story first and the site's
	// other teasers last).
	lead    float64
	minPosW float64
	cogLen  int
	cogMin  int
}

// Option tunes an Extractor.
type Option func(*options)

// WithTitleWeight sets how much a title word counts against a body word (2).
func WithTitleWeight(w float64) Option { return func(o *options) { o.titleWeight = w } }

// WithLead sets the number of leading body words that count fully (150) and
// the floor weight of words far down the text (0.25).
func WithLead(words, floor float64) Option {
	return func(o *options) { o.lead, o.minPosW = words, floor }
}

// WithCognates sets the cognate prefix length (6) and the minimum word
// length that yields one (7).
func WithCognates(prefix, minWord int) Option {
	return func(o *options) { o.cogLen, o.cogMin = prefix, minWord }
}

// New builds the analyzers of every supported language.
func New(opt ...Option) (*Extractor, error) {
	o := options{titleWeight: 2, lead: 150, minPosW: 0.25, cogLen: 6, cogMin: 7}
	for _, f := range opt {
		f(&o)
	}
	cache := registry.NewCache()
	x := &Extractor{
		analyzers: make(map[string]analysis.Analyzer),
		stops:     make(map[string]analysis.TokenMap),
		filters:   make(map[string][]analysis.TokenFilter),
		places:    newPlaceTable(),
		months:    make(map[string]int),
		opts:      o,
	}
	for lang, name := range analyzerLangs {
		an, err := cache.AnalyzerNamed(name)
		if err != nil {
			return nil, fmt.Errorf("%w: analyzer %q: %v", ErrAnalyzer, name, err)
		}
		x.analyzers[lang] = an
		if name == "cjk" {
			continue // its bigram filter pairs neighbouring tokens
		}
		if da, ok := an.(*analysis.DefaultAnalyzer); ok && len(da.CharFilters) == 0 {
			if _, ok := da.Tokenizer.(*unicode.UnicodeTokenizer); ok {
				x.filters[lang] = da.TokenFilters
			}
		}
		stop, err := cache.TokenMapNamed("stop_" + name)
		if err != nil {
			return nil, fmt.Errorf("%w: stop list %q: %v", ErrAnalyzer, name, err)
		}
		x.stops[lang] = stop
	}
	tok, err := cache.TokenizerNamed(unicode.Name)
	if err != nil {
		return nil, fmt.Errorf("%w: tokenizer: %v", ErrAnalyzer, err)
	}
	lower, err := cache.TokenFilterNamed(lowercase.Name)
	if err != nil {
		return nil, fmt.Errorf("%w: lowercase filter: %v", ErrAnalyzer, err)
	}
	x.plain = &analysis.DefaultAnalyzer{Tokenizer: tok, TokenFilters: []analysis.TokenFilter{lower}}
	x.plainF = []analysis.TokenFilter{lower}
	for _, names := range months {
		for m, alts := range names {
			for _, n := range strings.Split(alts, "|") {
				x.months[n] = m + 1
			}
		}
	}
	return x, nil
}

// BaseLang reduces "it-IT" or "FR" to "it", "fr".
func BaseLang(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	return l
}

// Of extracts the features of a's title and text, in a's language.
func (x *Extractor) Of(a article.Article) Set {
	lang := BaseLang(a.Lang)
	s := Set{Terms: make(map[string]float64), Names: make(map[string]string)}
	title := strings.TrimSpace(a.Title)
	text := a.Text
	tt := tokenize(title)
	bt := tokenize(text)
	// Words seen in lower case anywhere are common words, whatever their
	// capital at the start of a sentence says.
	lower := make(map[string]bool)
	midCaps := make(map[string]bool)
	for _, ts := range [][]token{tt, bt} {
		for _, t := range ts {
			switch {
			case t.digit:
			case !t.cap:
				lower[t.fold] = true
			case !t.start:
				midCaps[t.fold] = true
			}
		}
	}
	d := doc{x: x, lang: lang, set: s, lower: lower, midCaps: midCaps}
	d.field(tt, func(int) float64 { return x.opts.titleWeight })
	d.field(bt, x.posWeight)
	x.terms(s, lang, title, tt, func(int) float64 { return x.opts.titleWeight })
	x.terms(s, lang, text, bt, x.posWeight)
	return s
}

// posWeight is how much a body word at position p counts.
func (x *Extractor) posWeight(p int) float64 {
	if x.opts.lead <= 0 || float64(p) < x.opts.lead {
		return 1
	}
	return math.Max(x.opts.minPosW, x.opts.lead/float64(p+1))
}

// terms adds the stemmed, stop-word-free terms of bleve's analyzer. Where
// the analyzer allows, its filters run on toks, the field's words as our
// tokenizer split them, rather than on a second segmentation of the field.
func (x *Extractor) terms(s Set, lang, field string, toks []token, w func(int) float64) {
	if field == "" {
		return
	}
	an, ok := x.analyzers[lang]
	filters, fast := x.filters[lang]
	if !ok {
		an, filters, fast = x.plain, x.plainF, true
	}
	if lang == "" {
		lang = "und"
	}
	prefix := KindTerm + ":" + lang + ":"
	var stream analysis.TokenStream
	if fast {
		// One allocation for the tokens and one for their bytes, which the
		// filters may rewrite in place.
		n := 0
		for _, t := range toks {
			if t.unspaced {
				// Words run together: only the analyzer's segmentation can
				// split them.
				fast = false
				break
			}
			n += len(t.raw)
		}
		if fast {
			buf := make([]byte, 0, n)
			tokens := make([]analysis.Token, 0, len(toks))
			for _, t := range toks {
				if t.digit {
					continue
				}
				start := len(buf)
				buf = append(buf, t.raw...)
				tokens = append(tokens, analysis.Token{Term: buf[start:len(buf):len(buf)], Position: t.pos + 1, Type: analysis.AlphaNumeric})
			}
			stream = make(analysis.TokenStream, len(tokens))
			for i := range tokens {
				stream[i] = &tokens[i]
			}
		}
	}
	if fast {
		for _, f := range filters {
			stream = f.Filter(stream)
		}
	} else {
		stream = an.Analyze([]byte(field))
	}
	for _, t := range stream {
		if utf8.RuneCount(t.Term) < 2 || allDigits(t.Term) {
			continue
		}
		s.Terms[prefix+string(t.Term)] += w(t.Position - 1)
	}
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return true
}
