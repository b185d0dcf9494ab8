package features

import (
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// refStem is stem as first written: a new token and copy of the word per
// call.
func refStem(x *Extractor, lang, word string) string {
	if word == "" {
		return ""
	}
	if rs := []rune(word); lang == "zh" && unspacedRune(rs[0]) {
		for _, r := range rs {
			if !unspacedRune(r) {
				return ""
			}
		}
		if len(rs) < 2 || len(rs) > 4 {
			return ""
		}
		return word
	}
	for i, r := range word {
		if !isWordRune(r) || i == 0 && !plainWordStart(r) {
			return ""
		}
	}
	var stream analysis.TokenStream
	if filters, ok := x.filters[lang]; ok {
		stream = analysis.TokenStream{&analysis.Token{Term: []byte(word), Position: 1, Type: analysis.AlphaNumeric}}
		for _, f := range filters {
			stream = f.Filter(stream)
		}
	} else if an, ok := x.analyzers[lang]; ok {
		stream = an.Analyze([]byte(word))
	} else {
		stream = analysis.TokenStream{&analysis.Token{Term: []byte(word), Position: 1, Type: analysis.AlphaNumeric}}
		for _, f := range x.plainF {
			stream = f.Filter(stream)
		}
	}
	if len(stream) != 1 || utf8.RuneCount(stream[0].Term) < 2 || allDigits(stream[0].Term) {
		return ""
	}
	return string(stream[0].Term)
}

// TestStemMatchesReference compares stem, whose scratch is reused from
// call to call and goroutine to goroutine, with refStem in every language
// (and one without an analyzer) on the words of the reference texts, as
// written and in capitals.
func TestStemMatchesReference(t *testing.T) {
	x, err := New(WithLexicon(nil))
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]bool)
	words := []string{"", "a", "12", "1.500", "l'attacco", "東京", "北京市", "x y", "ﬁnance", "İSTANBUL", "ΣΊΣΥΦΟΣ", "Ⱥȿ"}
	for _, a := range referenceTexts(t) {
		for _, w := range strings.Fields(a.Title + " " + a.Text) {
			for _, v := range []string{w, strings.ToUpper(w)} {
				if !seen[v] && len(seen) < 20000 {
					seen[v] = true
					words = append(words, v)
				}
			}
		}
		for _, tk := range tokenize(a.Text) {
			if !seen[tk.raw] {
				seen[tk.raw] = true
				words = append(words, tk.raw)
			}
		}
	}
	langs := []string{"xx", "", "pl"}
	for l := range analyzerLangs {
		langs = append(langs, l)
	}
	var wg sync.WaitGroup
	for _, lang := range langs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, w := range words {
				if got, want := x.stem(lang, w), refStem(x, lang, w); got != want {
					t.Errorf("%s: stem(%q) = %q, want %q", lang, w, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkStem stems the words of the reference texts in German, as a
// lexicon's keys are made, against refStem.
func BenchmarkStem(b *testing.B) {
	x, err := New(WithLexicon(nil))
	if err != nil {
		b.Fatal(err)
	}
	var words []string
	for _, a := range referenceTexts(b)[:300] {
		words = append(words, strings.Fields(a.Text)...)
	}
	for _, tc := range []struct {
		name string
		stem func(lang, w string) string
	}{
		{"reused", x.stem},
		{"ref", func(lang, w string) string { return refStem(x, lang, w) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				tc.stem("de", words[i%len(words)])
				i++
			}
		})
	}
}
