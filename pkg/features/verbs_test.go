package features

import (
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// TestFormKeys checks the other keys a missed stem is looked up under:
// verbs' infinitives (verbKeys) and Italian plurals' singulars (vowelKeys).
func TestFormKeys(t *testing.T) {
	verb, vowel := verbKeys, vowelKeys
	for _, tc := range []struct {
		keys       func(lang, stem string) (string, []string)
		lang, stem string
		want       []string
	}{
		{verb, "it", "pubblicat", []string{"pubblicar"}}, // pubblicato → pubblicare
		{verb, "it", "vendut", []string{"vender"}},       // venduto → vendere
		{verb, "it", "finit", []string{"finir"}},         // finito → finire
		{verb, "it", "chied", []string{"chieder", "chiedar", "chiedir"}},
		{verb, "it", "dat", nil},                       // too short to guess
		{verb, "es", "anunciad", []string{"anunciar"}}, // anunciado → anunciar
		{verb, "es", "conocid", []string{"conocer", "conocir"}},
		{verb, "es", "afirm", []string{"afirmar", "afirmer", "afirmir"}}, // afirmó
		{verb, "es", "comenzaron", []string{"comenzar"}},
		{verb, "es", "dieron", []string{"dieronar", "dieroner", "dieronir"}}, // no stem left before "-ieron"
		{verb, "pt", "anunciou", []string{"anunciar"}},
		{verb, "pt", "registrad", []string{"registrar"}},
		{verb, "fr", "annonc", nil},                             // French stems its infinitives as their forms
		{vowel, "it", "anni", []string{"anno", "anne", "anna"}}, // anni → anno
		{vowel, "it", "donne", []string{"donna", "donno"}},      // donne → donna
		{vowel, "it", "ora", nil},                               // no plural ending
		{vowel, "it", "re", nil},                                // too short
		{vowel, "es", "casi", nil},                              // Italian only
	} {
		base, ends := tc.keys(tc.lang, tc.stem)
		var got []string
		for _, e := range ends {
			got = append(got, base+e)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("keys(%s, %q) = %q, want %q", tc.lang, tc.stem, got, tc.want)
		}
	}
}

// TestGlossFallbacks checks the glosses of words whose form is not their
// headword's: Italian, Spanish and Portuguese participles and present and
// past tenses, Italian plurals, Polish cases.
func TestGlossFallbacks(t *testing.T) {
	dir := t.TempDir()
	writeDict(t, dir, "freedict-ita-eng", [][2]string{
		{"pubblicare", "publish"},
		{"chiedere", "ask"},
		{"anno", "year"},
		{"donna", "woman"},
	})
	writeDict(t, dir, "freedict-spa-eng", [][2]string{
		{"anunciar", "announce"},
		{"afirmar", "affirm"},
	})
	writeDict(t, dir, "freedict-por-eng", [][2]string{
		{"anunciar", "announce"},
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
		{"it", "anni", "gl:year"},
		{"it", "donne", "gl:woman"},
		{"es", "anunciado", "gl:announc"},
		{"es", "anunciaron", "gl:announc"},
		{"es", "afirmó", "gl:affirm"},
		{"pt", "anunciou", "gl:announc"},
		{"pt", "anunciado", "gl:announc"},
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
