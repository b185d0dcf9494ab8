package features

import (
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

func TestVerbKeys(t *testing.T) {
	for _, tc := range []struct {
		lang, stem string
		want       []string
	}{
		{"it", "pubblicat", []string{"pubblicar"}}, // pubblicato → pubblicare
		{"it", "vendut", []string{"vender"}},       // venduto → vendere
		{"it", "finit", []string{"finir"}},         // finito → finire
		{"it", "chied", []string{"chieder", "chiedar", "chiedir"}},
		{"it", "dat", nil},                       // too short to guess
		{"es", "anunciad", []string{"anunciar"}}, // anunciado → anunciar
		{"es", "conocid", []string{"conocer", "conocir"}},
		{"es", "afirm", []string{"afirmar", "afirmer", "afirmir"}}, // afirmó
		{"es", "comenzaron", []string{"comenzar"}},
		{"es", "dieron", []string{"dieronar", "dieroner", "dieronir"}}, // no stem left before "-ieron"
		{"pt", "anunciou", []string{"anunciar"}},
		{"pt", "registrad", []string{"registrar"}},
		{"fr", "annonc", nil}, // French stems its infinitives as their forms
	} {
		base, ends := verbKeys(tc.lang, tc.stem)
		var got []string
		for _, e := range ends {
			got = append(got, base+e)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("verbKeys(%s, %q) = %q, want %q", tc.lang, tc.stem, got, tc.want)
		}
	}
}

func TestVowelKeys(t *testing.T) {
	for _, tc := range []struct {
		lang, stem string
		want       []string
	}{
		{"it", "anni", []string{"anno", "anne", "anna"}}, // anni → anno
		{"it", "donne", []string{"donna", "donno"}},      // donne → donna
		{"it", "ora", nil},  // no plural ending
		{"it", "re", nil},   // too short
		{"es", "casi", nil}, // Italian only
	} {
		base, ends := vowelKeys(tc.lang, tc.stem)
		var got []string
		for _, e := range ends {
			got = append(got, base+e)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("vowelKeys(%s, %q) = %q, want %q", tc.lang, tc.stem, got, tc.want)
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
