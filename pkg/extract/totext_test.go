package extract

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// notTextReference is notText written plainly, a rune at a time; the
// eight-byte fast path must count the same.
func notTextReference(s string) (bad, n int) {
	for i := 0; i < len(s) && n < 1<<16; n++ {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (r < 0x20 && !strings.ContainsRune("\t\n\r\f", r)) || r == 0x7f {
			bad++
		}
		i += size
	}
	return bad, n
}

// TestNotTextRandom checks notText against its plain form on random mixes
// of printable ASCII, controls, multi-byte and invalid UTF-8, and around
// the 64k-character limit.
func TestNotTextRandom(t *testing.T) {
	pieces := []string{"a", "abcdefgh", " ", "\t", "\n", "\x01", "\x1f", "\x7f", "\x7e", "\x20", "é", "\xff", "\xe2\x80", "漢", "\x00", "\r", "\f", "\v"}
	rng := rand.New(rand.NewPCG(5, 6))
	for k := range 300_000 {
		var b strings.Builder
		m := rng.IntN(40)
		if k%1000 == 0 {
			m = 20000
		}
		for range m {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		b1, n1 := notText(s)
		b2, n2 := notTextReference(s)
		if b1 != b2 || n1 != n2 {
			t.Fatalf("%q: %d %d want %d %d", s, b1, n1, b2, n2)
		}
	}
	big := strings.Repeat("abcdefg\n", 20000) + "\x01"
	b1, n1 := notText(big)
	b2, n2 := notTextReference(big)
	if b1 != b2 || n1 != n2 {
		t.Fatalf("big: %d %d want %d %d", b1, n1, b2, n2)
	}
	for off := range 16 {
		big := strings.Repeat("x", 1<<16-off) + "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		b1, n1 := notText(big)
		b2, n2 := notTextReference(big)
		if b1 != b2 || n1 != n2 {
			t.Fatalf("edge %d: %d %d want %d %d", off, b1, n1, b2, n2)
		}
	}
}
