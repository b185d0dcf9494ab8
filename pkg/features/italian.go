package features

import "strings"

// Italian dictionaries list verbs by their infinitive, which bleve's light
// stemmer cuts to "-ar", "-er" or "-ir" ("pubblicare" → "pubblicar"), while
// news writes them as participles and in the present ("pubblicato",
// "chiede"), whose stems ("pubblicat", "chied") no headword has. When a
// stem misses, italianVerbKeys gives the infinitive stems it may come from,
// most likely first; the lexicon is asked for them in turn.

// italianParticiples maps a past participle's stem ending to its
// infinitive's: "-ato" is of "-are", "-uto" of "-ere", "-ito" of "-ire".
var italianParticiples = [...]struct {
	end string
	inf []string
}{{"at", []string{"ar"}}, {"ut", []string{"er"}}, {"it", []string{"ir"}}}

// italianInfinitives are the endings tried, in turn, on any other stem: a
// present tense loses its last vowel to the stemmer as a noun does
// ("chiede" → "chied", "parla" → "parl"), and the infinitive's is unknown.
var italianInfinitives = []string{"er", "ar", "ir"}

// italianMinVerbStem is the fewest bytes a stem needs before an ending is
// added: shorter ones are more often other words ("dat" of "dati").
const italianMinVerbStem = 4

// italianVerbKeys returns the infinitive stems stem may be a form of, as a
// base and the endings to add to it in turn (none when stem is too short):
// the caller joins them in a buffer of its own, so that a missed word
// costs no allocation.
func italianVerbKeys(stem string) (base string, ends []string) {
	if len(stem) < italianMinVerbStem {
		return "", nil
	}
	for _, p := range italianParticiples {
		if strings.HasSuffix(stem, p.end) && len(stem) > italianMinVerbStem {
			return stem[:len(stem)-len(p.end)], p.inf
		}
	}
	return stem, italianInfinitives
}
