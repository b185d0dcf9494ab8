package langid

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// allDetector is shared by the tests: building the every-language indexes
// takes a second or two.
var allDetector = sync.OnceValues(func() (*Detector, error) {
	return New(Config{Languages: []string{All}})
})

func mustAll(t testing.TB) *Detector {
	t.Helper()
	d, err := allDetector()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

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
}

// TestDetectAllLanguages checks one sentence per language, over every
// script, with all 75 languages as candidates.
func TestDetectAllLanguages(t *testing.T) {
	d := mustAll(t)
	for _, s := range sentences {
		got, err := d.Detect(s.text)
		if err != nil || got.Lang != s.lang || got.Confidence <= 0 || got.Confidence > 1 {
			t.Errorf("%s: got %+v, %v", s.lang, got, err)
		}
	}
}

func TestDetectUndetermined(t *testing.T) {
	d := mustAll(t)
	for _, text := range []string{"", "12345 6789", " .,;!? 2024-01-01 ", "—"} {
		if got, err := d.Detect(text); !errors.Is(err, ErrUndetermined) {
			t.Errorf("Detect(%q) = %+v, %v; want ErrUndetermined", text, got, err)
		}
	}
}

// TestScriptDecides covers the answers given by the script alone and the
// Chinese/Japanese rule: kanji without kana is Chinese.
func TestScriptDecides(t *testing.T) {
	d := mustAll(t)
	tests := []struct{ text, want string }{
		{"Αθήνα", "el"},
		{"שלום", "he"},
		{"서울", "ko"},
		{"北京市政府", "zh"},
		{"東京都の天気", "ja"},
		{"ひらがなだけ", "ja"},
	}
	for _, tt := range tests {
		got, err := d.Detect(tt.text)
		if err != nil || got.Lang != tt.want {
			t.Errorf("Detect(%q) = %+v, %v; want %s", tt.text, got, err, tt.want)
		}
	}
}

// TestCapitalsAndTitle: a shouted dateline or a title in another language
// must not outvote the body, yet a text in capitals alone is still read.
func TestCapitalsAndTitle(t *testing.T) {
	d := mustAll(t)
	body := strings.Repeat("Il consiglio comunale ha approvato ieri sera il nuovo piano per il traffico del centro storico. ", 6)
	tests := []struct{ name, text, want string }{
		{"dateline", "MÜNCHEN, DEUTSCHLAND - DIENSTAG (DPA FOTO AGENTUR) " + body, "it"},
		{"title", "Neuer Verkehrsplan für die Münchner Altstadt beschlossen\n" + body, "it"},
		{"capitals only", "IL CONSIGLIO COMUNALE HA APPROVATO IERI SERA IL NUOVO PIANO PER IL TRAFFICO", "it"},
	}
	for _, tt := range tests {
		got, err := d.Detect(tt.text)
		if err != nil || got.Lang != tt.want {
			t.Errorf("%s: got %+v, %v; want %s", tt.name, got, err, tt.want)
		}
	}
}

func TestNewRejectsUnknown(t *testing.T) {
	for _, langs := range [][]string{{"it", "xx"}, {"it"}, {"it", "it"}} {
		if _, err := New(Config{Languages: langs}); !errors.Is(err, ErrUnknownLanguage) {
			t.Errorf("New(%v) err = %v, want ErrUnknownLanguage", langs, err)
		}
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		in   []string
		want int
	}{
		{nil, len(DefaultLanguages)},
		{[]string{"ALL"}, 75},
		{[]string{" It ", "FR"}, 2},
	}
	for _, tt := range tests {
		got, err := resolve(tt.in)
		if err != nil || len(got) != tt.want {
			t.Errorf("resolve(%v) = %d codes, %v; want %d", tt.in, len(got), err, tt.want)
		}
	}
}

// TestConcurrent runs Detect from several goroutines (meaningful under -race).
func TestConcurrent(t *testing.T) {
	d, err := New(Config{Languages: []string{"it", "fr", "en", "ru", "uk"}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				s := sentences[(w+i)%len(sentences)]
				got, err := d.Detect(s.text)
				switch s.lang {
				case "it", "fr", "en", "ru", "uk":
					if err != nil || got.Lang != s.lang {
						t.Errorf("%s: got %+v, %v", s.lang, got, err)
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestSeeds checks the four real seed articles (it, it, fr, fr) with the
// default languages and with all of them.
func TestSeeds(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "seeds")
	want := map[string]string{
		"000_feeb32920d61011b.txt": "it", "001_cad6152f2204bcdc.txt": "it",
		"002_77b75f6eab907cbb.txt": "fr", "003_5cc34ed61234f2d0.txt": "fr",
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("seeds not found at %s (../shared beside the checkout): %v", dir, err)
	}
	def, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for name, lang := range want {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []*Detector{def, mustAll(t)} {
			got, err := d.Detect(string(b))
			if err != nil || got.Lang != lang {
				t.Errorf("%s: got %+v, %v; want %s", name, got, err, lang)
			}
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

func TestWindow(t *testing.T) {
	body := strings.Repeat("parola ", 100)
	tests := []struct{ name, in, want string }{
		{"title skipped", "Titolo\n" + body, body},
		{"short text kept", "Titolo\nparola parola", "Titolo\nparola parola"},
		{"no title", body, body},
	}
	for _, tt := range tests {
		if got := window(tt.in, 10000); got != tt.want {
			t.Errorf("%s: window = %.30q…", tt.name, got)
		}
	}
	if got := window(body, 20); len(got) > 20 {
		t.Errorf("window not clipped: %d bytes", len(got))
	}
}
