package extract

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// embedded holds one phrase file per language, lexicon/<code>.txt.
//
//go:embed lexicon/*.txt
var embedded embed.FS

// Kinds of boilerplate a lexicon phrase can mark. The kind decides how a
// phrase must sit in a block for the block to go.
const (
	kindCTA     = "cta"     // newsletter, social and "did you like it" calls to action
	kindCookie  = "cookie"  // cookie and consent banners
	kindPaywall = "paywall" // subscriber-only notices
	kindWidget  = "widget"  // page controls: text size, print, listen
	kindShare   = "share"   // share buttons
	kindAd      = "ad"      // advertisement labels
	kindCredit  = "credit"  // photo and video credits
	kindRelated = "related" // markers after which other stories follow
	kindByline  = "byline"  // "By Jane Doe" lines: the author is metadata
	kindLegal   = "legal"   // copyright and reproduction notices
	kindCaptcha = "captcha" // bot checks and blocked-access pages: the page holds no article
)

var knownKinds = []string{kindCTA, kindCookie, kindPaywall, kindWidget, kindShare, kindAd, kindCredit, kindRelated, kindByline, kindLegal, kindCaptcha}

// phrase is one lexicon entry, already folded. A phrase written
// "a + b" is a conjunction: every part must be in the block, in any order
// ("subscribe + newsletter"); parts holds them.
type phrase struct {
	kind, text, lang string
	runes            int
	parts            []string
	// first holds the first word of the text, or of each part: a block
	// without them cannot match, and most blocks are ruled out by a map
	// lookup instead of a search. Empty when the phrase opens with a sign.
	first []string
}

// lexicon is the set of phrases the lexicon layer matches. It is read-only
// once built, so one Extractor can serve many goroutines.
type lexicon struct {
	phrases []phrase
	// byWord lists, under the first of each phrase's first words, the
	// phrases (ascending) a block holding that word may match; bySign the
	// phrases opening with a sign, which any block may match. A block then
	// looks up its own words instead of trying every phrase.
	byWord map[string][]int
	bySign []int
	// firstBits is a Bloom filter of byWord's keys (one bit each, by
	// wordHash): most words of a block are ruled out without the map.
	firstBits [firstBitsLen / 64]uint64
}

// firstBitsLen is the size of lexicon.firstBits in bits: for a few hundred
// keys, about one word in a hundred gets past it for nothing.
const firstBitsLen = 1 << 15

// wordHash is FNV-1a over the bytes of w.
func wordHash(w string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i])) * 16777619
	}
	return h
}

// mayOpen reports whether w may be a key of byWord.
func (lx *lexicon) mayOpen(w string) bool {
	h := wordHash(w) % firstBitsLen
	return lx.firstBits[h/64]&(1<<(h%64)) != 0
}

// index builds byWord and bySign once every phrase is read.
func (lx *lexicon) index() {
	lx.byWord = map[string][]int{}
	lx.bySign = nil
	for i, p := range lx.phrases {
		if len(p.first) == 0 {
			lx.bySign = append(lx.bySign, i)
			continue
		}
		w := p.first[0]
		lx.byWord[w] = append(lx.byWord[w], i)
		h := wordHash(w) % firstBitsLen
		lx.firstBits[h/64] |= 1 << (h % 64)
	}
}

// loadLexicon reads the embedded files (restricted to langs when given) and
// then every *.txt in extra.
func loadLexicon(langs []string, extra fs.FS) (*lexicon, error) {
	lx := &lexicon{}
	seen := map[string]int{}
	files, err := fs.Glob(embedded, "lexicon/*.txt")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrLexicon, err)
	}
	for _, name := range files {
		lang := strings.TrimSuffix(path.Base(name), ".txt")
		if len(langs) > 0 && !slices.Contains(langs, lang) {
			continue
		}
		if err := lx.readFile(embedded, name, lang, seen); err != nil {
			return nil, err
		}
	}
	if extra != nil {
		names, err := fs.Glob(extra, "*.txt")
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrLexicon, err)
		}
		for _, name := range names {
			if err := lx.readFile(extra, name, strings.TrimSuffix(name, ".txt"), seen); err != nil {
				return nil, err
			}
		}
	}
	lx.index()
	return lx, nil
}

