package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// Layers a removal is attributed to.
const (
	layerLexicon   = "lexicon"
	layerStructure = "structure"
)

// block is one paragraph-sized unit of text: a line of plain text or a
// block element of a page.
type block struct {
	text  string // display text, whitespace collapsed
	fold  string // folded for matching
	runes int
	// blankAfter is true when a blank line follows (always, for HTML blocks).
	blankAfter bool
	// linked marks an HTML block largely made of link text.
	linked bool
	// afterLinks marks an HTML block that comes right after one removed as
	// a list of links.
	afterLinks bool

	reason, layer string // set once the block is removed
	// notice is the lexicon's reason for a short block that holds a notice
	// phrase after other sentences: the sentence pass takes out the
	// notice and keeps the rest, or the whole block when it cannot tell.
	notice string
}

func newBlock(text string) block {
	text = collapseSpace(text)
	return block{text: text, fold: fold(text), runes: utf8.RuneCountInString(text)}
}

func (b *block) removed() bool { return b.reason != "" }

func (b *block) remove(layer, reason string) {
	if !b.removed() {
		b.layer, b.reason = layer, reason
	}
}

// collapseSpace trims s and turns each run of white space (NBSP included)
// into one space. Invalid UTF-8 becomes U+FFFD. Text already in that form
// (HTML blocks come collapsed, and are collapsed again) is returned as is.
func collapseSpace(s string) string {
	if isCollapsed(s) {
		return s
	}
	c := collapser{buf: make([]byte, 0, len(s))}
	c.add(s)
	return string(c.buf)
}

// collapser collapses white space as collapseSpace does over text given in
// pieces (the text nodes of a block), into a buffer reused from block to
// block.
type collapser struct {
	buf   []byte
	space bool // white space since the last character written
	runes int  // runes in buf
}

// add appends s and returns how many of its characters are not white space.
// It works on local copies of the collapser's fields, stored back once: a
// store of the buffer into the collapser, which lives on the heap, costs a
// write barrier while the collector runs.
func (c *collapser) add(s string) (nonSpace int) {
	buf, space, runes := c.buf, c.space, c.runes
	for i := 0; i < len(s); {
		// ASCII a byte at a time: decoding costs more than the rest.
		ch := s[i]
		if ch < utf8.RuneSelf {
			if isASCIISpace(ch) {
				space = len(buf) > 0
				i++
				continue
			}
			if space {
				buf = append(buf, ' ')
				runes++
				space = false
			}
			// A run of ASCII without white space goes in one append.
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf && !isASCIISpace(s[j]) {
				j++
			}
			buf = append(buf, s[i:j]...)
			runes += j - i
			nonSpace += j - i
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space = len(buf) > 0
			i += size
			continue
		}
		if space {
			buf = append(buf, ' ')
			runes++
			space = false
		}
		if r == utf8.RuneError && size == 1 {
			buf = utf8.AppendRune(buf, r)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		runes++
		nonSpace++
		i += size
	}
	c.buf, c.space, c.runes = buf, space, runes
	return nonSpace
}

// breakWord adds a white space, as a block element's edge does.
func (c *collapser) breakWord() { c.space = len(c.buf) > 0 }

// take returns the text collected and empties the collapser.
func (c *collapser) take() string {
	s := string(c.buf)
	c.buf, c.space, c.runes = c.buf[:0], false, 0
	return s
}

// isCollapsed reports whether collapseSpace would return s unchanged: valid
// UTF-8, no white space but single ASCII spaces between other characters.
func isCollapsed(s string) bool {
	prevSpace := true // no leading space
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case isASCIISpace(c):
				return false
			default:
				prevSpace = false
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unicode.IsSpace(r) {
			return false
		}
		prevSpace = false
		i += size
	}
	return s == "" || !prevSpace
}

// splitText turns plain text into one block per non-blank line.
func splitText(s string) []block {
	var out []block
	for line := range strings.SplitSeq(s, "\n") {
		b := newBlock(line)
		if b.text == "" {
			if len(out) > 0 {
				out[len(out)-1].blankAfter = true
			}
			continue
		}
		out = append(out, b)
	}
	return out
}

// cleaned is the outcome of the text pass.
type cleaned struct {
	text    string
	title   string
	removed []article.Removal
}

