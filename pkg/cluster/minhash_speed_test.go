package cluster

import (
	"errors"
	"hash/fnv"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/newsdedup/newsdedup/pkg/evalmetrics"
	"github.com/newsdedup/newsdedup/pkg/features"
)

// refMinhash is minhash as first written: strings.FieldsFunc over the
// joined fields, a folded string per word, hash/fnv per shingle. minhash
// must give the same signatures: they are kept in snapshots.
func refMinhash(title, text string) (sig signature, ok bool) {
	words := strings.FieldsFunc(title+"\n"+text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return sig, false
	}
	for i := range words {
		words[i] = features.Fold(words[i])
	}
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	n := max(len(words)-shingleN+1, 1)
	h := fnv.New64a()
	for i := 0; i < n; i++ {
		h.Reset()
		for k := i; k < i+shingleN && k < len(words); k++ {
			h.Write([]byte(words[k]))
			h.Write([]byte{0})
		}
		x := h.Sum64()
		for j := range sig {
			if v := uint32(splitmix(x^hashSeeds[j]) >> 32); v < sig[j] {
				sig[j] = v
			}
		}
	}
	return sig, true
}

// minhashTexts are the eval sets' texts (when present) and made-up ones:
// short and empty fields, every ASCII byte, accents, marks, scripts
// without case, ligatures, digits and invalid UTF-8.
func minhashTexts(t testing.TB) [][2]string {
	out := [][2]string{
		{"", ""}, {"", "."}, {"!!", "--"}, {"one", ""}, {"", "one"}, {"a b", "c d"}, {"a b c d", "e"},
		{"Straße ÆRØ", "Nuñez à l'Intérieur, 1.500 €"}, {"\xff\xfe", "a\xffb\xc3"}, {"e\u0301te\u0301", "ǅemal Ǆ ﬁnance"},
		{"北京市 東京", "Москва İstanbul ı i"}, {"١٢٣ क्षेत्र", "مرحبا Ελλάδα ΣΊΣΥΦΟΣ"}, {"x\u0301", "\u0301\u0301 y"},
	}
	var ascii strings.Builder
	for c := range 128 {
		ascii.WriteByte(byte(c))
		ascii.WriteString("w ")
	}
	out = append(out, [2]string{"", ascii.String()}, [2]string{ascii.String(), ascii.String()})
	words := []string{"Ministère", "ministero", "1.500", "the", "ŁÓDŹ", "\xe9", "naïve", "ǅ", "—", "\n", "x2", "ÉTÉ", "東京"}
	r := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		out = append(out, [2]string{words[r.IntN(len(words))], b.String()})
	}
	out = append(out, [2]string{"", ""})
	as, err := evalmetrics.ReadArticlesDir(filepath.Join("..", "..", "..", "shared", "eval"))
	switch {
	case errors.Is(err, evalmetrics.ErrNoSets):
		t.Logf("eval sets not found: made-up texts only")
	case err != nil:
		t.Fatal(err)
	}
	for _, a := range as {
		out = append(out, [2]string{a.Title, a.Text})
	}
	return out
}

func TestMinhashMatchesReference(t *testing.T) {
	for _, tc := range minhashTexts(t) {
		got, gotOK := minhash(tc[0], tc[1])
		want, wantOK := refMinhash(tc[0], tc[1])
		if got != want || gotOK != wantOK {
			t.Fatalf("minhash(%.40q, %.60q) = %v, %v; want %v, %v", tc[0], tc[1], got[:4], gotOK, want[:4], wantOK)
		}
	}
}

// TestWordRuneAtASCII checks wordRuneAt's ASCII shortcut against the
// Unicode tables it stands for.
func TestWordRuneAtASCII(t *testing.T) {
	for c := range 128 {
		want := unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
		if size, got := wordRuneAt(string(rune(c)), 0); got != want || size != 1 {
			t.Errorf("wordRuneAt(%q) = %d, %v; want 1, %v", rune(c), size, got, want)
		}
	}
}

func BenchmarkMinhash(b *testing.B) {
	texts := minhashTexts(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		minhash(texts[i%len(texts)][0], texts[i%len(texts)][1])
		i++
	}
}

// BenchmarkRefMinhash is BenchmarkMinhash of the code minhash replaced.
func BenchmarkRefMinhash(b *testing.B) {
	texts := minhashTexts(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		refMinhash(texts[i%len(texts)][0], texts[i%len(texts)][1])
		i++
	}
}