// readFile parses "kind<TAB>phrase" lines; '#' starts a comment line. A
// phrase "a + b" needs all its parts in a short block.
func (lx *lexicon) readFile(fsys fs.FS, name, lang string, seen map[string]int) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrLexicon, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		kind, text, ok := strings.Cut(line, "\t")
		kind = strings.TrimSpace(kind)
		text = fold(text)
		if !ok || text == "" {
			return fmt.Errorf("%w: %s:%d: want kind<TAB>phrase", ErrLexicon, name, n)
		}
		if !slices.Contains(knownKinds, kind) {
			return fmt.Errorf("%w: %s:%d: unknown kind %q", ErrLexicon, name, n, kind)
		}
		// A phrase several languages share is kept once, naming them all.
		key := kind + "\x00" + text
		if i, ok := seen[key]; ok {
			if !slices.Contains(strings.Split(lx.phrases[i].lang, ","), lang) {
				lx.phrases[i].lang += "," + lang
			}
			continue
		}
		seen[key] = len(lx.phrases)
		p := phrase{kind: kind, text: text, lang: lang, runes: utf8.RuneCountInString(text)}
		if slices.Contains(strings.Fields(text), "+") {
			for part := range strings.SplitSeq(text, "+") {
				if part = strings.TrimSpace(part); part != "" {
					p.parts = append(p.parts, part)
				}
			}
			if len(p.parts) < 2 || !notice(kind) {
				return fmt.Errorf("%w: %s:%d: a conjunction needs two parts and kind cta, cookie, paywall, legal or captcha", ErrLexicon, name, n)
			}
		}
		for _, t := range append([]string{text}, p.parts...) {
			if w := firstWord(t); w != "" && (len(p.parts) == 0 || t != text) {
				p.first = append(p.first, w)
			}
		}
		lx.phrases = append(lx.phrases, p)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrLexicon, name, err)
	}
	return nil
}

// lexMatch is what the lexicon layer decided for one block.
type lexMatch struct {
	phrase phrase
	// marker is true for a related-stories marker standing alone: the
	// block and the teasers after it go.
	marker bool
}

// shortBlock is the length (runes) under which a block that merely contains
// a call to action is taken to be that call to action, not body text.
const shortBlock = 250

// match reports whether a block (given folded, with its display text) is
// boilerplate by the lexicon. Where a phrase must sit depends on its kind:
// labels must be the whole block, calls to action may lead a block of any
// length or sit in a short one.
func (lx *lexicon) match(b *block) (lexMatch, bool) {
	f := b.fold
	bare := strings.TrimRight(f, " :.!?»\"'-–|>")
	bare = strings.TrimLeft(bare, " -•*>»|")
	n, bareRunes := b.runes, utf8.RuneCountInString(bare)
	var candBuf [64]int
	cands := lx.candidates(f, bare, n, candBuf[:0])
	for _, pi := range cands {
		p := lx.phrases[pi]
		if p.parts != nil {
			if n <= shortBlock && hasAll(f, p.first) && containsAll(f, p.parts) {
				return lexMatch{phrase: p}, true
			}
			continue
		}
		whole := bare == p.text
		prefix := hasWordPrefix(bare, p.text)
		switch p.kind {
		case kindRelated:
			if whole {
				return lexMatch{phrase: p, marker: true}, true
			}
			// "Read also: Some headline" is a single related link; the
			// delimiter keeps "Related risks for banks" in.
			if prefix && n <= shortBlock && !endsSentence(b.text) && delimited(bare[len(p.text):]) {
				return lexMatch{phrase: p}, true
			}
		case kindWidget, kindShare, kindAd:
			// A label, possibly with its controls after it ("Text size: A A").
			if whole || (prefix && bareRunes-p.runes <= 15) {
				return lexMatch{phrase: p}, true
			}
		case kindCTA, kindCookie, kindPaywall, kindLegal, kindCaptcha:
			if prefix || (n <= shortBlock && containsWord(f, p.text)) {
				return lexMatch{phrase: p}, true
			}
		case kindByline:
			// "By Jane Doe · 4 March": short, no sentence, a name next.
			if prefix && n <= 80 && !endsSentence(b.text) && nameFollows(b.text, p.runes) {
				return lexMatch{phrase: p}, true
			}
		case kindCredit:
			if n <= shortBlock && (prefix || (containsWord(f, p.text) && !endsSentence(b.text))) {
				return lexMatch{phrase: p}, true
			}
		}
	}
	return lexMatch{}, false
}

