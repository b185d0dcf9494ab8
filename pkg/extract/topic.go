package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A block after which the text changes topic: stories of other articles
// appended to this one under a label the lexicon does not know ("Você pode
// gostar...") or under none. Told by structure and vocabulary, no lexicon:
// a trailing run of blocks that opens at a line the other signals already
// suspect (a short line that ends no sentence, a teaser, a linked line),
// made mostly of teasers (headlines, truncated excerpts), whose blocks share
// little vocabulary with the title and the body before the run, and little
// with each other, since each is a different story. A last section of the
// article shares words with the body or with its neighbours, ends its
// paragraphs with sentences, or is a list the article introduces; then it
// stays.
const (
	// topicMinWords is how many content words a block needs to be judged
	// by its vocabulary; shorter ones pass along with the run.
	topicMinWords = 4
	// topicLabelWords is the most words of a label opening the run ("More
	// stories"); a label may name the site, and is not judged.
	topicLabelWords = 5
	// topicBodyShare is the largest share of a block's content words found
	// in the title and the body for the block to be about another topic.
	// Function words of four letters or more ("that", "dans", "della") are
	// counted too, so an unrelated block still scores 0.1 to 0.25.
	topicBodyShare = 0.3
	// topicMutualShare is the largest share of a block's content words
	// found in any other block of the run.
	topicMutualShare = 0.3
	// topicMinWord is the shortest word taken as a content word: shorter
	// ones are mostly function words in the languages served.
	topicMinWord = 4
	// topicStemLen is how many letters of a word make its stem, a crude
	// stemmer for any language that spaces its words.
	topicStemLen = 5
	// topicMaxRun bounds the run (blocks), which keeps the pass linear.
	topicMaxRun = 30
)

// reasonTopic is recorded for each block of such a run.
const reasonTopic = "text changes topic after the article"

// topicShift removes a trailing run of blocks about other topics. The run
// opens after the article's body, never before its first paragraph, and
// the earliest opening that makes a valid run wins.
func topicShift(bs []block, title string) {
	var kept []int
	for i := range bs {
		if !bs[i].removed() {
			kept = append(kept, i)
		}
	}
	if len(kept) < 3 {
		return
	}
	var stems []map[string]bool // built on first use
	stemsOf := func(i int) map[string]bool {
		if stems == nil {
			stems = make([]map[string]bool, len(bs))
		}
		if stems[i] == nil {
			stems[i] = contentStems(bs[i].fold)
		}
		return stems[i]
	}
	// The body's text and vocabulary grow with the opening tried: both
	// are built once, and only when a run has the right shape.
	var (
		body          bodySoFar
		bodyTo, vocTo int
		vocab         map[string]bool
		first         = max(1, len(kept)-topicMaxRun)
	)
	// A line ending in a colon introduces a list: its items are the
	// article's, up to the next paragraph.
	inList := false
	for _, i := range kept[:first] {
		inList = listState(&bs[i], inList)
	}
	for k := first; k < len(kept); k++ {
		wasList := inList
		inList = listState(&bs[kept[k]], inList)
		if wasList || !opensRun(&bs[kept[k]]) {
			continue
		}
		run := kept[k:]
		content, ok := teaserShaped(bs, run)
		if !ok {
			continue
		}
		for ; bodyTo < k; bodyTo++ {
			body.add(&bs[kept[bodyTo]])
		}
		if !body.ok() {
			continue
		}
		if vocab == nil {
			vocab = contentStems(fold(title))
		}
		for ; vocTo < k; vocTo++ {
			for w := range stemsOf(kept[vocTo]) {
				vocab[w] = true
			}
		}
		if !unrelated(content, vocab, stemsOf) {
			continue
		}
		for _, i := range run {
			bs[i].remove(layerStructure, reasonTopic)
		}
		return
	}
}

// listState says whether a list the article introduces goes on after b.
func listState(b *block, inList bool) bool {
	switch {
	case strings.HasSuffix(b.text, ":"):
		return true
	case !teaserLike(b):
		return false
	}
	return inList
}

