package features

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// placeKind tells how a phrase points at a place.
type placeKind uint8

const (
	placeCountry placeKind = iota + 1
	placeCity
	placeDemonym
)

// place is what a phrase of folded words resolves to.
type place struct {
	region string // ISO 3166 code, or EU
	city   string // canonical city name, for cities
	kind   placeKind
}

// placeTable maps folded phrases ("stati uniti", "parigi") to places.
type placeTable struct {
	phrases map[string]place
	first   map[string]bool // first words of phrases, to reject most tokens at once
	maxLen  int             // longest phrase, in words
	// unspaced maps names written in scripts without spaces to places;
	// maxRunes is the longest, in runes.
	unspaced map[string]place
	maxRunes int
}

// displayLanguages are the languages whose CLDR country names are loaded.
// Names in scripts without spaces (Chinese, Japanese) are matched inside
// runs of text; names in caseless scripts (Arabic) match without a capital.
var displayLanguages = []string{"it", "fr", "en", "de", "es", "pt", "nl", "pl", "tr", "ru", "ar", "zh", "zh-Hant", "ja"}

// notPlaces are CLDR names that are far more often something else in news
// text: a first name, a common word, part of a US place name.
var notPlaces = map[string]bool{
	"island": true, "man": true, "maurice": true, "diego garcia": true, "jersey": true, "chad": true,
	"georgia": true, "jordan": true, "ascension": true,
}

// newPlaceTable builds the table from CLDR country names in each supported
// language plus the hand-written cities, extra names and demonyms. A phrase
// that two different regions claim is dropped: it cannot tell them apart.
func newPlaceTable() *placeTable {
	pt := &placeTable{phrases: make(map[string]place), first: make(map[string]bool)}
	ambiguous := make(map[string]bool)
	add := func(name string, p place) {
		key := phraseKey(name)
		if key == "" || ambiguous[key] || notPlaces[key] {
			return
		}
		if old, ok := pt.phrases[key]; ok {
			if old.region != p.region {
				delete(pt.phrases, key)
				ambiguous[key] = true
				return
			}
			// A country name beats a demonym or city of the same spelling.
			if old.kind <= p.kind {
				return
			}
		}
		pt.phrases[key] = p
		if n := strings.Count(key, " ") + 1; n > pt.maxLen {
			pt.maxLen = n
		}
	}
	var regions []language.Region
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			// Deprecated codes (DD, FX, ZR) carry their successor's name.
			if err == nil && r.IsCountry() && r.Canonicalize() == r {
				regions = append(regions, r)
			}
		}
	}
	for _, l := range displayLanguages {
		namer := display.Regions(language.Make(l))
		if namer == nil {
			continue
		}
		for _, r := range regions {
			if name := namer.Name(r); name != "" {
				add(name, place{region: r.String(), kind: placeCountry})
			}
		}
	}
	for name, code := range extraRegionNames {
		add(name, place{region: code, kind: placeCountry})
	}
	for _, c := range cities {
		for _, n := range c.names {
			add(n, place{region: c.region, city: c.key, kind: placeCity})
		}
	}
	for code, forms := range demonyms {
		for _, f := range strings.Fields(forms) {
			add(f, place{region: code, kind: placeDemonym})
		}
	}
	pt.unspaced = make(map[string]place)
	for k, p := range pt.phrases {
		first, _, _ := strings.Cut(k, " ")
		pt.first[first] = true
		if r, _ := utf8.DecodeRuneInString(k); unspacedRune(r) && !strings.Contains(k, " ") {
			n := utf8.RuneCountInString(k)
			// One character ("中") is too often part of another word.
			if n >= 2 {
				pt.unspaced[k] = p
				pt.maxRunes = max(pt.maxRunes, n)
			}
		}
	}
	return pt
}

// within finds the place names inside a run of unspaced text, longest
// first at each position, without overlaps.
func (pt *placeTable) within(run string) []place {
	var out []place
	// Byte offsets of the runes (and of the run's end), so that phrases are
	// looked up as pieces of run. Folds are valid UTF-8, so a piece is the
	// string of its runes.
	var offs [64]int
	at := offs[:0]
	for i := range run {
		at = append(at, i)
	}
	at = append(at, len(run))
	nr := len(at) - 1
	for i := 0; i < nr; {
		n := min(pt.maxRunes, nr-i)
		found := false
		for ; n >= 2; n-- {
			if p, ok := pt.unspaced[run[at[i]:at[i+n]]]; ok {
				out = append(out, p)
				found = true
				break
			}
		}
		if found {
			i += n
		} else {
			i++
		}
	}
	return out
}

// phraseKey folds and re-joins a name the way text tokens are matched:
// "États-Unis" → "etats unis".
func phraseKey(name string) string {
	toks := tokenize(name)
	parts := make([]string, 0, len(toks))
	for _, t := range toks {
		parts = append(parts, t.fold)
	}
	return strings.Join(parts, " ")
}

// match finds the longest place phrase starting at toks[i]. Country and city
// names must start with a capital (so Italian "mali", "evils", is not Mali);
// demonyms need not, since Romance languages write them in lower case.
func (pt *placeTable) match(toks []token, i int) (place, int, bool) {
	if !pt.first[toks[i].fold] {
		return place{}, 0, false
	}
	var kb [64]byte
	b := kb[:0] // the phrase so far; looked up without a string
	best, bestN := place{}, 0
	for n := 1; n <= pt.maxLen && i+n <= len(toks); n++ {
		t := toks[i+n-1]
		if n > 1 {
			if !t.joined {
				break
			}
			b = append(b, ' ')
		}
		b = append(b, t.fold...)
		p, ok := pt.phrases[string(b)]
		if !ok {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(toks[i].raw); p.kind != placeDemonym && !toks[i].cap && !caseless(r) {
			continue
		}
		best, bestN = p, n
	}
	return best, bestN, bestN > 0
}
