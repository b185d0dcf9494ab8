package lexicon

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// An article of a FreeDict database looks like
//
//	Ministerium /mɪnɪsˈteːriʊm/ <neut, n, sg>
//	 [pol.] ministry <n>
//	 see: {Ministerien}, {Wissenschaftsministerium}
//
// or, with several senses,
//
//	Athènes /atɛn/ <n>
//	1. Athena, Athene
//	2. Athens
//
// readDB hands over the body, below the headword line.

// parser reads article bodies with buffers reused from one article to the
// next: a German database has half a million articles.
type parser struct {
	clean []byte // a sense without its notes
	alts  [][]byte
	ws    [][]byte
}

// senses calls fn with each translation line of a body: the first line, or
// the numbered ones ("1. …") when the senses are numbered. Indented lines
// are notes, synonyms and examples; a line after a sense that is not
// numbered is a definition in the source language (pol-eng writes one under
// each sense), so it is skipped too.
func senses(body []byte, fn func(sense []byte)) {
	first := true
	for len(body) > 0 {
		ln := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			ln, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		s := bytes.TrimLeft(ln, " \t")
		indent := len(ln) - len(s)
		s = bytes.TrimSpace(s)
		if len(s) == 0 {
			continue
		}
		if indent >= 2 || bytes.HasPrefix(s, []byte("see:")) || bytes.HasPrefix(s, []byte("Synonym")) {
			continue
		}
		rest, numbered := cutNumber(s)
		switch {
		case numbered:
			if rest = trimTrailingNumber(rest); len(rest) > 0 {
				fn(rest)
			}
		case first:
			fn(trimTrailingNumber(s))
		}
		first = false
	}
}

// cutNumber removes a leading sense number: "2. Athens" → "Athens".
func cutNumber(s []byte) ([]byte, bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i >= len(s) || s[i] != '.' || i+1 < len(s) && s[i+1] != ' ' {
		return s, false
	}
	return bytes.TrimSpace(s[i+1:]), true
}

// trimTrailingNumber removes the next sense's number that some articles
// run onto the first line: "Hamlet 2." → "Hamlet".
func trimTrailingNumber(s []byte) []byte {
	sp := bytes.LastIndexByte(s, ' ')
	if sp < 0 || len(s) < sp+3 || s[len(s)-1] != '.' {
		return s
	}
	for _, c := range s[sp+1 : len(s)-1] {
		if c < '0' || c > '9' {
			return s
		}
	}
	return bytes.TrimSpace(s[:sp])
}

// alternatives splits a sense into its comma- or semicolon-separated
// translations, without the bracketed notes ("[pol.]", "<n>", "(tıb.)",
// "{see}") and pronunciations ("/…/"). The result is valid until the next
// call.
func (p *parser) alternatives(s []byte) [][]byte {
	p.clean = p.clean[:0]
	depth := 0
	slash := false
	for _, c := range s {
		switch c {
		case '(', '[', '{', '<':
			depth++
			continue
		case ')', ']', '}', '>':
			if depth > 0 {
				depth--
			}
			p.clean = append(p.clean, ' ')
			continue
		case '/':
			slash = !slash
			continue
		}
		if depth == 0 && !slash {
			p.clean = append(p.clean, c)
		}
	}
	p.alts = p.alts[:0]
	rest := p.clean
	for len(rest) > 0 {
		i := bytes.IndexAny(rest, ",;")
		alt := rest
		if i >= 0 {
			alt, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if alt = bytes.TrimSpace(alt); len(alt) > 0 {
			p.alts = append(p.alts, alt)
		}
	}
	return p.alts
}

// words splits a translation into its words (letters and marks, with
// apostrophes inside); a word with a digit is dropped. spaced counts the
// space-separated fields, so that "eel-trap" is two words but one field.
// The result is valid until the next call.
func (p *parser) words(s []byte) (ws [][]byte, spaced int) {
	p.ws = p.ws[:0]
	start := -1
	inField := false
	digit := false
	for i := 0; i <= len(s); {
		r, size := rune(' '), 1
		if i < len(s) {
			r, size = rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRune(s[i:])
			}
		}
		in := unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.IsDigit(r) || r == '\'' && start >= 0
		if in && start < 0 {
			start, digit = i, false
		}
		if in && unicode.IsDigit(r) {
			digit = true
		}
		if !in && start >= 0 {
			if w := bytes.TrimRight(s[start:i], "'"); len(w) > 0 && !digit {
				p.ws = append(p.ws, w)
			}
			start = -1
		}
		sp := r == ' ' || r == '\t'
		if !sp && !inField {
			spaced++
		}
		inField = !sp
		i += size
	}
	return p.ws, spaced
}

// glosses appends the glosses of an article to out, at most max: those
// of its one-word translations in the article's order ("to go" is one word
// once its stop word is dropped); an article with none gives those of the
// words of its first phrase ("ministry of education" → ministry,
// education). other glosses one word of the other side.
func (p *parser) glosses(body []byte, other func(w []byte, out []int32) []int32, max int, out []int32) []int32 {
	out = out[:0]
	var phrase, gs []int32
	senses(body, func(s []byte) {
		for _, alt := range p.alternatives(s) {
			ws, _ := p.words(alt)
			gs = gs[:0]
			n := 0
			for _, w := range ws {
				k := len(gs)
				if gs = other(w, gs); len(gs) > k {
					n++
				}
			}
			switch {
			case n == 1:
				for _, id := range gs {
					out = appendNew(out, id)
				}
			case n > 1 && phrase == nil:
				phrase = append([]int32(nil), gs...)
			}
		}
	})
	if len(out) == 0 {
		for _, id := range phrase {
			out = appendNew(out, id)
		}
	}
	if len(out) > max {
		out = out[:max]
	}
	return out
}

// oneWordTranslations calls fn with each one-word translation of an
// English→X article, as written.
func (p *parser) oneWordTranslations(body []byte, fn func(w []byte)) {
	senses(body, func(s []byte) {
		for _, alt := range p.alternatives(s) {
			if ws, fields := p.words(alt); len(ws) == 1 && fields == 1 {
				fn(ws[0])
			}
		}
	})
}

func appendNew(list []int32, x int32) []int32 {
	for _, y := range list {
		if y == x {
			return list
		}
	}
	return append(list, x)
}

// glosser turns English words into gloss ids through the caller's
// normaliser, once per distinct word.
type glosser struct {
	gloss func(string) string
	ids   map[string]int32 // English word as written → gloss id, -1 when dropped
	b     *builder
}

func newGlosser(gloss func(string) string, b *builder) *glosser {
	return &glosser{gloss: gloss, ids: make(map[string]int32), b: b}
}

func (g *glosser) id(w []byte) int32 {
	if id, ok := g.ids[string(w)]; ok {
		return id
	}
	id := int32(-1)
	if s := g.gloss(string(w)); s != "" {
		id = int32(g.b.word(s))
	}
	g.ids[string(w)] = id
	return id
}