// opensRun reports a block the other signals already suspect: a short line
// that ends no sentence, a truncated teaser, a line opening with a link.
// A word glued like a category ("TallGrass") is not enough: brand names
// are written so.
func opensRun(b *block) bool {
	return b.linked || cutShort(b.text) || (b.runes <= 120 && !endsSentence(b.text))
}

// teaserLike reports a block shaped like a teaser rather than a paragraph:
// linked, cut short, or ending no sentence (a headline, a signed excerpt).
func teaserLike(b *block) bool {
	return b.linked || cutShort(b.text) || !endsSentence(b.text)
}

// cutShort reports text that ends with an ellipsis, as excerpts do.
func cutShort(s string) bool {
	return truncated(s) || strings.HasSuffix(s, "...")
}

// teaserShaped reports whether a run reads as a list of other stories by
// its shape alone, and returns its content blocks: those with words enough
// to be judged, but a label opening the run. Each opens like a headline;
// at least two; at most a third end a sentence as a paragraph does, and
// none of those first or last, where it may be the article's own last
// paragraph. A line ending in a colon introduces a list of the article.
// It looks at the words before any vocabulary is built, and gives up at
// the first sign of prose, so that an article's subheadings cost little.
func teaserShaped(bs []block, run []int) ([]int, bool) {
	var content []int
	nplain, lastPlain := 0, false
	for n, i := range run {
		b := &bs[i]
		if strings.HasSuffix(b.text, ":") {
			return nil, false
		}
		if contentWords(b.fold) < topicMinWords {
			continue
		}
		if n == 0 && !endsSentence(b.text) && len(strings.Fields(b.text)) <= topicLabelWords {
			continue
		}
		if !storyShaped(b.text) {
			return nil, false
		}
		lastPlain = !teaserLike(b)
		if lastPlain {
			if len(content) == 0 {
				return nil, false
			}
			nplain++
		}
		content = append(content, i)
	}
	if len(content) < 2 || 3*nplain > len(content) || lastPlain {
		return nil, false
	}
	return content, true
}

// contentWords counts the words of folded text that contentStems keeps,
// without building the set.
func contentWords(f string) int {
	n, letters := 0, 0
	for _, r := range f {
		if unicode.IsLetter(r) {
			letters++
			continue
		}
		if letters >= topicMinWord {
			n++
		}
		letters = 0
	}
	if letters >= topicMinWord {
		n++
	}
	return n
}

// unrelated reports whether every content block shares little vocabulary
// with the body and with each other block.
func unrelated(content []int, vocab map[string]bool, stemsOf func(int) map[string]bool) bool {
	for _, i := range content {
		if share(stemsOf(i), vocab) > topicBodyShare {
			return false
		}
	}
	for _, i := range content {
		for _, j := range content {
			if i != j && share(stemsOf(i), stemsOf(j)) > topicMutualShare {
				return false
			}
		}
	}
	return true
}

// storyShaped reports text that opens like a headline or an excerpt: an
// upper-case letter, perhaps after an opening quote. List items ("a
// children's story hour", "14) …") and quoted posts ("— Name (@name)")
// open otherwise.
func storyShaped(s string) bool {
	s = strings.TrimLeft(s, "\"'“‘«„¿¡ ")
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// contentStems returns the stems of the content words of folded text:
// words of topicMinWord letters or more, cut to topicStemLen letters.
func contentStems(f string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if utf8.RuneCountInString(w) < topicMinWord {
			continue
		}
		if cut := runeOffset(w, topicStemLen); cut > 0 {
			w = w[:cut]
		}
		out[w] = true
	}
	return out
}

// runeOffset is the byte offset of rune n of s, or 0 when s has no more
// than n runes.
func runeOffset(s string, n int) int {
	k := 0
	for i := range s {
		if k == n {
			return i
		}
		k++
	}
	return 0
}

// share is the share of the words of a found in ref.
func share(a, ref map[string]bool) float64 {
	if len(a) == 0 {
		return 0
	}
	n := 0
	for w := range a {
		if ref[w] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}