// clean runs the boilerplate pass over blocks: the lexicon layer, then the
// structure layer. title is the known title, if any; the pass may find one
// in a "Site - Title" header. Each rule only removes; when in doubt a block
// stays.
func (e *Extractor) clean(bs []block, title string) cleaned {
	title = siteHeader(bs, title)
	topJunk(bs, title)
	e.lexiconPass(bs)
	bs = e.sentencePass(bs)
	// After the sentence pass, which needs its blocks whole to take out
	// the notices the lexicon pass marked in them.
	bs = shareBars(bs)
	botCheckPage(bs)
	title = repeats(bs, title)
	signaturesAndCredits(bs, title)
	teaserRun(bs)
	topicShift(bs, title)

	var out cleaned
	out.title = title
	var kept []string
	for i := range bs {
		b := &bs[i]
		if strings.IndexFunc(b.text, isWordRune) < 0 {
			b.remove(layerStructure, "no words") // separators such as "***"
		}
		if b.removed() {
			out.removed = append(out.removed, article.Removal{Text: b.text, Reason: b.reason, Layer: b.layer})
			continue
		}
		kept = append(kept, b.text)
	}
	out.text = strings.Join(kept, "\n\n")
	return out
}

// lexiconPass removes blocks that match a phrase. A related-stories marker
// standing alone also takes the teasers after it, but only when the article
// body is already behind it.
func (e *Extractor) lexiconPass(bs []block) {
	// Suffix and prefix tables keep the pass linear however many markers
	// a page holds: resume[i] is the first block from i on long enough to
	// be article text, heads[i] the headline-shaped blocks before i.
	n := len(bs)
	resume := make([]int, n+1)
	heads := make([]int, n+1)
	blurbs := make([]int, n+1) // blocks after a removed list of links, not headline-shaped themselves
	resume[n] = n
	for i := n - 1; i >= 0; i-- {
		resume[i] = resume[i+1]
		if bs[i].runes >= resumeLen {
			resume[i] = i
		}
	}
	for i := range bs {
		heads[i+1], blurbs[i+1] = heads[i], blurbs[i]
		switch {
		case bs[i].linked || (bs[i].runes <= 150 && !endsSentence(bs[i].text)):
			heads[i+1]++
		case bs[i].afterLinks && bs[i].runes <= maxBlurb:
			blurbs[i+1]++
		}
	}
	var body bodySoFar
	for i := 0; i < n; i++ {
		b := &bs[i]
		if b.removed() {
			continue
		}
		m, ok := e.lex.match(b)
		if !ok {
			body.add(b)
			continue
		}
		if !m.marker {
			reason := m.phrase.kind + " (" + m.phrase.lang + "): " + strconv.Quote(m.phrase.text)
			if notice(m.phrase.kind) && m.phrase.parts == nil && !hasWordPrefix(bareFold(b.fold), m.phrase.text) &&
				len(splitSentences(b.text)) > 1 {
				b.notice = reason
				continue
			}
			b.remove(layerLexicon, reason)
			continue
		}
		b.remove(layerLexicon, "related marker ("+m.phrase.lang+"): "+strconv.Quote(m.phrase.text))
		// The cut runs to the end or to a long paragraph (the article
		// resuming), and only over teaser-shaped blocks: a third of them
		// headlines. After an inline "Read more" button the article goes on
		// in full sentences, and stays.
		// Teasers whose headlines went as links leave their blurbs, one
		// under each: two or more such blurbs count as headlines too. A
		// single one may be the article going on after an inline link.
		start := i + 1
		end := resume[start]
		h := heads[end] - heads[start]
		if k := blurbs[end] - blurbs[start]; k >= 2 {
			h += k
		}
		if !body.ok() || 3*h < end-start {
			continue
		}
		for j := start; j < end; j++ {
			bs[j].remove(layerLexicon, "after related marker "+strconv.Quote(m.phrase.text))
		}
		i = end - 1
	}
}

// bodySoFar tracks the kept text seen so far: article text is a real
// paragraph, more than a line or two.
type bodySoFar struct {
	runes int
	para  bool
}

func (s *bodySoFar) add(b *block) {
	s.runes += b.runes
	s.para = s.para || isParagraph(b)
}

func (s *bodySoFar) ok() bool { return s.para && s.runes >= 120 }

// maxBlurb is the length (runes) of the longest blurb under a teaser's
// headline; a longer block after a link is article text.
const maxBlurb = 300

