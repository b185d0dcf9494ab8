// Package langid identifies the language of an article's text among the
// languages lingua-go knows, using lingua's own n-gram models.
//
// lingua scores every n-gram of the whole text against every language's
// model, each held in its own string-keyed map; with all 75 languages that
// is tens of milliseconds a news article and, once short texts have pulled
// in the longer n-gram models, about a gigabyte of heap. This package reads
// the same model data into one compact inverted index per writing system,
// picks the candidates by script first, and reads only as much of the text
// as it takes for one language to lead clearly: about 0.1 ms an article
// with every language, in under 100 MB. See docs/langid.md for figures.
package langid

import (
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/pemistahl/lingua-go"
)

// DefaultLanguages is a broad European set plus the largest world languages
// our newsrooms meet. Every language costs scoring time and memory, so the
// default is a list; Config{Languages: []string{"all"}} takes every language
// lingua knows.
var DefaultLanguages = []string{
	"it", "fr", "en", "de", "es", "pt", "nl", "pl", "ro", "cs", "sv", "da",
	"fi", "el", "hu", "ca", "hr", "bg", "sk", "sl", "ru", "uk", "tr", "ar", "zh",
}

// All, given as an entry of Config.Languages, selects every language lingua
// knows (75 in lingua-go v1.4.0).
const All = "all"

// Config chooses the languages the detector considers.
type Config struct {
	// Languages are ISO 639-1 codes; empty means DefaultLanguages and
	// []string{All} means every lingua language.
	Languages []string
	// MaxChars bounds how many bytes of the text are ever read: a few
	// thousand characters decide the language of a news article as well as
	// the whole of it, and most texts are decided well before that.
	MaxChars int
}

// Result is a detected language and the detector's confidence in it (0..1):
// the posterior of the best language among the candidates of the text's
// script, 1 when the script alone decides.
type Result struct {
	Lang       string  `json:"lang"`
	Confidence float64 `json:"confidence"`
}

// params are the scoring constants; fixed in New, unexported so that the
// tests can vary them.
type params struct {
	floor    float64 // log-probability of a letter a language never saw
	backoff  float64 // log-penalty for backing off to a shorter n-gram
	maxOrder int     // longest n-gram scored (lingua ships up to 5)
	// The text is scored in steps: after minLetters letters, and then every
	// step letters, scoring stops once the best language leads the second by
	// margin nats (a likelihood ratio of e^margin).
	minLetters, step int
	margin           float64
}

func defaultParams() params {
	return params{
		floor:      math.Log(1e-6),
		backoff:    math.Log(0.3),
		maxOrder:   4,
		minLetters: 200,
		step:       200,
		margin:     25,
	}
}

// language is one configured language with its unigram log-probabilities.
type language struct {
	code    string
	uni     map[rune]float64
	multi   bool // has models beyond unigrams
	scripts []script
}

// group holds the languages written in one script and, once a text in that
// script is seen, their n-gram index.
type group struct {
	langs []*language
	once  sync.Once
	alpha *alphabet
	index *index
	err   error
}

// Detector detects languages; it is safe for concurrent use. The n-gram
// index of a script is built on the first text written in it.
type Detector struct {
	p        params
	maxChars int
	groups   [numScripts]*group
	scratch  sync.Pool // *scratch
}

// New builds a detector for cfg's languages.
func New(cfg Config) (*Detector, error) {
	return newDetector(cfg, defaultParams())
}

func newDetector(cfg Config, p params) (*Detector, error) {
	codes, err := resolve(cfg.Languages)
	if err != nil {
		return nil, err
	}
	maxChars := cfg.MaxChars
	if maxChars <= 0 {
		maxChars = 3000
	}
	d := &Detector{p: p, maxChars: maxChars}
	for _, code := range codes {
		l, err := loadLanguage(code)
		if err != nil {
			return nil, err
		}
		for _, s := range l.scripts {
			if d.groups[s] == nil {
				d.groups[s] = &group{}
			}
			d.groups[s].langs = append(d.groups[s].langs, l)
		}
	}
	return d, nil
}

