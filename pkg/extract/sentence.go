package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pages flattened to one line (a feed's text, a scraped page joined with
// spaces) carry their furniture inside the article's block: the title, a
// cookie notice, the article, a subscription pitch, the site's footer, all
// in one run of sentences. The lexicon's block rules see one long block
// there and keep it, and two unrelated articles of one site then share the
// notice word for word. The sentence pass looks inside long blocks.

// sentencePass splits each kept block longer than shortBlock (and each
// shorter one the lexicon pass left to it) into sentences and takes out
// those that are notices: a sentence that opens with a notice phrase of the
// lexicon (call to action, cookie, paywall, legal, bot check), ends the
// block with one (footers close the text), or holds one beside another
// such sentence; then the sentences around them in the notices' own words,
// and a short sentence caught between two of them. News prose that
// mentions cookies once keeps it: a phrase inside a sentence goes only in a
// run of notices. The rest of the block stays, cut into blocks at the
// removed sentences.
func (e *Extractor) sentencePass(bs []block) []block {
	var out []block
	for i := range bs {
		b := &bs[i]
		if b.removed() || (b.runes <= shortBlock && b.notice == "") {
			if out != nil {
				out = append(out, *b)
			}
			continue
		}
		parts, ok := e.noticeSentences(b)
		if !ok {
			if b.notice != "" {
				b.remove(layerLexicon, b.notice)
			}
			if out != nil {
				out = append(out, *b)
			}
			continue
		}
		if out == nil {
			out = append(make([]block, 0, len(bs)+8), bs[:i]...)
		}
		out = append(out, parts...)
	}
	if out == nil {
		return bs
	}
	return out
}

// sentence is one sentence of a long block and what the lexicon says of it.
type sentence struct {
	text    string
	suspect bool   // holds a notice phrase
	strong  bool   // opens with it, or holds every part of a conjunction
	weak    bool   // short, in the words notices are made of (noticeWord)
	reason  string // the phrase, as the lexicon pass words it
	layer   string // layerStructure for a notice found by shape
	remove  bool
}

// noticeSentences returns b cut into blocks at its notice sentences, and
// false when it holds none.
func (e *Extractor) noticeSentences(b *block) ([]block, bool) {
	if !e.mayHoldNotice(b) {
		return nil, false
	}
	var texts []string
	split := splitSentences(b.text)
	for k, t := range split {
		// The last sentence, when short, goes whole with a notice in it
		// (below): a footer's lead-in stays with it.
		if k == len(split)-1 && utf8.RuneCountInString(t) <= shortBlock {
			texts = append(texts, t)
			continue
		}
		if i := e.gluedNotice(t); i > 0 {
			texts = append(texts, strings.TrimSpace(t[:i]), t[i:])
			continue
		}
		texts = append(texts, t)
	}
	if len(texts) < 2 {
		return nil, false
	}
	ss := make([]sentence, len(texts))
	seen := false
	for k, t := range texts {
		ss[k].text = t
		// A long sentence matches only a phrase it opens with, as a long
		// block does.
		sb := newBlock(t)
		if sb.runes <= shortBlock && contactDetails(t) {
			ss[k].suspect, ss[k].strong, ss[k].layer = true, true, layerStructure
			ss[k].reason = "contact details: an e-mail address with a phone number or contact label"
			seen = true
			continue
		}
		m, ok := e.lex.match(&sb)
		if !ok || m.marker || !notice(m.phrase.kind) {
			continue
		}
		ss[k].suspect = true
		ss[k].strong = k == len(texts)-1 || e.opensNotice(&sb)
		ss[k].reason = m.phrase.kind + " (" + m.phrase.lang + "): " + strconv.Quote(m.phrase.text) + " in a sentence"
		seen = true
	}
	if !seen {
		return nil, false
	}
	found := false
	for k := range ss {
		s := &ss[k]
		s.weak = (utf8.RuneCountInString(s.text) <= shortBlock && noticeWord(s.text)) || optionList(s.text)
	}
	for k := range ss {
		s := &ss[k]
		if !s.suspect {
			continue
		}
		s.remove = s.strong || (k > 0 && ss[k-1].suspect) || (k+1 < len(ss) && ss[k+1].suspect)
		found = found || s.remove
	}
	if !found {
		return nil, false
	}
	// A notice runs on in sentences of its own vocabulary (privacy, consent,
	// password…) that name no phrase; the run grows from the notices found,
	// both ways, and so does not reach prose that merely mentions privacy.
	for grew := true; grew; {
		grew = false
		// A short sentence between two notices belongs to them ("More.",
		// "See our offers.").
		for k := 1; k+1 < len(ss); k++ {
			if !ss[k].remove && ss[k-1].remove && ss[k+1].remove && utf8.RuneCountInString(ss[k].text) <= maxBetween {
				ss[k].remove, ss[k].reason, grew = true, "between two notices", true
			}
		}
		for k := range ss {
			s := &ss[k]
			if s.remove || !(s.weak || s.suspect) {
				continue
			}
			if (k > 0 && ss[k-1].remove) || (k+1 < len(ss) && ss[k+1].remove) {
				s.remove, grew = true, true
				if !s.suspect {
					s.reason = "beside a notice, in its words"
				}
			}
		}
	}
	var out []block
	var kept []string
	flush := func() {
		if len(kept) > 0 {
			nb := newBlock(strings.Join(kept, " "))
			nb.linked = b.linked
			out = append(out, nb)
			kept = kept[:0]
		}
	}
	for _, s := range ss {
		if !s.remove {
			kept = append(kept, s.text)
			continue
		}
		flush()
		nb := newBlock(s.text)
		layer := layerLexicon
		if !s.suspect || s.layer != "" {
			layer = layerStructure
		}
		nb.remove(layer, s.reason)
		out = append(out, nb)
	}
	flush()
	out[len(out)-1].blankAfter = b.blankAfter
	return out, true
}

// mayHoldNotice reports whether block b holds a notice phrase anywhere, or
// an e-mail address: most long blocks hold neither, and are passed after one
// look-up of their words instead of a match per sentence.
func (e *Extractor) mayHoldNotice(b *block) bool {
	if strings.Contains(b.text, "@") {
		return true
	}
	var buf [64]int
	for _, pi := range e.lex.candidates(b.fold, b.fold, 0, buf[:0]) {
		p := e.lex.phrases[pi]
		if !notice(p.kind) {
			continue
		}
		if p.parts != nil {
			if hasAll(b.fold, p.first) {
				return true
			}
			continue
		}
		if containsWord(b.fold, p.text) {
			return true
		}
	}
	return false
}

// opensNotice reports whether sentence b opens with a notice phrase or
// holds every part of a notice conjunction, whichever phrase the lexicon
// matched first.
func (e *Extractor) opensNotice(b *block) bool {
	var buf [64]int
	bare := bareFold(b.fold)
	for _, pi := range e.lex.candidates(b.fold, bare, b.runes, buf[:0]) {
		p := e.lex.phrases[pi]
		switch {
		case !notice(p.kind):
		case p.parts != nil:
			if b.runes <= shortBlock && hasAll(b.fold, p.first) && containsAll(b.fold, p.parts) {
				return true
			}
		case hasWordPrefix(bare, p.text):
			return true
		}
	}
	return false
}

// gluedNotice returns the byte offset in sentence t where a notice phrase
// opens with a capital after a word that ends no sentence ("Oil prices rise
// Take a free trial…"): a page flattened without punctuation between its
// title and a banner. 0 when there is none.
func (e *Extractor) gluedNotice(t string) int {
	f := fold(t)
	var buf [64]int
	for _, pi := range e.lex.candidates(f, bareFold(f), 0, buf[:0]) {
		p := e.lex.phrases[pi]
		if p.parts != nil || !notice(p.kind) {
			continue
		}
		for off := 1; off < len(f); {
			i := strings.Index(f[off:], p.text)
			if i < 0 {
				break
			}
			i += off
			off = i + 1
			if f[i-1] != ' ' || !boundaryAt(f, i+len(p.text), p.text) {
				continue
			}
			if j, ok := gluedAt(t, utf8.RuneCountInString(f[:i])); ok {
				return j
			}
		}
	}
	return 0
}

// gluedAt maps rune n of a folded sentence back to t (folding keeps rune
// counts in the common case) and reports the byte offset there when a
// capital opens a word there after a word that ends no sentence.
func gluedAt(t string, n int) (int, bool) {
	k, j := 0, 0
	for j < len(t) && k < n {
		_, size := utf8.DecodeRuneInString(t[j:])
		j += size
		k++
	}
	if j >= len(t) || t[j-1] != ' ' {
		return 0, false
	}
	r, _ := utf8.DecodeRuneInString(t[j:])
	prev, _ := utf8.DecodeLastRuneInString(strings.TrimRight(t[:j], " "))
	return j, unicode.IsUpper(r) && isWordRune(prev)
}

// maxBetween is the longest sentence (runes) taken for part of the notices
// around it: a label or a fragment, not a sentence of the article.
const maxBetween = 80

// bareFold is folded text without the marks that may lead a notice.
func bareFold(f string) string { return strings.TrimLeft(f, " -•*>»|\"'#(") }

// splitSentences cuts s after sentence punctuation followed by a space or
// glued to a capital ("policy.Details"), and after CJK and Arabic stops. A
// period after a single letter or between digits ("J. Doe", "e.g.", "3.5")
// does not cut. Each piece keeps its punctuation; pieces are trimmed.
func splitSentences(s string) []string {
	var out []string
	start := 0
	rs := s
	for i := 0; i < len(rs); {
		r, size := utf8.DecodeRuneInString(rs[i:])
		end := i + size
		switch r {
		case '。', '！', '？', '؟', '!', '?', '.', '…':
		default:
			i = end
			continue
		}
		// Closing quotes and brackets stay with the sentence.
		for end < len(rs) {
			c, n := utf8.DecodeRuneInString(rs[end:])
			if !strings.ContainsRune("\"'»”’)]", c) {
				break
			}
			end += n
		}
		cut := false
		switch {
		case r == '。' || r == '！' || r == '？' || r == '؟':
			cut = true
		case end >= len(rs):
		case rs[end] == ' ':
			cut = r != '.' || !abbrevBefore(rs[:i])
		default:
			next, _ := utf8.DecodeRuneInString(rs[end:])
			cut = r == '.' && unicode.IsUpper(next) && !abbrevBefore(rs[:i])
		}
		if cut {
			if t := strings.TrimSpace(rs[start:end]); t != "" {
				out = append(out, t)
			}
			start = end
		}
		i = end
	}
	if t := strings.TrimSpace(rs[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

// abbrevBefore reports whether the text before a period ends in a single
// letter ("U.S", "J"): an initial, not the end of a sentence.
func abbrevBefore(s string) bool {
	last, n := utf8.DecodeLastRuneInString(s)
	if n == 0 {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:len(s)-n])
	return unicode.IsLetter(last) && !unicode.IsLetter(prev)
}

// maxBotPage is the length (runes) up to which a page holding a bot-check
// notice is taken for the check itself: an article that reports on such
// checks is longer.
const maxBotPage = 1500

// botCheckPage removes what is left of a short page once a bot-check notice
// ("I am not a robot", "your IP address") was found on it: the page is the
// check, not an article, and its few other lines are the check's own.
func botCheckPage(bs []block) {
	found, runes := false, 0
	for i := range bs {
		b := &bs[i]
		if b.removed() {
			found = found || strings.HasPrefix(b.reason, kindCaptcha+" (")
			runes += b.runes
			continue
		}
		runes += b.runes
	}
	if !found || runes > maxBotPage {
		return
	}
	for i := range bs {
		bs[i].remove(layerStructure, "bot-check page: no article")
	}
}

// noticeStems open the words that consent, subscription and login notices
// are made of, in the lexicons' languages and pl, ru, tr (folded: lower
// case, no accents). Alone they prove nothing — news is written about
// privacy — so they only extend a notice the lexicon found.
var noticeStems = []string{
	"cookie", "privacy", "privacid", "riservatezz", "confidentialit", "datenschutz", "datenverarbeitung",
	"prywatn", "конфиденциальн", "gizlilik", "cerez", "password", "passwort", "hasł", "email", "newsletter",
	"subscri", "abonn", "abbona", "suscri", "подпис", "zustimm", "einwillig", "consent", "consenso",
	"consentimiento", "akzeptier",
}

// noticeWord reports whether s holds a word that opens with a notice stem.
func noticeWord(s string) bool {
	for _, w := range strings.FieldsFunc(fold(s), notWord) {
		for _, st := range noticeStems {
			if strings.HasPrefix(w, st) {
				return true
			}
		}
	}
	return false
}

var (
	emailRe = regexp.MustCompile(`[\w.+-]+@[\w-]+\.[\w.-]*\w`)
	phoneRe = regexp.MustCompile(`\+?\(?\d[\d ()./-]{6,}\d`)
)

// contactStems open the labels of a press office's or a site's contact
// lines (folded).
var contactStems = []string{"contact", "kontakt", "contatt", "ruckfrag", "pressestelle", "press office", "e-mail:", "email:", "mail:"}

// contactDetails reports a sentence that gives an e-mail address with a
// phone number or a contact label: the footer of a press release or a
// site, not the article. A sentence that quotes an address alone stays.
func contactDetails(s string) bool {
	if !strings.Contains(s, "@") || !emailRe.MatchString(s) {
		return false
	}
	if phoneRe.MatchString(s) {
		return true
	}
	f := fold(s)
	for _, st := range contactStems {
		if strings.Contains(f, st) {
			return true
		}
	}
	return false
}

// optionList reports a run of at least 25 words, four in five of them
// capitalised, that ends no sentence: a form's options (countries, fields)
// or a menu, which no article writes. Only next to a notice does it go.
func optionList(s string) bool {
	if endsSentence(s) {
		return false
	}
	words, upper := 0, 0
	for _, w := range strings.FieldsFunc(s, notWord) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsDigit(r) {
			continue
		}
		words++
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return words >= 25 && 5*upper >= 4*words
}
