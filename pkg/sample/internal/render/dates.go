package render

import (
	"fmt"
	"time"
)

var months = map[string][12]string{
	"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

var weekdays = map[string][7]string{
	"it": {"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"},
	"fr": {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
}

// humanDate writes t the way a site in lang prints a dateline.
func humanDate(lang string, t time.Time) string {
	m := months[lang][t.Month()-1]
	switch lang {
	case "it":
		return fmt.Sprintf("%d %s %d, ore %02d:%02d", t.Day(), m, t.Year(), t.Hour(), t.Minute())
	case "fr":
		return fmt.Sprintf("Publié le %s %d %s %d à %dh%02d", weekdays[lang][t.Weekday()], t.Day(), m, t.Year(), t.Hour(), t.Minute())
	default:
		return fmt.Sprintf("%s %d %s %d %02d.%02d GMT", weekdays[lang][t.Weekday()][:3], t.Day(), m, t.Year(), t.Hour(), t.Minute())
	}
}

// shortDate is the date shown under a teaser.
func shortDate(lang string, t time.Time) string {
	return fmt.Sprintf("%d %s", t.Day(), months[lang][t.Month()-1])
}
