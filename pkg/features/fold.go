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
	b, _ := appendFold(make([]byte, 0, len(s)), nil, s)
	return string(b)
}

// appendFold appends Fold(s) to dst; nfd is scratch for s's decomposition,
// returned for reuse.
func appendFold(dst, nfd []byte, s string) ([]byte, []byte) {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		// strings.ToLower's ASCII path.
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst, nfd
	}
	nfd = norm.NFD.AppendString(nfd[:0], s)
	for i := 0; i < len(nfd); {
		r, n := utf8.DecodeRune(nfd[i:])
		i += n
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if rep, ok := specialFold[r]; ok {
			dst = append(dst, rep...)
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst, nfd
}