// resumeLen is the length (runes) of a block long enough to be article text
// rather than a teaser, ending a related-stories cut.
const resumeLen = 500

// bodyBefore reports whether the kept blocks before i hold article text.
func bodyBefore(bs []block, i int) bool {
	var body bodySoFar
	for j := range bs[:i] {
		if !bs[j].removed() {
			body.add(&bs[j])
		}
	}
	return body.ok()
}

// siteHeader removes a first line of the form "Site Name - Title" when the
// title part recurs below or is the known title, and returns the title.
func siteHeader(bs []block, title string) string {
	first := firstKept(bs)
	if first < 0 || bs[first].runes > 300 || endsSentence(bs[first].text) {
		return title
	}
	b := &bs[first]
	below := make(map[string]bool, len(bs)-first)
	for _, o := range bs[first+1:] {
		below[o.fold] = true
	}
	ft := fold(title)
	for _, sep := range []string{" - ", " | ", " – ", " — ", " · "} {
		for off := 0; ; {
			i := strings.Index(b.text[off:], sep)
			if i < 0 {
				break
			}
			i += off
			off = i + len(sep)
			for _, part := range []string{b.text[off:], b.text[:i]} {
				fp := fold(part)
				if utf8.RuneCountInString(fp) < 10 || (fp != ft && !below[fp]) {
					continue
				}
				b.remove(layerStructure, "site name and title header")
				if title == "" {
					title = strings.TrimSpace(part)
				}
				return title
			}
		}
	}
	return title
}

func firstKept(bs []block) int {
	for i := range bs {
		if !bs[i].removed() {
			return i
		}
	}
	return -1
}

// topJunk removes a short first line that is not a sentence, stands apart,
// and shares no word with the rest of the page (a widget or ad label such as
// "2 Remove Virus"), when a real paragraph follows.
func topJunk(bs []block, title string) {
	first := firstKept(bs)
	if first < 0 {
		return
	}
	b := &bs[first]
	if b.runes > 40 || fieldsOver(b.fold, 6) || !b.blankAfter || b.fold == fold(title) ||
		strings.ContainsAny(b.text, ".!?:;") {
		return
	}
	para := false
	rest := map[string]bool{}
	for _, o := range bs[first+1:] {
		para = para || isParagraph(&o)
		for w := range strings.FieldsFuncSeq(o.fold, notWord) {
			rest[w] = true
		}
	}
	if !para {
		return
	}
	for w := range strings.FieldsFuncSeq(b.fold, notWord) {
		if utf8.RuneCountInString(w) >= 4 && rest[w] {
			return
		}
	}
	b.remove(layerStructure, "junk line before the article")
}

func notWord(r rune) bool { return !isWordRune(r) }

// fieldsOver tells whether s has more than n words (len(strings.Fields(s)) > n)
// without splitting all of it.
func fieldsOver(s string, n int) bool {
	k := 0
	for range strings.FieldsSeq(s) {
		if k++; k > n {
			return true
		}
	}
	return false
}

// repeats removes lines equal to the title and verbatim repeats of an
// earlier kept line. A line equal to one side of a title such as
// "Site - Headline" repeats it too, and that side is the title returned.
func repeats(bs []block, title string) string {
	variants := map[string]string{}
	for _, v := range titleVariants(title) {
		variants[fold(v)] = v
	}
	seen := map[string]bool{}
	for i := range bs {
		b := &bs[i]
		if b.removed() {
			continue
		}
		v, isTitle := variants[b.fold]
		switch {
		case isTitle:
			b.remove(layerStructure, "repeats the title")
			if len(variants) > 1 && fold(title) != b.fold {
				title, variants = v, map[string]string{b.fold: v}
			}
		case b.runes >= 20 && seen[b.fold]:
			b.remove(layerStructure, "repeats an earlier line")
		default:
			seen[b.fold] = true
		}
	}
	return title
}

// titleVariants is the title and, when separators cut it ("Site - Headline"),
// each part long enough to be a headline.
func titleVariants(title string) []string {
	title = strings.TrimSpace(title)
	if title == "" {
		return nil
	}
	out := []string{title}
	for _, sep := range titleSeps {
		if !strings.Contains(title, sep) {
			continue
		}
		for part := range strings.SplitSeq(title, sep) {
			if part = strings.TrimSpace(part); utf8.RuneCountInString(part) >= 20 {
				out = append(out, part)
			}
		}
	}
	return out
}

