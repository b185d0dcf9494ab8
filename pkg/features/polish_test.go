package features

import (
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

func TestPolishStem(t *testing.T) {
	for _, tc := range []struct{ forms []string }{
		// A lemma and its inflected forms share a stem.
		{[]string{"prezydent", "prezydenta", "prezydentem", "prezydentowi", "prezydentów"}},
		{[]string{"zdrowie", "zdrowia", "zdrowiu"}},
		{[]string{"polski", "polska", "polskiego", "polskich", "polskiej"}},
		{[]string{"koronawirus", "koronawirusa", "koronawirusem"}},
		{[]string{"osoba", "osoby", "osób", "osobami"}},
		{[]string{"zostać", "został"}},
		{[]string{"wolność", "wolności"}},
		// Short words stay whole.
		{[]string{"rok"}},
	} {
		want := polishStem(tc.forms[0])
		for _, f := range tc.forms[1:] {
			if got := polishStem(f); got != want {
				t.Errorf("polishStem(%q) = %q, polishStem(%q) = %q", f, got, tc.forms[0], want)
			}
		}
		if len([]rune(want)) < polishMinStem {
			t.Errorf("polishStem(%q) = %q: shorter than %d letters", tc.forms[0], want, polishMinStem)
		}
	}
}

// TestPolishTerms checks that Polish inflected forms meet as one term.
func TestPolishTerms(t *testing.T) {
	// No headline weight: each occurrence counts 1.
	x, err := New(WithLexicon(nil), WithUntitledHead(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	s := x.Of(article.Article{Lang: "pl", Text: "Wizyta prezydenta. Prezydent jest w szpitalu, który jest pełen."})
	for _, tc := range []struct {
		key  string
		want float64
	}{
		{"term:pl:prezydent", 2},
		{"term:pl:szpital", 1},
		{"term:pl:szpitalu", 0},
	} {
		if got := s.Terms[tc.key]; got != tc.want {
			t.Errorf("%s = %.2f, want %.2f (terms %v)", tc.key, got, tc.want, s.Terms)
		}
	}
}
