package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Date and byline lines ("Updated 3:27 am PST, Wednesday, November 20,
// 2019", "Jose Altoveros 2019-11-20 14:35:08", "5 min read") are page
// metadata, not article text. They are recognised by shape: a short line
// made of dates, times and filler words, with at most a name besides.

// maxMetaLine is the longest line (runes) taken for a date line.
const maxMetaLine = 100

var (
	clockRe    = regexp.MustCompile(`(?i)\b\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\b\.?)?|\b\d{1,2}\s*[ap]\.?m\b\.?`)
	numDateRe  = regexp.MustCompile(`\b(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\b`)
	readTimeRe = regexp.MustCompile(`(?i)^\d{1,3}\s*(?:min(?:ute[ns]?|uti|utos|s)?\.?)\s*(?:read|de lecture|di lettura|de lectura|lesezeit|lesedauer)?$`)
)

// monthWords and dayWords are month and weekday names and their usual
// abbreviations in en, fr, it, de and es, folded (lower case, no accents).
var monthWords = wordSet(`january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre janv fevr avr juil
gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre gen mag giu lug ago set ott dic
januar februar marz april mai juni juli august september oktober november dezember jan feb mär okt dez
enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre ene abr ago dic`)

var dayWords = wordSet(`monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
lundi mardi mercredi jeudi vendredi samedi dimanche
lunedi martedi mercoledi giovedi venerdi sabato domenica
montag dienstag mittwoch donnerstag freitag samstag sonntag
lunes martes miercoles jueves viernes sabado domingo today yesterday aujourd hier oggi ieri heute gestern hoy ayer`)

// fillerWords may sit in a date line beside the date itself.
var fillerWords = wordSet(`updated update published posted last modified created on at by and of the in
am pm a m p et est edt cst cdt mst mdt pst pdt gmt utc bst cet cest ist ct et pt
le la les mis a jour publie modifie mise par de du et
il alle ore aggiornato aggiornata pubblicato pubblicata da e del della
um uhr am aktualisiert veroffentlicht stand von und zuletzt
el a las actualizado publicado actualizacion por y del de
h min mins minute minutes read lecture lettura lectura lesezeit`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// stampWords say that a date is the page's own: "Updated", "Publié"…
var stampWords = wordSet(`updated published posted modified publie modifie aggiornato aggiornata pubblicato
pubblicata actualizado publicado aktualisiert veroffentlicht`)

// isDateLine reports a short line that is the page's date stamp or a
// reading time: a date with a time or a stamp word ("Updated"), with at most
// filler words and a name (up to three capitalised words) beside it; or a
// bare date with nothing else. Dates in the text (a tour's stops, opening
// hours, a quoted post's "(@name) November 18") stay.
func isDateLine(b *block) bool {
	if b.runes > maxMetaLine || b.runes == 0 || strings.Contains(b.text, "@") {
		return false
	}
	// Every case below needs an ASCII digit (a day, a year, a time, a
	// reading time), and folding makes none: most lines stop here, before
	// the regular expressions.
	if strings.IndexAny(b.text, "0123456789") < 0 {
		return false
	}
	if readTimeRe.MatchString(strings.TrimSpace(b.fold)) {
		return true
	}
	rest := numDateRe.ReplaceAllString(b.text, " ")
	numDate := rest != b.text
	r := clockRe.ReplaceAllString(rest, " ")
	clock := r != rest
	words := strings.FieldsFunc(r, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
	var month, day, year, stamp bool
	numbers, names := 0, 0
	for _, w := range words {
		f := fold(w)
		switch {
		case isDigits(f) || isOrdinal(f):
			numbers++
			year = year || (len(f) == 4 && (strings.HasPrefix(f, "19") || strings.HasPrefix(f, "20")))
		case monthWords[f]:
			month = true
		case dayWords[f]:
			day = true
		case stampWords[f]:
			stamp = true
		case fillerWords[f]:
		default:
			r, _ := utf8.DecodeRuneInString(w)
			if !unicode.IsUpper(r) {
				return false
			}
			names++
		}
	}
	dated := numDate || (month && numbers > 0)
	switch {
	case stamp && (dated || clock):
		return names <= 3
	case clock && (dated || day || year):
		return names <= 3
	case dated && numbers <= 2 && !clock:
		return names == 0 // "23 Nov 2017"
	}
	return false
}

// isOrdinal reports a day written as an ordinal: "18th", "1st", "1er".
func isOrdinal(s string) bool {
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i <= 0 || i > 2 {
		return false
	}
	switch s[i:] {
	case "st", "nd", "rd", "th", "er", "eme", "o", "º", "°":
		return true
	}
	return false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