var (
	// "E.Cunningham--EWJ": a name glued to an agency code.
	signatureRe = regexp.MustCompile(`^\p{Lu}[\p{L}.'’ -]{0,40}--\p{Lu}{2,6}$`)
	// "ab/cd-ef": agency editors' initials.
	initialsRe = regexp.MustCompile(`^[a-z]{2,5}(?:-[a-z]{2,5})?(?:/[a-z]{2,5}(?:-[a-z]{2,5})?)+$`)
	// "… / Photo: Some NAME - AGENCY/Archives", in any language.
	creditRe = regexp.MustCompile(`(?:^|\s)/\s*[\p{L} ]{1,20}:\s*[^/]{1,80}\s[-–—]\s*\p{Lu}[\p{Lu}\p{N}&.]{1,15}(?:/\p{L}+)?$`)
)

// signaturesAndCredits removes agency signatures and photo-credit lines,
// including a caption that is the title followed by a credit.
func signaturesAndCredits(bs []block, title string) {
	for i := range bs {
		b := &bs[i]
		if b.removed() || b.runes > shortBlock {
			continue
		}
		switch {
		case isDateLine(b):
			b.remove(layerStructure, "date or byline line")
		case isCopyright(b):
			b.remove(layerStructure, "copyright line")
		// The literals each expression needs are looked for first: a
		// substring search costs far less than a match that fails.
		case (strings.Contains(b.text, "--") && signatureRe.MatchString(b.text)) ||
			(strings.Contains(b.text, "/") && initialsRe.MatchString(b.text)):
			b.remove(layerStructure, "agency signature")
		case !endsSentence(b.text) && strings.Contains(b.text, "/") && strings.Contains(b.text, ":") && creditRe.MatchString(b.text):
			b.remove(layerStructure, "photo credit")
		case title != "" && (strings.HasPrefix(b.text, title+" / ") || strings.HasPrefix(b.text, title+" (")):
			b.remove(layerStructure, "caption repeating the title")
		}
	}
}

// isCopyright reports a line that opens with a copyright sign or word:
// "© 2025 Some Site Ltd · Legal notice".
func isCopyright(b *block) bool {
	return strings.HasPrefix(b.fold, "©") || strings.HasPrefix(b.fold, "(c) ") ||
		strings.HasPrefix(b.fold, "copyright ") || strings.HasPrefix(b.fold, "copyright©")
}

// teaserRun removes a trailing run of two or more teasers of other stories
// ("CategoryHeadline…"), provided article text remains before it.
func teaserRun(bs []block) {
	var run []int
	for i := len(bs) - 1; i >= 0; i-- {
		if bs[i].removed() {
			continue
		}
		if !isTeaser(bs[i].text) {
			break
		}
		run = append(run, i)
	}
	if len(run) < 2 || !bodyBefore(bs, run[len(run)-1]) {
		return
	}
	for _, i := range run {
		bs[i].remove(layerStructure, "teaser of another story")
	}
}

// isTeaser reports a line that starts with a category glued to the next
// word ("CybercrimeNegli") or ends truncated.
func isTeaser(s string) bool {
	if truncated(s) || strings.HasSuffix(s, "...") {
		return true
	}
	// The first two words, without splitting the whole block.
	n := 0
	for f := range strings.FieldsSeq(s) {
		if gluedWord(f) {
			return true
		}
		if n++; n == 2 {
			break
		}
	}
	return false
}

// gluedWord reports a token like "InnovazioneL’evoluzione": a capitalised
// word of four letters or more running, lower case into upper case, into the
// next one. Shorter heads ("YouTube", "McDonald") are names, not glue.
func gluedWord(f string) bool {
	rs := []rune(f)
	if len(rs) < 6 || !unicode.IsUpper(rs[0]) {
		return false
	}
	for i := 1; i+1 < len(rs); i++ {
		if !unicode.IsLetter(rs[i]) {
			return false
		}
		if unicode.IsLower(rs[i]) && unicode.IsUpper(rs[i+1]) {
			return i+1 >= 4
		}
	}
	return false
}

// endsSentence reports whether s ends with sentence punctuation, closing
// quotes and brackets aside.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, " \"'»”’)]")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?'
}

// isParagraph reports a block that reads as article prose.
func isParagraph(b *block) bool {
	return b.runes >= 80 && (endsSentence(b.text) || strings.Contains(b.text, ". "))
}
