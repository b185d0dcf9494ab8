package features

import "strings"

// Italian, Spanish and Portuguese dictionaries list verbs by their
// infinitive, which bleve's light stemmers keep or cut to "-ar", "-er" or
// "-ir" ("pubblicare" → "pubblicar", "anunciar" stays), while news writes
// them as participles and in the present or past ("pubblicato", "chiede",
// "anunciado", "afirmó", "anunciou"), whose stems ("pubblicat", "chied",
// "anunciad", "afirm", "anunciou") no headword has. When a stem misses,
// verbKeys gives the infinitive stems it may come from, most likely first;
// the lexicon is asked for them in turn.

// verbEnding maps a stem's ending to the infinitive endings it may come
// from: Italian "-ato" is of "-are", Spanish "-ido" of "-er" or "-ir".
type verbEnding struct {
	end string
	inf []string
}

// verbRules holds, per language, the endings whose infinitive they tell
// (longest first where one ends another) and the endings tried, in turn, on
// any other stem: a present tense loses its last vowel to the stemmer as a
// noun does ("chiede" → "chied", "afirmó" → "afirm"), and its infinitive's
// is unknown.
var verbRules = map[string]struct {
	endings []verbEnding
	other   []string
}{
	"it": {
		endings: []verbEnding{{"at", []string{"ar"}}, {"ut", []string{"er"}}, {"it", []string{"ir"}}},
		other:   []string{"er", "ar", "ir"},
	},
	"es": {
		// Participles, and the third person plural of the past.
		endings: []verbEnding{{"ieron", []string{"er", "ir"}}, {"aron", []string{"ar"}}, {"ad", []string{"ar"}}, {"id", []string{"er", "ir"}}},
		other:   []string{"ar", "er", "ir"},
	},
	"pt": {
		// Participles, and the third persons of the past.
		endings: []verbEnding{{"aram", []string{"ar"}}, {"eram", []string{"er"}}, {"iram", []string{"ir"}}, {"ou", []string{"ar"}}, {"eu", []string{"er"}}, {"iu", []string{"ir"}}, {"ad", []string{"ar"}}, {"id", []string{"er", "ir"}}},
		other:   []string{"ar", "er", "ir"},
	},
}

// minVerbStem is the fewest bytes a stem needs before an ending is added:
// shorter ones are more often other words (Italian "dat" of "dati").
const minVerbStem = 4

// verbKeys returns the infinitive stems stem, a word of lang, may be a form
// of, as a base and the endings to add to it in turn (none when lang has no
// rules or stem is too short): the caller joins them in a buffer of its
// own, so that a missed word costs no allocation.
func verbKeys(lang, stem string) (base string, ends []string) {
	r, ok := verbRules[lang]
	if !ok || len(stem) < minVerbStem {
		return "", nil
	}
	for _, e := range r.endings {
		if strings.HasSuffix(stem, e.end) && len(stem)-len(e.end) >= minVerbStem-1 && len(stem) > minVerbStem {
			return stem[:len(stem)-len(e.end)], e.inf
		}
	}
	return stem, r.other
}

// vowelKeys gives the other numbers and genders of an Italian word the
// light stemmer left whole, short words mostly ("anni", "donne", "altri",
// "leggi", whose headwords are "anno", "donna", "altro", "legge"): its
// last vowel swapped, in the order tried. Only a stem no headword has is
// asked for them.
func vowelKeys(lang, stem string) (base string, ends []string) {
	if lang != "it" || len(stem) < 3 {
		return "", nil
	}
	switch stem[len(stem)-1] {
	case 'i':
		return stem[:len(stem)-1], []string{"o", "e", "a"}
	case 'e':
		return stem[:len(stem)-1], []string{"a", "o"}
	}
	return "", nil
}
