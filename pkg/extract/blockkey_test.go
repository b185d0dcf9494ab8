package extract

import (
	"errors"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/newsdedup/newsdedup/pkg/evalmetrics"
)

// refBlockKey is blockKey as it was: a digit-mapped copy of the folded
// text, hashed by hash/fnv and formatted by Sprintf.
func refBlockKey(p string, maxRunes int) string {
	if len([]rune(p)) > maxRunes || strings.IndexFunc(p, isWordRune) < 0 {
		return ""
	}
	f := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return '0'
		}
		return r
	}, fold(p))
	h := fnv.New64a()
	h.Write([]byte(f))
	return fmt.Sprintf("%016x", h.Sum64())
}

func blockKeyCases() []string {
	return []string{
		"", "***", "© 2024 Courier", "© 2031 courier", "Città di Roma, 12 dicembre", "٣ تعليقات", "१२ टिप्पणियाँ",
		"bad \xff\xfe bytes 7", "\uFFFD replacement 9", "Ｆｕｌｌｗｉｄｔｈ １２３", "Straße — «Œuvre» … 3½",
		"한국어 문단 2025", "中文段落 2025年", strings.Repeat("a", 399) + "é",
	}
}

// TestBlockKeyMatchesReference compares blockKey with the old code on
// made-up paragraphs and on every paragraph of the shared eval texts.
func TestBlockKeyMatchesReference(t *testing.T) {
	check := func(p string) {
		t.Helper()
		for _, max := range []int{400, 5} {
			if got, want := blockKey(p, max), refBlockKey(p, max); got != want {
				t.Fatalf("blockKey(%q, %d) = %q, reference %q", p, max, got, want)
			}
		}
	}
	for _, p := range blockKeyCases() {
		check(p)
	}
	as, err := evalmetrics.ReadArticlesDir(filepath.Join("..", "..", "..", "shared", "eval"))
	if err != nil && !errors.Is(err, evalmetrics.ErrNoSets) {
		t.Fatal(err)
	}
	n := 0
	for _, a := range as {
		for _, p := range strings.Split(a.Text, "\n\n") {
			check(p)
			n++
		}
	}
	t.Logf("%d eval paragraphs compared", n)
}

func FuzzBlockKey(f *testing.F) {
	for _, p := range blockKeyCases() {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if got, want := blockKey(p, 400), refBlockKey(p, 400); got != want {
			t.Fatalf("blockKey(%q) = %q, reference %q", p, got, want)
		}
	})
}

func BenchmarkBlockKey(b *testing.B) {
	p := "Riproduzione riservata © 2025 Gruppo Editoriale – Tutti i diritti riservati. P.IVA 01234567890"
	for _, tc := range []struct {
		name string
		key  func(string, int) string
	}{{"new", blockKey}, {"old", refBlockKey}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tc.key(p, 400)
			}
		})
	}
}
