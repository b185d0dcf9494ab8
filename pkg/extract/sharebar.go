package extract

import "strings"

// shareServices are the networks and services share bars link to, folded.
// Their names are brands, the same in every language, so they need no
// lexicon file. Words that are also common nouns in some language ("x",
// "line", "threads") are left out.
var shareServices = map[string]bool{
	"facebook": true, "twitter": true, "linkedin": true, "whatsapp": true, "pinterest": true,
	"reddit": true, "tumblr": true, "telegram": true, "email": true, "e-mail": true, "instagram": true,
	"youtube": true, "flipboard": true, "messenger": true, "xing": true, "vk": true, "vkontakte": true,
	"вконтакте": true, "одноклассники": true, "pocket": true, "skype": true, "viber": true, "digg": true,
	"stumbleupon": true, "newsvine": true, "google+": true, "mastodon": true, "bluesky": true, "tiktok": true,
	"wechat": true, "weibo": true, "qzone": true, "微信": true, "微博": true, "meneame": true,
}

// shareBarMin is how many services a share bar names at least: one or two
// names are as often prose ("on Twitter and Facebook").
const shareBarMin = 3

// shareWords splits a block's folded text into its words as a share bar prints
// them: separated by white space and the punctuation bars put between
// buttons. ok is false when the block reads as a sentence (a comma, a
// sentence's end), or is longer than a bar's dozen words.
func shareWords(b *block) (words []string, ok bool) {
	// A dozen names, with counts, fit in 200 characters.
	if b.runes > 200 || strings.ContainsAny(b.fold, ",;") || endsSentence(b.fold) {
		return nil, false
	}
	words = strings.FieldsFunc(b.fold, func(r rune) bool {
		return r == ' ' || r == '|' || r == '·' || r == '•' || r == '/' || r == ':'
	})
	return words, len(words) <= 12
}

// shareCount is how many of words name a share service, and how many are
// neither a name nor a number (the counts some bars print beside a name).
func shareCount(words []string) (names, others int) {
	for _, w := range words {
		switch {
		case shareServices[w]:
			names++
		case strings.Trim(w, "0123456789") != "":
			others++
		}
	}
	return names, others
}

// shareBars removes share bars: a block made of service names
// ("WhatsApp Facebook Twitter Pinterest"), with at most one other word for
// each three names ("Share: Email Twitter Facebook"), or a run of short
// blocks, one button each, three or more of them a service ("Twitter",
// "Facebook", "LinkedIn", "More", "Print"). The names are entities to the
// clustering, and two articles of one site shared them all.
//
// A bar glued into a flattened page's line ("… the title WhatsApp Facebook
// Twitter Pinterest Linkedin Tumblr the article …") is cut out of it: the
// block is split around it, and the bar goes.
func shareBars(bs []block) []block {
	bs = inlineShareBars(bs)
	const buttonWords = 2 // a button's label: "Di più", "Google+"
	// run holds the kept short blocks since the last longer one, and names
	// how many service names each holds.
	var run []int
	var names []int
	endRun := func() {
		// The run is cut to its first and last name: a short heading
		// before the bar is the article's.
		first, last, total := -1, -1, 0
		for k, n := range names {
			if n > 0 {
				if first < 0 {
					first = k
				}
				last = k
				total += n
			}
		}
		if total >= shareBarMin {
			for _, j := range run[first : last+1] {
				bs[j].remove(layerStructure, "share bar")
			}
		}
		run, names = run[:0], names[:0]
	}
	for i := range bs {
		b := &bs[i]
		if b.removed() {
			continue // a button the lexicon took ("Share") leaves the run whole
		}
		words, ok := shareWords(b)
		if !ok {
			endRun()
			continue
		}
		n, others := shareCount(words)
		if n >= shareBarMin && others <= n/3 {
			b.remove(layerStructure, "share bar")
			continue
		}
		if len(words) > buttonWords {
			endRun()
			continue
		}
		run = append(run, i)
		names = append(names, n)
	}
	endRun()
	return bs
}

// inlineShareBars splits the long blocks that hold a share bar among their
// words (inlineShareBar) into the text before it, the bar, removed, and
// the text after it. bs is returned as is when no block holds one.
func inlineShareBars(bs []block) []block {
	var out []block
	for i := range bs {
		b := &bs[i]
		var before, bar, after string
		ok := false
		if !b.removed() {
			before, bar, after, ok = inlineShareBar(b)
		}
		if !ok {
			if out != nil {
				out = append(out, *b)
			}
			continue
		}
		if out == nil {
			out = append(make([]block, 0, len(bs)+2), bs[:i]...)
		}
		cut := newBlock(bar)
		cut.remove(layerStructure, "share bar")
		for _, part := range []block{newBlock(before), cut, newBlock(after)} {
			if part.text != "" {
				part.blankAfter, part.linked = true, b.linked
				out = append(out, part)
			}
		}
	}
	if out == nil {
		return bs
	}
	return out
}

// inlineShareBar finds the longest run of words in b that names three or
// more share services, with at most one other word for each three names
// and never two others in a row; a word followed by a comma or a
// sentence's end is prose, not a button, and ends a run.
func inlineShareBar(b *block) (before, bar, after string, ok bool) {
	// Every bar seen names one of the two; most blocks name neither.
	if !strings.Contains(b.fold, "facebook") && !strings.Contains(b.fold, "twitter") {
		return "", "", "", false
	}
	type word struct {
		start, end int // bytes of b.text
		name       bool
		stop       bool // followed by a comma or a sentence's end
	}
	var words []word
	for i := 0; i < len(b.text); {
		j := strings.IndexByte(b.text[i:], ' ')
		if j < 0 {
			j = len(b.text)
		} else {
			j += i
		}
		w := b.text[i:j]
		key := strings.ToLower(strings.Trim(w, ".,;:!?()[]\"'“”«»|·•"))
		words = append(words, word{start: i, end: j, name: shareServices[key], stop: strings.ContainsAny(w[len(w)-1:], ".,;!?")})
		i = j + 1
	}
	bestFrom, bestTo, bestNames := -1, -1, 0
	for from := 0; from < len(words); from++ {
		if !words[from].name {
			continue
		}
		names, others, gap := 0, 0, 0
		for to := from; to < len(words); to++ {
			w := words[to]
			if w.name {
				names, gap = names+1, 0
				if others <= names/3 && names > bestNames && names >= shareBarMin {
					bestFrom, bestTo, bestNames = from, to, names
				}
			} else {
				others, gap = others+1, gap+1
				if gap > 1 {
					break
				}
			}
			if w.stop {
				break
			}
		}
	}
	if bestFrom < 0 {
		return "", "", "", false
	}
	start, end := words[bestFrom].start, words[bestTo].end
	return strings.TrimSpace(b.text[:start]), b.text[start:end], strings.TrimSpace(b.text[end:]), true
}