// notice reports the kinds that are notices worded as sentences (calls to
// action, cookie, paywall, legal and bot-check notices): they may be found
// inside a block, where the other kinds are labels that need a block of
// their own.
func notice(kind string) bool {
	switch kind {
	case kindCTA, kindCookie, kindPaywall, kindLegal, kindCaptcha:
		return true
	}
	return false
}

// firstWord is the leading run of word characters of a folded phrase, ""
// when it opens with something else ("/ foto").
func firstWord(s string) string {
	i := strings.IndexFunc(s, notWord)
	if i < 0 {
		return s
	}
	return s[:i]
}

// candidates returns, ascending, the phrases folded block f may match:
// those indexed under one of its words (runs of word characters), and
// those opening with a sign. Every phrase needs its first words in the block, so no other can
// match. A block longer than shortBlock can only match a phrase it opens
// with (bare is f without leading marks), which shares its first word, so
// only that word is looked up.
func (lx *lexicon) candidates(f, bare string, n int, cands []int) []int {
	cands = append(cands, lx.bySign...)
	if n > shortBlock {
		if w := firstWord(bare); w != "" {
			cands = append(cands, lx.byWord[w]...)
		}
		slices.Sort(cands)
		return cands
	}
	for i := 0; i < len(f); {
		if size := wordRuneAt(f, i); size == 0 {
			_, size = utf8.DecodeRuneInString(f[i:])
			i += size
			continue
		}
		j := i
		for j < len(f) {
			size := wordRuneAt(f, j)
			if size == 0 {
				break
			}
			j += size
		}
		if w := f[i:j]; lx.mayOpen(w) {
			cands = append(cands, lx.byWord[w]...)
		}
		i = j
	}
	slices.Sort(cands)
	return slices.Compact(cands)
}

// hasAll reports whether every word of ws (runs of word characters) is a
// word of folded text f: found there on word boundaries.
func hasAll(f string, ws []string) bool {
	for _, w := range ws {
		if !containsWord(f, w) {
			return false
		}
	}
	return true
}

// containsAll reports whether every part occurs in s on word boundaries.
func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !containsWord(s, p) {
			return false
		}
	}
	return true
}

// nameFollows reports whether a name follows the first n runes of s (a
// phrase; folding keeps lengths in the common case): one capitalised word,
// or two when more follows ("By Jane Doe", not "Von Berlin nach Paris").
func nameFollows(s string, n int) bool {
	rs := []rune(strings.TrimLeft(s, " -•*>»|"))
	if n >= len(rs) {
		return false
	}
	words := strings.Fields(strings.TrimLeft(string(rs[n:]), " :"))
	for i, w := range words[:min(2, len(words))] {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !(i == 1 && !isWordRune(r)) {
			return false
		}
	}
	return len(words) > 0
}

// delimited reports whether rest, what follows a phrase, opens with a
// separator such as ':' rather than running on as a sentence.
func delimited(rest string) bool {
	rest = strings.TrimLeft(rest, " ")
	return rest != "" && strings.ContainsRune(":-|\">/", rune(rest[0]))
}

// hasWordPrefix reports whether s starts with p followed by a word boundary.
func hasWordPrefix(s, p string) bool {
	return strings.HasPrefix(s, p) && boundaryAt(s, len(p), p)
}

// containsWord reports whether p occurs in s on word boundaries.
func containsWord(s, p string) bool {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], p)
		if i < 0 {
			return false
		}
		i += off
		if (i == 0 || !isWordByteBefore(s, i, p)) && boundaryAt(s, i+len(p), p) {
			return true
		}
		off = i + 1
	}
	return false
}

