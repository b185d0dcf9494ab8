package extract

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestDecompositionIsNFD checks, for every rune with a decomposition in the
// normaliser's table, that the table's decomposition is the rune's NFD, as
// foldRune takes it.
func TestDecompositionIsNFD(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		var enc [utf8.UTFMax]byte
		k := utf8.EncodeRune(enc[:], r)
		d := norm.NFD.Properties(enc[:k]).Decomposition()
		if d == nil {
			continue
		}
		n++
		if want := norm.NFD.Append(nil, enc[:k]...); !bytes.Equal(d, want) {
			t.Errorf("%U: decomposition %q, NFD %q", r, d, want)
		}
	}
	if n < 2000 {
		t.Errorf("only %d runes with a decomposition", n)
	}
}

// TestFoldRuneMatchesNFD compares foldRune on every non-ASCII rune with
// the straightforward fold: NFD through the normaliser, marks dropped, lower case.
func TestFoldRuneMatchesNFD(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		var got, want strings.Builder
		foldRune(&got, r)
		foldRune(&want, r) // the special cases, then the reference below
		if !specialFoldRune(r) {
			want.Reset()
			for _, c := range norm.NFD.String(string(r)) {
				if !unicode.Is(unicode.Mn, c) {
					want.WriteRune(unicode.ToLower(c))
				}
			}
		}
		if got.String() != want.String() {
			t.Fatalf("foldRune(%U) = %q, want %q", r, got.String(), want.String())
		}
	}
}

// specialFoldRune tells the runes foldRune maps by its own table.
func specialFoldRune(r rune) bool {
	return strings.ContainsRune("’‘‛ʼ´`′“”„«»″–—‒−…œŒæÆ", r)
}

func TestFieldsOver(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b c d e f", "a b c d e f g", " a\tb\nc\u00a0d  e f g h ", "été à Paris , ok ! x y"} {
		for n := range 9 {
			if got, want := fieldsOver(s, n), len(strings.Fields(s)) > n; got != want {
				t.Errorf("fieldsOver(%q, %d) = %v, want %v", s, n, got, want)
			}
		}
	}
}
