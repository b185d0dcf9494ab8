package features

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// specialFold covers letters that do not decompose into a base letter plus
// marks, so that "Straße" and "Strasse", "Łódź" and "Lodz" meet.
var specialFold = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'þ': "th", 'ı': "i",
	'Æ': "ae", 'Œ': "oe", 'Ø': "o", 'Ł': "l", 'Đ': "d", 'Þ': "th",
}

// Fold lower-cases s and strips its accents: "Nuñez" → "nunez",
// "Intérieur" → "interieur". Entity, place and cognate keys are folded so
// that spelling variants across languages and sources meet.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if rep, ok := specialFold[r]; ok {
			b.WriteString(rep)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
