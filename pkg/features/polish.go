package features

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// bleve has no Polish analyzer: without one every inflected form was a
// term of its own ("prezydent", "prezydenta", "prezydentem") and missed its
// dictionary headword, so that only a third of Polish content words found
// an English gloss. polishStem is a light stemmer for Polish terms and
// headwords alike. (A stop list as well measured no better: docs/quality.md.)

// polishSuffixes are the inflectional endings polishStem strips, longest
// first: noun and adjective case endings (genitive "-a", "-u", "-ów",
// dative "-owi", "-om", instrumental "-em", "-ą", "-ami", locative "-ie",
// "-ach", adjectival "-ego", "-emu", "-ych", "-ymi", "-iej"), the endings
// of the infinitive and past tense ("-ować", "-ać", "-ił", "-ała"), and of
// nouns in "-ość" and "-owanie", whose forms differ only after them.
// Lemma and inflected form lose theirs alike: "prezydent" and "prezydenta",
// "zdrowie" and "zdrowia", "polski" and "polskiego" meet.
var polishSuffixes = []string{
	"owania", "owanie", "owaniu",
	"ością", "owała", "owało", "owali", "owały", "owych", "owymi",
	"iego", "iemu", "ować", "ował", "owej", "owym", "ości", "iała", "iało", "iali", "iały",
	"ość", "ach", "ami", "ego", "emu", "ych", "ymi", "imi", "ich", "iej", "owi", "iał",
	"ała", "ało", "ali", "ały", "iła", "iło", "ili", "iły", "yła", "yło", "yli", "yły", "ieć", "uje", "ują",
	"ów", "om", "em", "ej", "ym", "im", "ie", "ia", "iu", "ią", "ię", "ać", "eć", "ić", "yć", "ał", "ił",
	"ył", "a", "e", "i", "y", "u", "ą", "ę", "o",
}

// polishMinStem is the fewest letters a stem keeps: shorter words are
// left whole ("rok", "lat", "dom").
const polishMinStem = 3

// polishStem strips the longest inflectional ending of a lower-case
// Polish word that leaves at least polishMinStem letters.
func polishStem(w string) string {
	n := utf8.RuneCountInString(w)
	for _, suf := range polishSuffixes {
		if !strings.HasSuffix(w, suf) {
			continue
		}
		if n-utf8.RuneCountInString(suf) >= polishMinStem {
			return foldStemO(w[:len(w)-len(suf)])
		}
	}
	return foldStemO(w)
}

// foldStemO writes "ó" as "o": Polish turns o into ó in a closed final
// syllable ("osoba", "osób"; "szkoła", "szkół").
func foldStemO(s string) string {
	if !strings.Contains(s, "ó") {
		return s
	}
	return strings.ReplaceAll(s, "ó", "o")
}

// polishStemFilter is polishStem as a bleve token filter.
type polishStemFilter struct{}

func (polishStemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		if s := polishStem(string(t.Term)); s != string(t.Term) {
			t.Term = []byte(s)
		}
	}
	return input
}
