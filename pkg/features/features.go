// Package features turns an article into weighted, typed feature keys that
// let a clusterer compare articles within and across languages: named
// entities, numbers, dates and places (language-independent), bleve's stemmed
// terms (per language), cognate prefixes (shared by related languages) and
// English glosses of content words from a bilingual lexicon (pkg/lexicon).
package features

import (
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/lexicon"

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
	KindEntity = "ent"
	KindNumber = "num"
	KindDate   = "date"
	KindPlace  = "place"
	// KindLoc marks a name written where a place goes ("in Banstead"),
	// beside its entity feature.
	KindLoc     = "loc"
	KindTerm    = "term"
	KindCognate = "cog"
	// KindGloss keys a content word by the stem of an English translation
	// ("gl:ministri" for ministero, ministère, Ministerium and ministry).
	KindGloss = "gl"
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
	// lex gives the English glosses of non-English words; nil without
	// one. glossEn is set when it has a language: English words then
	// gloss as themselves, and without a dictionary they stay terms.
	lex     *lexicon.Lexicon
	glossEn bool
	// pool holds Of's scratch memory (*ofScratch) between calls, stemPool
	// stem's (*termMemo, its term and token only).
	pool, stemPool sync.Pool
}

type options struct {
	titleWeight float64
	// lead is the number of words at the start of a text that count fully;
	// later words count less (news puts the story first and the site's
	// other teasers last).
	lead    float64
	minPosW float64
	// headWords and headWeight: an article without a title has its first
	// headWords body words count headWeight times, standing in for the
	// headline that feeds and pair sets run into the text.
	headWords  int
	headWeight float64
	cogLen     int
	cogMin     int
	lex        *lexicon.Lexicon
	lexSet     bool
	// gloss and glossTerm are the weights of a glossed word's glosses
	// (shared between them) and of its own term.
	gloss     float64
	glossTerm float64
	log       *slog.Logger
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

// WithUntitledHead sets how many of the first body words of an article
// without a title count as a headline (8), and how much each then counts
// (1.5; a title word counts WithTitleWeight). 0 words turns it off.
func WithUntitledHead(words int, weight float64) Option {
	return func(o *options) { o.headWords, o.headWeight = words, weight }
}

// WithCognates sets the cognate prefix length (6) and the minimum word
// length that yields one (7).
func WithCognates(prefix, minWord int) Option {
	return func(o *options) { o.cogLen, o.cogMin = prefix, minWord }
}

// WithLexicon sets the bilingual lexicon whose English glosses tie content
// words across languages (KindGloss); nil turns glosses off. Without this
// option New opens the FreeDict databases installed in lexicon.DefaultDir,
// each language read when its first article comes: extractors of one
// process should share one lexicon (NewLexicon) to read them once.
func WithLexicon(l *lexicon.Lexicon) Option {
	return func(o *options) { o.lex, o.lexSet = l, true }
}

// WithGlossWeights sets what a word with an English gloss counts as: term
// times its weight as a term, gloss times its weight shared by its glosses.
// English words gloss as themselves, by the same rule. The default, 0 and
// 1, keys a glossed word by its gloss alone: keeping half of it as a term
// as well measured within about a point either way (docs/quality.md), with
// a feature more per word to store and compare.
func WithGlossWeights(term, gloss float64) Option {
	return func(o *options) { o.glossTerm, o.gloss = term, gloss }
}

// WithLogger sets where the extractor reports its lexicon (slog.Default).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// New builds the analyzers of every supported language.
func New(opt ...Option) (*Extractor, error) {
	o := options{titleWeight: 2, lead: 150, minPosW: 0.25, headWords: 8, headWeight: 1.5, cogLen: 6, cogMin: 7, glossTerm: 0, gloss: 1}
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
	// Polish, which bleve lacks, gets our light stemmer.
	plF := []analysis.TokenFilter{lower, polishStemFilter{}}
	x.analyzers["pl"] = &analysis.DefaultAnalyzer{Tokenizer: tok, TokenFilters: plF}
	x.filters["pl"] = plF
	for _, names := range months {
		for m, alts := range names {
			for _, n := range strings.Split(alts, "|") {
				x.months[n] = m + 1
			}
		}
	}
	if o.log == nil {
		o.log = slog.Default()
	}
	x.lex = o.lex
	if !o.lexSet {
		x.lex = x.openLexicon(lexicon.DefaultDir, "", o.log)
		if len(x.lex.Languages()) == 0 {
			o.log.Info("features: no FreeDict dictionary installed, so articles get no cross-language glosses; 'make deps' installs them",
				"dir", x.lex.Dir(), "packages", strings.Join(x.lex.Missing(), " "))
		}
	}
	x.glossEn = x.lex != nil && len(x.lex.Languages()) > 0
	return x, nil
}

// LexiconPrint fingerprints the dictionaries behind the extractor's
// glosses ("" without any): features computed under other dictionaries
// differ.
func (x *Extractor) LexiconPrint() string {
	if x.lex == nil {
		return ""
	}
	return x.lex.Fingerprint() + glossRules
}

// glossRules names how words are glossed beyond the dictionaries' own
// entries (compounds split into their parts, Spanish and Portuguese verb
// forms looked up by their infinitive, Italian plurals by their singular),
// so that a snapshot of features glossed otherwise is not mixed with new
// ones.
const glossRules = "|compounds|verbs es pt|vowels it"

// NewLexicon opens the FreeDict databases in dir (lexicon.DefaultDir when
// empty), and CC-CEDICT at lexicon.DefaultCEDICT, keyed as extractors stem
// words, for extractors to share through WithLexicon. Its tables are read
// on first use.
func NewLexicon(dir string) (*lexicon.Lexicon, error) {
	x, err := New(WithLexicon(nil))
	if err != nil {
		return nil, err
	}
	return x.openLexicon(dir, "", slog.Default()), nil
}

// openLexicon opens a lexicon whose headwords are keyed by x's stems of
// their language and whose English translations by x's English stems, as
// gloss feature keys, so that Of looks words up by the terms it computes.
// cedict is CC-CEDICT's JSON (lexicon.DefaultCEDICT when empty).
func (x *Extractor) openLexicon(dir, cedict string, log *slog.Logger) *lexicon.Lexicon {
	return lexicon.Open(lexicon.Options{
		Dir:    dir,
		CEDICT: cedict,
		// The one gloss most of a word's dictionary articles agree on:
		// measured a little better than three (docs/quality.md).
		MaxGlosses: 1,
		Key:        func(lang, w string) string { return x.stem(lang, w) },
		Gloss: func(w string) string {
			if st := x.stem("en", w); st != "" {
				return KindGloss + ":" + st
			}
			return ""
		},
		OnLoad: func(lang string, t *lexicon.Table, took time.Duration, err error) {
			if err != nil {
				log.Warn("features: lexicon not read, no glosses for this language", "lang", lang, "err", err)
				return
			}
			log.Debug("features: lexicon read", "lang", lang, "words", t.Len(), "glosses", t.Words(), "took", took)
		},
	})
}

// stem is the term that terms computes for one word of a language; "" for
// stop words, numbers and anything that is not one word.
func (x *Extractor) stem(lang, word string) string {
	// What tokenize would split or key otherwise is not one word.
	if word == "" {
		return ""
	}
	// A run of Chinese is cut into pairs of characters, so a dictionary's
	// two-character word is a term as it stands; words of three and four
	// are looked up as written in the runs (chineseWords).
	if r, _ := utf8.DecodeRuneInString(word); lang == "zh" && unspacedRune(r) {
		return hanWord(word)
	}
	for i, r := range word {
		if !isWordRune(r) || i == 0 && !plainWordStart(r) {
			return ""
		}
	}
	filters, ok := x.filters[lang]
	if an, isAn := x.analyzers[lang]; !ok && isAn {
		return oneTerm(an.Analyze([]byte(word)))
	} else if !ok {
		filters = x.plainF
	}
	// A lexicon is keyed by stemming each of its words once: its scratch
	// is reused, as Of's is, rather than a token and a copy of the word
	// allocated per word.
	sc, _ := x.stemPool.Get().(*termMemo)
	if sc == nil {
		sc = &termMemo{}
	}
	sc.term = append(sc.term[:0], word...)
	sc.tok = analysis.Token{Term: sc.term, Position: 1, Type: analysis.AlphaNumeric}
	sc.stream[0] = &sc.tok
	stream := analysis.TokenStream(sc.stream[:])
	for _, f := range filters {
		stream = f.Filter(stream)
	}
	st := oneTerm(stream)
	x.stemPool.Put(sc)
	return st
}

// oneTerm is the term of a stream of one token; "" for any other stream, a
// single letter or a number.
func oneTerm(stream analysis.TokenStream) string {
	if len(stream) != 1 || utf8.RuneCount(stream[0].Term) < 2 || allDigits(stream[0].Term) {
		return ""
	}
	return string(stream[0].Term)
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
	s, _ := x.of(a, nil)
	return s
}

// OfRepeats is Of with the words of a footer that r has seen end other
// articles counting little (Repeats). It also returns the hashes of the
// text's last runs of words, for r.Learn.
func (x *Extractor) OfRepeats(a article.Article, r *Repeats) (Set, []uint64) { return x.of(a, r) }

func (x *Extractor) of(a article.Article, r *Repeats) (Set, []uint64) {
	lang := BaseLang(a.Lang)
	title := strings.TrimSpace(a.Title)
	text := a.Text
	sc := x.scratch()
	defer x.release(sc)
	sc.tt = tokenizeInto(sc.tt, title, &sc.tok)
	sc.bt = tokenizeInto(sc.bt, text, &sc.tok)
	tt, bt := sc.tt, sc.bt
	// Words seen in lower case anywhere are common words, whatever their
	// capital at the start of a sentence says.
	lower, midCaps := sc.lower, sc.midCaps
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
	acc := &sc.acc
	s := Set{Names: make(map[string]string)}
	d := doc{x: x, lang: lang, set: s, acc: acc, stops: x.stops[lang], lower: lower, midCaps: midCaps, key: sc.key}
	d.field(tt, func(int) float64 { return x.opts.titleWeight })
	bw := x.posWeight
	if title == "" && x.opts.headWords > 0 {
		bw = x.headWeight
	}
	var runs []uint64
	if r != nil {
		runs = appendRuns(make([]uint64, 0, TailRuns), bt)
		bw = r.weigh(bt, runs, bw)
	}
	d.field(bt, bw)
	sc.key = d.key
	m := &sc.memo
	x.terms(acc, m, lang, title, tt, func(int) float64 { return x.opts.titleWeight })
	x.terms(acc, m, lang, text, bt, bw)
	s.Terms = acc.terms()
	return s, runs
}

// ofScratch is Of's working memory, reused from one article to the next
// (Extractor.pool): its slices and maps keep their size, so an article
// allocates little more than its Set.
type ofScratch struct {
	tt, bt         []token
	tok            tokenScratch
	lower, midCaps map[string]bool
	acc            sums
	memo           termMemo
	key            []byte
}

// maxScratchWords bounds the articles whose scratch is kept: one huge text
// must not keep its maps' size for good.
const maxScratchWords = 1 << 15

func (x *Extractor) scratch() *ofScratch {
	if sc, ok := x.pool.Get().(*ofScratch); ok {
		return sc
	}
	return &ofScratch{
		lower: make(map[string]bool), midCaps: make(map[string]bool),
		acc:  sums{ids: make(map[string]int32)},
		memo: termMemo{words: make(map[string][2]int32)},
	}
}

// release empties sc (it must not hold on to the article's text) and keeps
// it for another call unless the article was huge.
func (x *Extractor) release(sc *ofScratch) {
	if len(sc.bt)+len(sc.tt) > maxScratchWords {
		return
	}
	clear(sc.tt)
	clear(sc.bt)
	sc.tt, sc.bt = sc.tt[:0], sc.bt[:0]
	clear(sc.lower)
	clear(sc.midCaps)
	sc.acc.reset()
	sc.memo.reset()
	x.pool.Put(sc)
}

// posWeight is how much a body word at position p counts.
func (x *Extractor) posWeight(p int) float64 {
	if x.opts.lead <= 0 || float64(p) < x.opts.lead {
		return 1
	}
	return math.Max(x.opts.minPosW, x.opts.lead/float64(p+1))
}

// headWeight is posWeight for an article without a title, whose first
// words are most often its headline run into the text ("Meloni contestata
// a Livorno. La leader di…"; pair sets and many feeds give no title field).
// They say what the story is, while the end of such a text is often a
// site's footer shared by its unrelated posts ("Pierre Cantagallo -
// Video"). Counted less than a title, since the first words are not
// always a headline (docs/quality.md: 2 merged two events of an ECB+ topic).
func (x *Extractor) headWeight(p int) float64 {
	if p < x.opts.headWords {
		return math.Max(x.opts.headWeight, x.posWeight(p))
	}
	return x.posWeight(p)
}

// terms adds the stemmed, stop-word-free terms of bleve's analyzer, a
// word the lexicon glosses keyed by its gloss.
//
// Where the analyzer's filters run on our tokens (termStream), each
// distinct word is filtered and glossed once (its terms memoised in m) and
// every occurrence adds its weight in the order the stream would: the
// filters see one token at a time, so a word's terms do not depend on its
// neighbours (TestWordAtATime checks it for every language).
func (x *Extractor) terms(acc *sums, m *termMemo, lang, field string, toks []token, w func(int) float64) {
	if field == "" {
		return
	}
	prefix := KindTerm + ":" + lang + ":"
	if lang == "" {
		prefix = KindTerm + ":und:"
	}
	table := x.table(lang)
	filters, fast := x.wordFilters(lang, toks)
	if !fast {
		for _, t := range x.termStream(lang, field, toks) {
			from := len(m.parts)
			m.parts = x.termParts(m.parts, acc, table, lang, prefix, t.Term)
			x.addParts(acc, m.parts[from:], w(t.Position-1))
			m.parts = m.parts[:from]
		}
		if lang == "zh" && table != nil {
			x.chineseWords(acc, m, table, toks, w)
		}
		return
	}
	for _, t := range toks {
		if t.digit {
			continue
		}
		r, ok := m.words[t.raw]
		if !ok {
			r = m.word(x, acc, filters, table, lang, prefix, t.raw)
		}
		if r[0] < r[1] {
			x.addParts(acc, m.parts[r[0]:r[1]], w(int(t.pos)))
		}
	}
}

// termPart is one key a word adds to, and how its weight is scaled.
type termPart struct {
	id   int32 // in sums
	kind uint8 // partTerm, partGlossTerm or partGloss
	n    int32 // partGloss: the word's glosses, which share its weight
}

const (
	partTerm      = iota // a word without gloss: its term, its whole weight
	partGlossTerm        // a glossed word's own term, WithGlossWeights' term
	partGloss            // one of a glossed word's glosses
)

// termMemo holds what the words of one article add, filtered and glossed
// once each.
type termMemo struct {
	words  map[string][2]int32 // word as written → parts[from:to]
	parts  []termPart
	term   []byte
	tok    analysis.Token
	stream [1]*analysis.Token
}

func newTermMemo(hint int) *termMemo {
	return &termMemo{words: make(map[string][2]int32, hint/2), parts: make([]termPart, 0, hint/2)}
}

// reset empties m for another article, keeping its memory.
func (m *termMemo) reset() {
	clear(m.words)
	m.parts = m.parts[:0]
	m.stream[0] = nil
	m.tok = analysis.Token{}
}

// word filters and glosses one word, memoising its parts.
func (m *termMemo) word(x *Extractor, acc *sums, filters []analysis.TokenFilter, table *lexicon.Table, lang, prefix, raw string) [2]int32 {
	// Capacity at the word's end, as termStream gives each token: a filter
	// that lengthens a term in place must not run into other bytes.
	m.term = append(m.term[:0], raw...)
	m.tok = analysis.Token{Term: m.term[:len(raw):len(raw)], Position: 1, Type: analysis.AlphaNumeric}
	m.stream[0] = &m.tok
	stream := analysis.TokenStream(m.stream[:])
	for _, f := range filters {
		stream = f.Filter(stream)
	}
	from := len(m.parts)
	for _, t := range stream {
		m.parts = x.termParts(m.parts, acc, table, lang, prefix, t.Term)
	}
	r := [2]int32{int32(from), int32(len(m.parts))}
	m.words[raw] = r
	return r
}

// termParts appends the parts of one term of the stream: its term key, or
// its gloss keys (and its term key, with a glossTerm weight).
func (x *Extractor) termParts(dst []termPart, acc *sums, table *lexicon.Table, lang, prefix string, t []byte) []termPart {
	if utf8.RuneCount(t) < 2 || allDigits(t) {
		return dst
	}
	term := string(t)
	var buf [4]string
	gs := x.glosses(table, lang, term, buf[:0])
	if len(gs) == 0 {
		if cs, headN, ok := x.compound(table, lang, term, buf[:0]); ok {
			return x.compoundParts(dst, acc, prefix+term, cs, headN)
		}
		return append(dst, termPart{id: acc.id(prefix + term), kind: partTerm})
	}
	// A glossed word meets its translations in other languages and
	// still its own forms in its language, which gloss alike.
	if x.opts.glossTerm > 0 {
		dst = append(dst, termPart{id: acc.id(prefix + term), kind: partGlossTerm})
	}
	return appendGlosses(dst, acc, gs, len(gs))
}

// appendGlosses appends a part for each of a word's glosses gs, which share
// its weight n ways.
func appendGlosses(dst []termPart, acc *sums, gs []string, n int) []termPart {
	for _, g := range gs {
		dst = append(dst, termPart{id: acc.id(g), kind: partGloss, n: int32(n)})
	}
	return dst
}

// addParts adds a word's weight wt to each of its parts.
func (x *Extractor) addParts(acc *sums, parts []termPart, wt float64) {
	for _, p := range parts {
		switch p.kind {
		case partTerm:
			acc.vals[p.id] += wt
		case partGlossTerm:
			acc.vals[p.id] += wt * x.opts.glossTerm
		default:
			acc.vals[p.id] += wt * x.opts.gloss / float64(p.n)
		}
	}
}

// wordFilters returns the filters that termStream runs on our tokens for
// lang, and whether it does for these tokens.
func (x *Extractor) wordFilters(lang string, toks []token) ([]analysis.TokenFilter, bool) {
	_, ok := x.analyzers[lang]
	filters, fast := x.filters[lang]
	if !ok {
		filters, fast = x.plainF, true
	}
	for _, t := range toks {
		if t.unspaced {
			return nil, false
		}
	}
	return filters, fast
}

// termStream runs bleve's analyzer of lang over a field. Where the analyzer
// allows, its filters run on toks, the field's words as our tokenizer split
// them, rather than on a second segmentation of the field.
func (x *Extractor) termStream(lang, field string, toks []token) analysis.TokenStream {
	an, ok := x.analyzers[lang]
	if !ok {
		an = x.plain
	}
	filters, fast := x.wordFilters(lang, toks)
	if !fast {
		return an.Analyze([]byte(field))
	}
	// One allocation for the tokens and one for their bytes, which the
	// filters may rewrite in place.
	n := 0
	for _, t := range toks {
		n += len(t.raw)
	}
	buf := make([]byte, 0, n)
	tokens := make([]analysis.Token, 0, len(toks))
	for _, t := range toks {
		if t.digit {
			continue
		}
		start := len(buf)
		buf = append(buf, t.raw...)
		tokens = append(tokens, analysis.Token{Term: buf[start:len(buf):len(buf)], Position: int(t.pos) + 1, Type: analysis.AlphaNumeric})
	}
	stream := make(analysis.TokenStream, len(tokens))
	for i := range tokens {
		stream[i] = &tokens[i]
	}
	for _, f := range filters {
		stream = f.Filter(stream)
	}
	return stream
}

// table is the lexicon's table of a non-English language; nil without one.
func (x *Extractor) table(lang string) *lexicon.Table {
	if x.lex == nil || lang == "en" {
		return nil
	}
	t, _ := x.lex.Table(lang) // a failure was logged once; no glosses then
	return t
}

// glosses appends the gloss keys of a term of lang to buf: an English word
// glosses as itself (so that an English article meets the glosses of
// another language's), another language's as its table says.
func (x *Extractor) glosses(table *lexicon.Table, lang, term string, buf []string) []string {
	switch {
	case x.glossEn && lang == "en":
		return append(buf, KindGloss+":"+term)
	case table == nil:
		return buf
	}
	n := len(buf)
	if buf = table.Glosses(term, buf); len(buf) > n {
		return buf
	}
	base, ends := verbKeys(lang, term)
	var kb [32]byte
	for _, e := range ends {
		k := append(append(kb[:0], base...), e...)
		if buf = table.Glosses(string(k), buf); len(buf) > n {
			return buf
		}
	}
	base, ends = vowelKeys(lang, term)
	for _, e := range ends {
		k := append(append(kb[:0], base...), e...)
		if buf = table.Glosses(string(k), buf); len(buf) > n {
			return buf
		}
	}
	return buf
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return true
}
