package features

import (
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

func TestItalianVerbKeys(t *testing.T) {
	for _, tc := range []struct {
		stem string
		want []string
	}{
		{"pubblicat", []string{"pubblicar"}}, // pubblicato → pubblicare
		{"vendut", []string{"vender"}},       // venduto → vendere
		{"finit", []string{"finir"}},         // finito → finire
		{"chied", []string{"chieder", "chiedar", "chiedir"}},
		{"dat", nil}, // too short to guess
	} {
		base, ends := italianVerbKeys(tc.stem)
		var got []string
		for _, e := range ends {
			got = append(got, base+e)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("italianVerbKeys(%q) = %q, want %q", tc.stem, got, tc.want)
		}
	}
}

// TestGlossFallbacks checks the glosses of words whose form is not their
// headword's: Italian participles and present tenses, Polish cases.
func TestGlossFallbacks(t *testing.T) {
	dir := t.TempDir()
	writeDict(t, dir, "freedict-ita-eng", [][2]string{
		{"pubblicare", "publish"},
		{"chiedere", "ask"},
	})
	writeDict(t, dir, "freedict-pol-eng", [][2]string{
		{"prezydent", "president"},
		{"zdrowie", "health"},
	})
	lex, err := NewLexicon(dir)
	if err != nil {
		t.Fatal(err)
	}
	x, err := New(WithLexicon(lex))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"it", "pubblicato", "gl:publish"},
		{"it", "pubblicati", "gl:publish"},
		{"it", "chiede", "gl:ask"},
		{"pl", "prezydenta", "gl:presid"},
		{"pl", "prezydentem", "gl:presid"},
		{"pl", "zdrowia", "gl:health"},
	} {
		s := x.Of(article.Article{Lang: tc.lang, Text: tc.text})
		if s.Terms[tc.want] <= 0 {
			t.Errorf("%s %q: missing %s; have %v", tc.lang, tc.text, tc.want, s.Terms)
		}
	}
}
