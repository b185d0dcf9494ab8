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
	if isASCII(s) {
		return strings.ToLower(s)
	}
	b, _ := appendFold(make([]byte, 0, len(s)), nil, s)
	return string(b)
}

// AppendFold appends Fold(s) to dst: for callers that fold many words into
// one buffer rather than a string each.
func AppendFold(dst []byte, s string) []byte {
	dst, _ = appendFold(dst, nil, s)
	return dst
}

// appendFold appends Fold(s) to dst; nfd is scratch for s's decomposition,
// returned for reuse.
func appendFold(dst, nfd []byte, s string) ([]byte, []byte) {
	if isASCII(s) {
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
	if out, ok := appendFoldByRune(dst, s); ok {
		return out, nfd
	}
	nfd = norm.NFD.AppendString(nfd[:0], s)
	for i := 0; i < len(nfd); {
		r, n := utf8.DecodeRune(nfd[i:])
		i += n
		dst = appendFoldRune(dst, r)
	}
	return dst, nfd
}

// appendFoldByRune is appendFold's common case without the normaliser,
// whose reorder buffer escapes to the heap on every word it changes: each
// rune's decomposition from the table (a rune's NFD, TestFoldMatchesReference
// and TestDecompositionIsNFD check it), folded. NFD of the whole word only
// differs by reordering combining marks (which folding drops) among
// themselves and around the rare marks it keeps; a word with one of those,
// a Hangul syllable or invalid UTF-8 is left to the normaliser (ok false).
func appendFoldByRune(dst []byte, s string) ([]byte, bool) {
	start := len(dst)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r >= 0xAC00 && r <= 0xD7A3 {
			return dst[:start], false
		}
		p := norm.NFD.PropertiesString(s[i : i+n])
		i += n
		d := p.Decomposition()
		if d == nil {
			if p.CCC() != 0 && !unicode.Is(unicode.Mn, r) {
				return dst[:start], false
			}
			dst = appendFoldRune(dst, r)
			continue
		}
		for j := 0; j < len(d); {
			c, m := utf8.DecodeRune(d[j:])
			if norm.NFD.Properties(d[j:]).CCC() != 0 && !unicode.Is(unicode.Mn, c) {
				return dst[:start], false
			}
			dst = appendFoldRune(dst, c)
			j += m
		}
	}
	return dst, true
}

// appendFoldRune appends one rune of a word's NFD, folded: marks dropped,
// letters that do not decompose spelt out, the rest in lower case.
func appendFoldRune(dst []byte, r rune) []byte {
	if unicode.Is(unicode.Mn, r) {
		return dst
	}
	if rep, ok := specialFold[r]; ok {
		return append(dst, rep...)
	}
	return utf8.AppendRune(dst, unicode.ToLower(r))
}
