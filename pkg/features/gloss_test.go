package features

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/lexicon"
)

// writeDict writes a small dictd database as the FreeDict packages lay
// them out: articles of a headword line and a body, gzip-compressed.
func writeDict(t *testing.T, dir, name string, articles [][2]string) {
	t.Helper()
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	enc := func(n int) string {
		out := []byte{b64[n&63]}
		for n >>= 6; n > 0; n >>= 6 {
			out = append([]byte{b64[n&63]}, out...)
		}
		return string(out)
	}
	var dict bytes.Buffer
	var index strings.Builder
	for _, a := range articles {
		text := a[0] + "\n" + a[1] + "\n"
		fmt.Fprintf(&index, "%s\t%s\t%s\n", a[0], enc(dict.Len()), enc(len(text)))
		dict.WriteString(text)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(dict.Bytes())
	zw.Close()
	for ext, data := range map[string][]byte{".index": []byte(index.String()), ".dict.dz": gz.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name+ext), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGlosses(t *testing.T) {
	dir := t.TempDir()
	writeDict(t, dir, "freedict-ita-eng", [][2]string{
		{"ministero", "ministry"},
		{"attacco", "attack"},
		{"interno", "1. interior\n2. internal"},
	})
	writeDict(t, dir, "freedict-fra-eng", [][2]string{
		{"ministère", "ministry"},
		{"attaque", "attack"},
	})
	lex, err := NewLexicon(dir)
	if err != nil {
		t.Fatal(err)
	}
	withLex, err := New(WithLexicon(lex))
	if err != nil {
		t.Fatal(err)
	}
	none, err := New(WithLexicon(nil))
	if err != nil {
		t.Fatal(err)
	}
	it := article.Article{Lang: "it", Text: "L'attacco al ministero dell'Interno e la polizia."}
	fr := article.Article{Lang: "fr", Text: "L'attaque contre le ministère de l'Intérieur."}
	en := article.Article{Lang: "en", Text: "The attack on the Interior ministry."}
	for _, tc := range []struct {
		name   string
		x      *Extractor
		a      article.Article
		want   []string
		absent []string
	}{
		// A glossed word is keyed by its gloss instead of its term; one
		// the dictionary lacks keeps its term.
		{"italian words gloss in english", withLex, it, []string{"gl:ministri", "gl:attack", "gl:interior", "term:it:poliz"}, []string{"gl:intern", "term:it:minister"}},
		{"french words too", withLex, fr, []string{"gl:ministri", "gl:attack"}, []string{"term:fr:minist"}},
		{"english words gloss as themselves", withLex, en, []string{"gl:ministri", "gl:attack", "gl:interior"}, []string{"term:en:ministri"}},
		{"no lexicon, no glosses", none, it, []string{"term:it:minister"}, []string{"gl:ministri"}},
		{"no lexicon, english has none either", none, en, []string{"term:en:ministri"}, []string{"gl:ministri"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.x.Of(tc.a)
			for _, k := range tc.want {
				if s.Terms[k] <= 0 {
					t.Errorf("missing %s; have %v", k, s.Terms)
				}
			}
			for _, k := range tc.absent {
				if _, ok := s.Terms[k]; ok {
					t.Errorf("unexpected %s", k)
				}
			}
		})
	}
	// The weights can keep part of a glossed word as a term.
	// (Untitled one-word texts: no headline weight, so that a word counts 1.)
	both, err := New(WithLexicon(lex), WithGlossWeights(0.5, 0.7), WithUntitledHead(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := New(WithLexicon(nil), WithUntitledHead(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	s := both.Of(article.Article{Lang: "it", Text: "ministero"})
	if s.Terms["term:it:minister"] != 0.5 || s.Terms["gl:ministri"] != 0.7 {
		t.Errorf("weights: term %.2f, gloss %.2f", s.Terms["term:it:minister"], s.Terms["gl:ministri"])
	}
	if s := plain.Of(article.Article{Lang: "it", Text: "ministero"}); s.Terms["term:it:minister"] != 1 {
		t.Errorf("without a lexicon the term weighs %.2f", s.Terms["term:it:minister"])
	}
}

// TestGlossesInstalled checks the dictionaries 'make deps' installs: an
// Italian, a French and an English article about a ministry meet on its
// gloss.
func TestGlossesInstalled(t *testing.T) {
	x := installedExtractor(t)
	for _, a := range []article.Article{
		{Lang: "it", Text: "Il ministero ha confermato l'attacco."},
		{Lang: "fr", Text: "Le ministère a confirmé l'attaque."},
		{Lang: "en", Text: "The ministry confirmed the attack."},
	} {
		s := x.Of(a)
		for _, k := range []string{"gl:ministri", "gl:attack"} {
			if s.Terms[k] <= 0 {
				t.Errorf("%s: missing %s", a.Lang, k)
			}
		}
	}
}

// installedExtractor is an extractor reading the dictionaries 'make deps'
// installs; the test skips when there are none.
func installedExtractor(t *testing.T) *Extractor {
	t.Helper()
	lex, err := NewLexicon(lexicon.DefaultDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(lex.Languages()) == 0 {
		t.Skipf("no FreeDict dictionary in %s; 'make deps' installs them", lexicon.DefaultDir)
	}
	x, err := New(WithLexicon(lex))
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestChineseGlosses checks that a Chinese article's words of two
// characters (terms) and of three (found in the run) take their CC-CEDICT
// translations and meet an English article's words.
func TestChineseGlosses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cedict.json")
	js := `[{"traditional":"彈劾","simplified":"弹劾","english":["to impeach"]},
{"traditional":"煙花","simplified":"烟花","english":["fireworks"]},
{"traditional":"特朗普","simplified":"特朗普","english":["Trump (name)"]}]`
	if err := os.WriteFile(path, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	x0, err := New(WithLexicon(nil))
	if err != nil {
		t.Fatal(err)
	}
	lex := x0.openLexicon(dir, path, slog.Default())
	x, err := New(WithLexicon(lex))
	if err != nil {
		t.Fatal(err)
	}
	zh := x.Of(article.Article{Lang: "zh", Text: "特朗普弹劾审判，烟花"})
	en := x.Of(article.Article{Lang: "en", Text: "Trump's impeachment trial, fireworks."})
	// 特朗普 is three characters, no single term: found in the run.
	for _, k := range []string{"gl:impeach", "gl:firework", "gl:trump"} {
		if zh.Terms[k] <= 0 || en.Terms[k] <= 0 {
			t.Errorf("%s: zh %.2f, en %.2f; zh has %v", k, zh.Terms[k], en.Terms[k], zh.Terms)
		}
	}
	// A glossed pair is keyed by its gloss alone; the others stay terms.
	if _, ok := zh.Terms["term:zh:弹劾"]; ok {
		t.Errorf("弹劾 kept as a term: %v", zh.Terms)
	}
	if zh.Terms["term:zh:审判"] <= 0 {
		t.Errorf("审判 lost: %v", zh.Terms)
	}
}