// resolve validates codes and expands All; lingua's rule of at least two
// languages is kept so that configurations stay portable to it.
func resolve(codes []string) ([]string, error) {
	if len(codes) == 0 {
		codes = DefaultLanguages
	}
	for _, c := range codes {
		if strings.EqualFold(strings.TrimSpace(c), All) {
			var all []string
			for _, l := range lingua.AllLanguages() {
				all = append(all, strings.ToLower(l.IsoCode639_1().String()))
			}
			return all, nil
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range codes {
		c = strings.ToLower(strings.TrimSpace(c))
		iso := lingua.GetIsoCode639_1FromValue(strings.ToUpper(c))
		if iso == lingua.IsoCode639_1(0) || lingua.GetLanguageFromIsoCode639_1(iso) == lingua.Unknown {
			return nil, fmt.Errorf("%w: %q", ErrUnknownLanguage, c)
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	if len(out) < 2 {
		return nil, fmt.Errorf("%w: at least two languages are needed, got %v", ErrUnknownLanguage, codes)
	}
	return out, nil
}

// loadLanguage reads code's unigram model, which also tells the scripts the
// language is written in: those holding at least 1% of its letters.
func loadLanguage(code string) (*language, error) {
	l := &language{code: code, uni: map[rune]float64{}}
	var mass [numScripts]float64
	err := readModel(code, 1, modelVisitor{ngram: func(prob float64, gram []byte) {
		r := []rune(string(gram))
		if len(r) != 1 || prob <= 0 {
			return
		}
		l.uni[r[0]] = math.Log(prob)
		mass[scriptOf(r[0])] += prob
	}})
	if err != nil {
		return nil, err
	}
	if len(l.uni) == 0 {
		return nil, fmt.Errorf("%w: no unigram model for %q", ErrModel, code)
	}
	for s := scriptLatin; s < numScripts; s++ {
		if mass[s] >= 0.01 {
			l.scripts = append(l.scripts, s)
		}
	}
	l.multi = hasModel(code, 2)
	return l, nil
}

func (g *group) load(p params) error {
	g.once.Do(func() {
		g.alpha, g.index, g.err = buildIndex(p, g.langs)
	})
	return g.err
}

// Preload builds the n-gram index of every script now rather than on the
// first text written in it: a service calls it at start so that no message
// waits for a build (about a second for the Latin-script languages).
func (d *Detector) Preload() error {
	for _, g := range d.groups {
		if g != nil && len(g.langs) > 1 {
			if err := g.load(d.p); err != nil {
				return err
			}
		}
	}
	return nil
}

// Detect returns the most likely language of text.
func (d *Detector) Detect(text string) (Result, error) {
	text = window(text, d.maxChars)
	weight := scriptWeights(text)
	g, s := d.pickGroup(&weight)
	if g == nil {
		return Result{}, ErrUndetermined
	}
	sc := d.getScratch(len(g.langs))
	defer d.scratch.Put(sc)
	if n := g.candidates(s, &weight, sc.active); n == 1 {
		for i, ok := range sc.active {
			if ok {
				return Result{Lang: g.langs[i].code, Confidence: 1}, nil
			}
		}
	}
	if err := g.load(d.p); err != nil {
		return Result{}, err
	}
	best, second := d.score(g, text, sc)
	if best < 0 || second >= 0 && sc.scores[best] == sc.scores[second] {
		return Result{}, ErrUndetermined
	}
	return Result{Lang: g.langs[best].code, Confidence: sc.posterior(best)}, nil
}

// censusLetters is how many letters decide the script: enough to outvote
// names and quotes in another script, few enough to cost nothing.
const censusLetters = 1000

// scriptWeights tallies the script of text's first letters.
func scriptWeights(text string) [numScripts]int {
	var weight [numScripts]int
	n := 0
	for _, r := range text {
		if isLetter(r) {
			s := scriptOf(r)
			weight[s] += scriptWeight(s)
			if n++; n == censusLetters {
				break
			}
		}
	}
	return weight
}

// pickGroup returns the group of the script most of text's letters are in,
// among the scripts some configured language is written in.
func (d *Detector) pickGroup(weight *[numScripts]int) (*group, script) {
	var best *group
	bestS, bestW := scriptNone, 0
	for s := scriptLatin; s < numScripts; s++ {
		if d.groups[s] != nil && weight[s] > bestW {
			best, bestS, bestW = d.groups[s], s, weight[s]
		}
	}
	return best, bestS
}

// candidates marks in active the group's languages the text can be in and
// returns their number. A language written in several scripts (Japanese:
// kanji and kana) is left out when the text shows too little of its other
// scripts, as long as another language remains: lingua's Chinese model is in
// traditional characters, so simplified Chinese text must not be scored
// against Japanese kanji.
func (g *group) candidates(s script, weight *[numScripts]int, active []bool) int {
	n := 0
	for i, l := range g.langs {
		active[i] = true
		if len(l.scripts) > 1 {
			other := 0
			for _, ls := range l.scripts {
				if ls != s {
					other += weight[ls]
				}
			}
			active[i] = other*10 >= weight[s]
		}
		if active[i] {
			n++
		}
	}
	if n == 0 {
		for i := range active {
			active[i] = true
		}
		n = len(active)
	}
	return n
}

// window is the part of text that is read: the title line is skipped when
// a body follows (titles are short, capitalised and full of names), and at
// most maxChars bytes are kept, cut at a word boundary.
func window(text string, maxChars int) string {
	if nl := strings.IndexByte(text, '\n'); nl >= 0 && nl < 400 && len(text)-nl > 400 {
		text = text[nl+1:]
	}
	return clip(text, maxChars)
}

// clip cuts text to at most n bytes at a rune boundary after whitespace.
func clip(text string, n int) string {
	if len(text) <= n {
		return text
	}
	cut := strings.LastIndexAny(text[:n], " \n\t")
	if cut <= 0 {
		cut = n
		for cut > 0 && !isRuneStart(text[cut]) {
			cut--
		}
	}
	return text[:cut]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
