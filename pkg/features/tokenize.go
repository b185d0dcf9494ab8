package features

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of the raw text with the shape facts that entity,
// number and date detection need; bleve's analyzers lose case and
// punctuation, so this small tokenizer runs beside them.
type token struct {
	raw  string // as written
	fold string // lower-case, accent-free
	// start is true for the first word of a sentence, line or quotation,
	// where a capital says nothing about the word being a name.
	start bool
	// joined is true when only spaces, a hyphen or an apostrophe separate the
	// token from the previous one, so a name may run on across it.
	joined bool
	// joiner is what joined the token to the previous one when it was not
	// a space (an apostrophe or a hyphen: joinerText), so that a name shows
	// as written: "Ministero dell’Interno", "Saint-Rambert".
	joiner  uint8
	cap     bool // first letter upper-case
	allCaps bool // two or more letters, all upper-case
	digit   bool // starts with a digit
	// unspaced is true for a run of a script written without spaces
	// (Han, kana), which holds several words.
	unspaced bool
	line     int32 // index of the sentence-ish span, for per-line decisions
	pos      int32 // word position in the field, for positional weighting
	// foldAt and foldEnd place fold in tokenize's buffer until it is a string.
	foldAt, foldEnd int32
}

// tokenize splits s into words. Word-internal dots and commas between
// digits stay inside numbers ("1.500", "3,5"); hyphens and apostrophes split
// words but keep them joined.
func tokenize(s string) []token { return tokenizeInto(nil, s, &tokenScratch{}) }

// tokenScratch is the working memory of tokenize, which Of reuses from one
// article to the next.
type tokenScratch struct {
	// folds holds the folded words, made one string at the end that every
	// fold is a piece of, rather than one string per word.
	folds []byte
	nfd   []byte
	// decomposed holds the words that needed decomposing, folded once: a
	// repeat takes the first one's fold. Emptied after each text.
	decomposed map[string][2]int32
}

// tokenizeInto is tokenize appending to toks[:0].
func tokenizeInto(toks []token, s string, sc *tokenScratch) []token {
	// About one word in six bytes of news text: one allocation most often.
	if toks = toks[:0]; cap(toks) < len(s)/6+1 {
		toks = make([]token, 0, len(s)/6+1)
	}
	folds, nfd, decomposed := sc.folds[:0], sc.nfd, sc.decomposed
	start := true
	joined := false
	var joiner uint8
	line := 0
	i := 0
	for i < len(s) {
		if n := urlLen(s[i:]); n > 0 {
			// A link names a site, not what the article tells: its words
			// ("http", "www", "facebook") tie unrelated pages of one site.
			i += n
			joined = false
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			j := i + size
			prevDigit := unicode.IsDigit(r)
			for j < len(s) {
				r2, s2 := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) {
					prevDigit = unicode.IsDigit(r2)
					j += s2
					continue
				}
				// Keep "1.500" and "3,5" whole.
				if (r2 == '.' || r2 == ',') && prevDigit && j+s2 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+s2:])
					if unicode.IsDigit(r3) {
						j += s2
						continue
					}
				}
				break
			}
			raw := s[i:j]
			sp, ok := decomposed[raw]
			if !ok {
				from := len(folds)
				folds, nfd = appendFold(folds, nfd, raw)
				sp = [2]int32{int32(from), int32(len(folds))}
				if !isASCII(raw) {
					if decomposed == nil {
						decomposed = make(map[string][2]int32)
					}
					decomposed[raw] = sp
				}
			}
			t := makeToken(raw, start, joined, line, len(toks))
			if t.joined {
				t.joiner = joiner
			}
			t.foldAt, t.foldEnd = sp[0], sp[1]
			toks = append(toks, t)
			start = false
			joined, joiner = true, 0
			i = j
			continue
		}
		switch {
		case r == '\n' || r == '!' || r == '?' || r == '…' || r == ':' || r == ';' ||
			r == '“' || r == '«' || r == '„' || r == '"' || r == '•' || r == '|':
			start = true
			line++
		case r == '.':
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			if i+size >= len(s) || unicode.IsSpace(next) || next == '"' || next == '”' || next == '»' {
				start = true
				line++
			}
		}
		switch {
		case r == '-' || r == '\'' || r == '’' || r == '‐':
			joiner = joinerCode(r)
		case !unicode.IsSpace(r):
			joined = false
		}
		i += size
	}
	all := string(folds)
	for k := range toks {
		toks[k].fold = all[toks[k].foldAt:toks[k].foldEnd]
	}
	clear(decomposed) // its keys are pieces of s
	sc.folds, sc.nfd, sc.decomposed = folds, nfd, decomposed
	return toks
}

// joiners are the marks that join two words of one name, by their code in
// token.joiner (0 is a space).
var joiners = [...]string{" ", "'", "’", "-", "‐"}

func joinerCode(r rune) uint8 {
	switch r {
	case '\'':
		return 1
	case '’':
		return 2
	case '-':
		return 3
	case '‐':
		return 4
	}
	return 0
}

// hyphen tells whether a joiner code is a hyphen's.
func hyphen(code uint8) bool { return code == 3 || code == 4 }

// joinerText is what joined a token to the one before it, for display.
func joinerText(code uint8) string { return joiners[code] }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// urlLen is the length of the link s starts with ("https://…", "www.…"),
// up to the next space, or 0.
func urlLen(s string) int {
	if len(s) < 8 || (s[0] != 'h' && s[0] != 'H' && s[0] != 'w' && s[0] != 'W') {
		return 0
	}
	p := strings.ToLower(s[:8])
	if !strings.HasPrefix(p, "http://") && !strings.HasPrefix(p, "https://") && !strings.HasPrefix(p, "www.") {
		return 0
	}
	if n := strings.IndexFunc(s, unicode.IsSpace); n >= 0 {
		return n
	}
	return len(s)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf { // what the tables below say of ASCII
		return 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// makeToken makes the token of raw; tokenize sets its fold.
func makeToken(raw string, start, joined bool, line, pos int) token {
	t := token{raw: raw, start: start, joined: joined && !start, line: int32(line), pos: int32(pos)}
	first, _ := utf8.DecodeRuneInString(raw)
	t.digit = unicode.IsDigit(first)
	t.unspaced = unspacedRune(first)
	t.cap = unicode.IsUpper(first)
	if t.cap {
		letters, upper := 0, 0
		for _, r := range raw {
			if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					upper++
				}
			}
		}
		t.allCaps = letters >= 2 && upper == letters
	}
	return t
}

// plainWordStart tells whether a word starting with r is keyed by its stem:
// not a number, not a run of Han or kana.
func plainWordStart(r rune) bool { return !unicode.IsDigit(r) && !unspacedRune(r) }

// unspacedRune tells whether r belongs to a script written without spaces
// between words.
func unspacedRune(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// caseless tells whether r belongs to a script without letter case, where
// a name cannot be told by its capital.
func caseless(r rune) bool {
	return unicode.IsLetter(r) && !unicode.IsUpper(r) && !unicode.IsLower(r) && unicode.ToUpper(r) == r && unicode.ToLower(r) == r
}
