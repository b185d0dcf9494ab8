package langid

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDetect(t *testing.T) {
	d, err := New(Config{Languages: []string{"it", "fr", "en", "de", "es"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text, want string
	}{
		{"Il governo ha approvato ieri sera la nuova legge sul bilancio dopo un lungo dibattito in aula.", "it"},
		{"Le gouvernement a présenté mercredi un projet de loi sur le logement, critiqué par l'opposition.", "fr"},
		{"The city council voted on Tuesday to extend the tram line to the northern suburbs by 2028.", "en"},
		{"Die Regierung hat am Montag ein neues Gesetz zur Energieversorgung im Bundestag vorgestellt.", "de"},
		{"El ayuntamiento anunció el lunes un plan para renovar las escuelas públicas de la ciudad.", "es"},
	}
	for _, tt := range tests {
		got, err := d.Detect(tt.text)
		if err != nil {
			t.Fatalf("Detect(%q): %v", tt.text, err)
		}
		if got.Lang != tt.want || got.Confidence <= 0 || got.Confidence > 1 {
			t.Errorf("Detect(%q) = %+v, want %s", tt.text[:20], got, tt.want)
		}
	}
	if _, err := d.Detect("12345 6789"); !errors.Is(err, ErrUndetermined) {
		t.Errorf("digits only: err = %v, want ErrUndetermined", err)
	}
}

func TestNewRejectsUnknown(t *testing.T) {
	for _, langs := range [][]string{{"it", "xx"}, {"it"}} {
		if _, err := New(Config{Languages: langs}); !errors.Is(err, ErrUnknownLanguage) {
			t.Errorf("New(%v) err = %v, want ErrUnknownLanguage", langs, err)
		}
	}
}

// TestSeeds checks the four real seed articles: it, it, fr, fr.
func TestSeeds(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "seeds")
	want := map[string]string{
		"000_feeb32920d61011b.txt": "it", "001_cad6152f2204bcdc.txt": "it",
		"002_77b75f6eab907cbb.txt": "fr", "003_5cc34ed61234f2d0.txt": "fr",
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("seeds not found at %s (../shared beside the checkout): %v", dir, err)
	}
	d, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for name, lang := range want {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.Detect(string(b))
		if err != nil || got.Lang != lang {
			t.Errorf("%s: got %+v, %v; want %s", name, got, err, lang)
		}
	}
}

func TestClip(t *testing.T) {
	s := "àààà bbbb"
	for n := 0; n <= len(s)+1; n++ {
		got := clip(s, n)
		if len(got) > n && len(s) > n {
			t.Errorf("clip(%d) = %q too long", n, got)
		}
	}
}
