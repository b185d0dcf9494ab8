package features

import "github.com/newsdedup/newsdedup/pkg/lexicon"

// Chinese is written without spaces, and bleve's CJK analyzer cuts a run of
// it into overlapping pairs of characters: a two-character word is one of
// them, and CC-CEDICT's two-character words gloss those terms directly. A
// word of three or four characters (特朗普, Trump; 参议院, Senate) is no
// single term; chineseWords finds those in the runs, longest first from
// left to right, and adds their glosses beside the pairs.

// hanWord is the key of a dictionary word written in Han: the word itself
// when it has two to four characters, all Han; "" otherwise.
func hanWord(word string) string {
	n := 0
	for _, r := range word {
		if !unspacedRune(r) {
			return ""
		}
		n++
	}
	if n < 2 || n > maxHanWord {
		return ""
	}
	return word
}

// maxHanWord is the longest word looked up in a run, in characters.
const maxHanWord = 4

// chineseWords adds the glosses of the words of three and four characters
// in the Han runs among toks, each with its run's weight.
func (x *Extractor) chineseWords(acc *sums, m *termMemo, table *lexicon.Table, toks []token, w func(int) float64) {
	var buf [4]string
	var starts [64]int
	for _, t := range toks {
		if !t.unspaced {
			continue
		}
		// Rune offsets, then one past the end.
		offs := starts[:0]
		for i := range t.raw {
			offs = append(offs, i)
		}
		n := len(offs)
		offs = append(offs, len(t.raw))
		wt := w(int(t.pos))
		for i := 0; i < n; {
			step := 1
			for l := min(maxHanWord, n-i); l >= 3; l-- {
				word := t.raw[offs[i]:offs[i+l]]
				if hanWord(word) == "" {
					continue
				}
				gs := table.Glosses(word, buf[:0])
				if len(gs) == 0 {
					continue
				}
				from := len(m.parts)
				m.parts = appendGlosses(m.parts, acc, gs, len(gs))
				x.addParts(acc, m.parts[from:], wt)
				m.parts = m.parts[:from]
				step = l
				break
			}
			i += step
		}
	}
}
