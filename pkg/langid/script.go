package langid

import "unicode"

// script is a writing system lingua's languages are told apart by first:
// a text in Greek letters can only be Greek, one in Cyrillic only one of
// eight languages, so the n-gram scoring runs among those alone.
type script uint8

const (
	scriptNone script = iota
	scriptLatin
	scriptCyrillic
	scriptGreek
	scriptArmenian
	scriptHebrew
	scriptArabic
	scriptDevanagari
	scriptBengali
	scriptGurmukhi
	scriptGujarati
	scriptTamil
	scriptTelugu
	scriptThai
	scriptGeorgian
	scriptHangul
	scriptHiragana
	scriptKatakana
	scriptHan
	numScripts
)

// scriptTables are indexed by script; read-only.
var scriptTables = [numScripts]*unicode.RangeTable{
	scriptLatin:      unicode.Latin,
	scriptCyrillic:   unicode.Cyrillic,
	scriptGreek:      unicode.Greek,
	scriptArmenian:   unicode.Armenian,
	scriptHebrew:     unicode.Hebrew,
	scriptArabic:     unicode.Arabic,
	scriptDevanagari: unicode.Devanagari,
	scriptBengali:    unicode.Bengali,
	scriptGurmukhi:   unicode.Gurmukhi,
	scriptGujarati:   unicode.Gujarati,
	scriptTamil:      unicode.Tamil,
	scriptTelugu:     unicode.Telugu,
	scriptThai:       unicode.Thai,
	scriptGeorgian:   unicode.Georgian,
	scriptHangul:     unicode.Hangul,
	scriptHiragana:   unicode.Hiragana,
	scriptKatakana:   unicode.Katakana,
	scriptHan:        unicode.Han,
}

// scriptOf returns the script of letter r; the common blocks are answered
// by range checks before the table search.
func scriptOf(r rune) script {
	switch {
	case r < 0x80:
		return scriptLatin // callers pass letters only
	case r < 0x250:
		if r == 0xAA || r == 0xBA || r >= 0xC0 {
			return scriptLatin
		}
	case r >= 0x400 && r < 0x530:
		return scriptCyrillic
	case r >= 0x600 && r < 0x700:
		return scriptArabic
	case r >= 0x1E00 && r < 0x1F00:
		return scriptLatin
	case r >= 0x4E00 && r < 0xA000:
		return scriptHan
	case r >= 0xAC00 && r < 0xD7A4:
		return scriptHangul
	}
	for s := scriptLatin; s < numScripts; s++ {
		if unicode.Is(scriptTables[s], r) {
			return s
		}
	}
	return scriptNone
}

// scriptWeight makes one ideograph or syllable count like the several
// alphabetic letters it stands for when the majority script is chosen.
func scriptWeight(s script) int {
	switch s {
	case scriptHan:
		return 3
	case scriptHangul, scriptHiragana, scriptKatakana:
		return 2
	}
	return 1
}