// boundaryAt reports whether position i of s (just after a match of p) is a
// word boundary. A phrase ending in punctuation ("photo:") needs none.
func boundaryAt(s string, i int, p string) bool {
	if i >= len(s) {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(p)
	if !isWordRune(last) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !isWordRune(r)
}

func isWordByteBefore(s string, i int, p string) bool {
	first, _ := utf8.DecodeRuneInString(p)
	if !isWordRune(first) {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isWordRune(r)
}

// wordRuneAt returns the size of the rune at s[i] when it is a word rune,
// else 0; ASCII is told without decoding.
func wordRuneAt(s string, i int) int {
	if c := s[i]; c < utf8.RuneSelf {
		return int(byteClass[c]&classWord) / int(classWord)
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if !isWordRune(r) {
		return 0
	}
	return size
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// fold maps text to the form phrases are matched in: lower case, accents
// off, typographic quotes, dashes and spaces made plain, no space before
// French high punctuation, whitespace collapsed.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		// ASCII, most of the text in most languages, is handled a byte at a
		// time: decoding and the rune tables cost more than the folding.
		if c := s[i]; c < utf8.RuneSelf {
			switch {
			case isASCIISpace(c):
				space = b.Len() > 0
				i++
				continue
			case c == '?' || c == '!' || c == ':' || c == ';':
				space = false
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			// A run of ASCII that folding leaves as it is goes in one write.
			j := i
			for j < len(s) && foldsToItself(s[j]) {
				j++
			}
			if j > i {
				b.WriteString(s[i:j])
				i = j
				continue
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case r == '»':
			space = false
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		foldRune(&b, r)
	}
	return b.String()
}

// foldRune writes the folded form of one non-ASCII rune.
func foldRune(b *strings.Builder, r rune) {
	switch r {
	case '’', '‘', '‛', 'ʼ', '´', '`', '′':
		b.WriteByte('\'')
		return
	case '“', '”', '„', '«', '»', '″':
		b.WriteByte('"')
		return
	case '–', '—', '‒', '−':
		b.WriteByte('-')
		return
	case '…':
		b.WriteString("...")
		return
	case 'œ', 'Œ':
		b.WriteString("oe")
		return
	case 'æ', 'Æ':
		b.WriteString("ae")
		return
	}
	// A rune without a canonical decomposition is its own NFD: skip the
	// normaliser, the costly part for scripts other than Latin. Hangul
	// syllables decompose by rule and have no table entry, so they take
	// the long way.
	var enc [utf8.UTFMax]byte
	n := utf8.EncodeRune(enc[:], r)
	var d []byte
	if isHangulSyllable(r) {
		var buf [16]byte
		d = norm.NFD.Append(buf[:0], enc[:n]...)
	} else if d = norm.NFD.Properties(enc[:n]).Decomposition(); d == nil {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
		return
	}
	// Decompose and drop the combining marks: é -> e. The table's
	// decomposition of a rune is its NFD (TestDecompositionIsNFD checks
	// every rune): no normaliser, whose buffer escapes to the heap.
	for _, c := range string(d) {
		if !unicode.Is(unicode.Mn, c) {
			b.WriteRune(unicode.ToLower(c))
		}
	}
}

func isHangulSyllable(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// Classes of bytes for the paths that take ASCII a byte at a time; bytes
// from utf8.RuneSelf up belong to none.
const (
	classSpace uint8 = 1 << iota // unicode.IsSpace
	classWord                    // a letter or a digit: isWordRune
	classPlain                   // fold copies it as it is, with no effect on spacing
)

// byteClass is read-only once built: one lookup instead of a chain of
// comparisons in the loops over every byte of a page.
var byteClass = func() (t [256]uint8) {
	for c := range utf8.RuneSelf {
		switch {
		case c == ' ' || ('\t' <= c && c <= '\r'):
			t[c] = classSpace
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			t[c] = classWord | classPlain
		case 'A' <= c && c <= 'Z':
			t[c] = classWord
		case c == '?' || c == '!' || c == ':' || c == ';':
		default:
			t[c] = classPlain
		}
	}
	return t
}()

// foldsToItself reports an ASCII byte fold copies as it is, with no effect
// on the spacing around it: not white space, upper case or ?!:;.
func foldsToItself(c byte) bool { return byteClass[c]&classPlain != 0 }

// isASCIISpace is unicode.IsSpace for a byte below utf8.RuneSelf.
func isASCIISpace(c byte) bool { return byteClass[c]&classSpace != 0 }
