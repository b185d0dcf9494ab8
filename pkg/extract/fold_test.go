package extract

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldReference is fold written plainly, a rune at a time through the
// normaliser; fold's fast paths must give the same.
func foldReference(s string) string {
	var b strings.Builder
	space := false
	var buf [16]byte
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case r == '?' || r == '!' || r == ':' || r == ';' || r == '»':
			space = false
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r < utf8.RuneSelf {
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		switch r {
		case '’', '‘', '‛', 'ʼ', '´', '`', '′':
			b.WriteByte('\'')
			continue
		case '“', '”', '„', '«', '»', '″':
			b.WriteByte('"')
			continue
		case '–', '—', '‒', '−':
			b.WriteByte('-')
			continue
		case '…':
			b.WriteString("...")
			continue
		case 'œ', 'Œ':
			b.WriteString("oe")
			continue
		case 'æ', 'Æ':
			b.WriteString("ae")
			continue
		}
		d := norm.NFD.AppendString(buf[:0], string(r))
		for _, c := range string(d) {
			if !unicode.Is(unicode.Mn, c) {
				b.WriteRune(unicode.ToLower(c))
			}
		}
	}
	return b.String()
}

// collapseReference is collapseSpace written plainly.
func collapseReference(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestFoldEveryRune checks fold and collapseSpace against their plain
// forms on every code point, alone and between words and spaces.
func TestFoldEveryRune(t *testing.T) {
	if testing.Short() {
		t.Skip("every code point skipped in -short mode")
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		for _, s := range []string{string(r), "Ab " + string(r) + "  Cd"} {
			if got, want := fold(s), foldReference(s); got != want {
				t.Fatalf("fold(%q) = %q, want %q", s, got, want)
			}
			if got, want := collapseSpace(s), collapseReference(s); got != want {
				t.Fatalf("collapseSpace(%q) = %q, want %q", s, got, want)
			}
		}
	}
}

// TestFoldRandom checks them on random strings of spaces, ASCII, accents,
// other scripts and invalid bytes.
func TestFoldRandom(t *testing.T) {
	pieces := []string{" ", "  ", "\t", "\n", "\u00a0", "\u2009", "a", "Z", "?", ":", "»", "«", "É", "é", "e\u0301",
		"Œ", "ß", "İ", "Ω", "Я", "한", "漢", "\xff", "\xe2\x80", "’", "…", "—", "\ufffd", "x"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := fold(s), foldReference(s); got != want {
			t.Fatalf("fold(%q) = %q, want %q", s, got, want)
		}
		if got, want := collapseSpace(s), collapseReference(s); got != want {
			t.Fatalf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestByteClass checks the byte table against the unicode functions it
// stands in for.
func TestByteClass(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		if c < 128 {
			if isASCIISpace(b) != unicode.IsSpace(rune(c)) {
				t.Errorf("space %d", c)
			}
			w := wordRuneAt(string([]byte{b}), 0) == 1
			if w != isWordRune(rune(c)) {
				t.Errorf("word %d", c)
			}
			plain := !unicode.IsSpace(rune(c)) && !(c >= 'A' && c <= 'Z') && c != '?' && c != '!' && c != ':' && c != ';'
			if foldsToItself(b) != plain {
				t.Errorf("plain %d", c)
			}
		} else if foldsToItself(b) || isASCIISpace(b) {
			t.Errorf("high %d", c)
		}
	}
}
