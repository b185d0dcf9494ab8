package features

import (
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/pkg/lexicon"
)

// German and Dutch write a compound noun as one word ("Bundesfinanzminister",
// "Flüchtlingsunterkunft"), which a bilingual dictionary seldom lists: in the
// eval pair sets, half the German words of eight letters or more that have
// no gloss are made of listed words. Such a word is glossed through its
// parts: the longest listed ending (the head, which names what the compound
// is) and what comes before it, less a linking element ("Bundes" is "Bund"
// + "es"), when that is listed or is itself such a compound. Like any
// glossed word, the compound is then keyed by its glosses, the head's
// sharing half of its weight and the rest's the other half. Only words
// without a gloss of their own are split, so a listed word is never read as
// a compound, and a word whose beginning is no word stays a term
// ("unterzog" ends in a listed "erzog").

// compoundLangs are the languages whose words are split.
var compoundLangs = map[string]bool{"de": true, "nl": true}

// Bounds of a split, in bytes of the analysed term (the German analyzer
// folds umlauts, so most letters are one byte).
const (
	compoundMinWord = 8 // shorter words are seldom compounds
	// Longer "words" are not tried: each ending is looked up, so the
	// cost grows with the square of the length (a run of letters in bad
	// input can be kilobytes long).
	compoundMaxWord  = 64
	compoundMinPart  = 3 // "amt", "see", "tag"
	compoundMaxDepth = 3 // parts before the head: "Bundes|innen|minister"
)

// linkElements join the parts of a compound (German Fugenelemente, Dutch
// tussenklanken); the bare part is tried first.
var linkElements = []string{"", "s", "es", "n", "en", "e", "er", "ns"}

// compound appends to buf the glosses of term's parts when term is a
// compound of glossed words of lang, and tells how many of them, at the
// end, are the head's; ok is false, and buf unchanged, when term does not
// split.
func (x *Extractor) compound(table *lexicon.Table, lang, term string, buf []string) (gs []string, headN int, ok bool) {
	if !compoundLangs[lang] || table == nil || len(term) > compoundMaxWord {
		return buf, 0, false
	}
	return x.split(table, lang, term, buf, compoundMaxDepth)
}

// split is compound's search, with depth the parts the beginning may still
// be cut into.
func (x *Extractor) split(table *lexicon.Table, lang, term string, buf []string, depth int) ([]string, int, bool) {
	n := len(buf)
	if len(term) < compoundMinWord || depth == 0 {
		return buf, 0, false
	}
	// The longest glossed ending is the head: "bundesfinanzminist" is
	// "bund" + "finanzminist", not "bundesfinanz" + "minist".
	for i := compoundMinPart; i <= len(term)-compoundMinPart; i++ {
		if !utf8.RuneStart(term[i]) {
			continue
		}
		head := x.glosses(table, lang, term[i:], buf[n:n])
		if len(head) == 0 {
			continue
		}
		// The head's glosses go last: the beginning's are written over
		// the same buffer first.
		hs := append([]string(nil), head...)
		// A listed beginning first, with or without a linking element;
		// then one that is a compound itself.
		mod := term[:i]
		for _, nested := range []bool{false, true} {
			for _, l := range linkElements {
				if len(mod) < compoundMinPart+len(l) || mod[len(mod)-len(l):] != l {
					continue
				}
				m := mod[:len(mod)-len(l)]
				var ms []string
				if !nested {
					ms = x.glosses(table, lang, m, buf[n:n])
				} else {
					ms, _, _ = x.split(table, lang, m, buf[n:n], depth-1)
				}
				if len(ms) > 0 {
					return append(ms, hs...), len(hs), true
				}
			}
		}
		return buf[:n], 0, false
	}
	return buf[:n], 0, false
}

// compoundParts appends the parts of compound term whose glosses are gs,
// the last headN of them the head's: the head's glosses share half of the
// word's weight, the other parts' the other half; its term is kept as a
// glossed word's is (WithGlossWeights).
func (x *Extractor) compoundParts(dst []termPart, acc *sums, termKey string, gs []string, headN int) []termPart {
	if x.opts.glossTerm > 0 {
		dst = append(dst, termPart{id: acc.id(termKey), kind: partGlossTerm})
	}
	modN := len(gs) - headN
	dst = appendGlosses(dst, acc, gs[:modN], 2*modN)
	return appendGlosses(dst, acc, gs[modN:], 2*headN)
}
