package features

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// newX is an extractor without glosses: what these tests check does not
// depend on the dictionaries installed (TestGlosses covers those).
func newX(t testing.TB) *Extractor {
	t.Helper()
	x, err := New(WithLexicon(nil))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return x
}

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Nuñez", "nunez"},
		{"Intérieur", "interieur"},
		{"Straße", "strasse"},
		{"Łódź", "lodz"},
		{"ANSSI", "anssi"},
		{"plain", "plain"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestOf(t *testing.T) {
	x := newX(t)
	for _, tc := range []struct {
		name   string
		lang   string
		title  string
		text   string
		want   []string
		absent []string
	}{
		{
			name: "person and acronyms",
			lang: "it",
			text: "La notizia, rivelata da BFMTV, è stata confermata dal ministro Laurent Nuñez alla radio RTL. Poi Nuñez ha aggiunto altro.",
			want: []string{"ent:laurent nunez", "ent:nunez", "ent:bfmtv", "ent:rtl"},
		},
		{
			name:   "links are not words",
			lang:   "it",
			text:   "Segui le attività del M5S: http://www.facebook.com/MontecitorioCinque e www.parlamentari5stelle.it ogni giorno.",
			want:   []string{"ent:m5s", "term:it:giorn"},
			absent: []string{"ent:montecitoriocinque", "term:it:http", "term:it:www", "term:it:facebook", "term:it:parlamentari5stell"},
		},
		{
			name:   "sentence-start words are not names",
			lang:   "it",
			text:   "Parallelamente, la procura indaga. Inoltre il governo tace.",
			absent: []string{"ent:parallelamente", "ent:inoltre"},
		},
		{
			name:   "title case headline gives acronyms only",
			lang:   "en",
			title:  "Hackers Breach Interior Ministry Mail Servers, ANSSI Says",
			want:   []string{"ent:anssi"},
			absent: []string{"ent:hackers breach interior ministry mail servers", "ent:breach"},
		},
		{
			name: "trailing pair of a long name",
			lang: "it",
			text: "Lo ha detto il Ministro dell'Interno Laurent Nuñez ieri.",
			want: []string{"ent:laurent nunez", "ent:nunez"},
		},
		{
			name: "numbers and amounts",
			lang: "it",
			text: "Dati di 16 milioni di persone, per 1.500 euro, con un tasso del 3,5 per cento.",
			want: []string{"num:16", "num:16000000", "num:1500", "num:3.5"},
		},
		{
			name:   "english number separators",
			lang:   "en",
			text:   "Some 1,500 people and 2.5 billion dollars; 7 cars.",
			want:   []string{"num:1500", "num:2.5", "num:2500000000"},
			absent: []string{"num:7"},
		},
		{
			name:   "italian date",
			lang:   "it",
			text:   "L'attacco è avvenuto tra l'11 e il 12 dicembre 2025.",
			want:   []string{"date:12-12", "num:2025-12", "num:2025", "num:11"},
			absent: []string{"num:12"},
		},
		{
			name: "french date with ordinal",
			lang: "fr",
			text: "Le jeudi 11 décembre et le 1er janvier.",
			want: []string{"date:12-11", "date:01-01"},
		},
		{
			name:   "english, spanish and german dates",
			lang:   "en",
			text:   "It happened on December 11, 2025, el 5 de mayo and am 3. Oktober. They may 4 times.",
			want:   []string{"date:12-11", "num:2025-12", "date:05-05", "date:10-03"},
			absent: []string{"date:05-04"},
		},
		{
			name:   "a name after a locative preposition is marked as a place",
			lang:   "en",
			text:   "A Waitrose store burned down in Banstead on Friday. Firefighters from Surrey arrived at High Street within minutes.",
			want:   []string{"loc:banstead", "loc:high street", "ent:banstead", "ent:waitrose"},
			absent: []string{"loc:waitrose", "loc:surrey", "loc:friday"},
		},
		{
			name:   "place marks in French and Italian",
			lang:   "fr",
			text:   "Une cyberattaque a visé l'hôpital à Cahors hier, selon Le Monde.",
			want:   []string{"loc:cahors"},
			absent: []string{"loc:monde"},
		},
		{
			name: "italian place mark",
			lang: "it",
			text: "L'ospedale di Lecco è stato colpito. I dati sono stati pubblicati in Lombardia e a Lecco.",
			want: []string{"loc:lecco", "loc:lombardia"},
		},
		{
			name:   "no place marks in German",
			lang:   "de",
			text:   "Die Polizei ermittelt in Zukunft bei Siemens in München.",
			absent: []string{"loc:zukunft", "loc:siemens"},
		},
		{
			name: "country names across languages",
			lang: "it",
			text: "Attacco in Francia. L'attaque en France. Angriff in Frankreich. Negli Stati Uniti e nel Regno Unito.",
			want: []string{"place:FR", "place:US", "place:GB"},
		},
		{
			name: "country names in other scripts",
			lang: "zh",
			text: "法国总统访问德国。Визит во Францию: Франция и Германия.",
			want: []string{"place:FR", "place:DE"},
		},
		{
			name: "chinese, russian and polish dates",
			lang: "zh",
			text: "2025年12月11日，法国。11 декабря 2025. 3 maja.",
			want: []string{"date:12-11", "num:2025-12", "num:2025", "date:05-03"},
		},
		{
			name:   "cities and demonyms",
			lang:   "it",
			text:   "Il governo francese ha parlato a Parigi.",
			want:   []string{"place:paris", "place:FR"},
			absent: []string{"ent:parigi"},
		},
		{
			name:   "lower-case country-like word is not a place",
			lang:   "it",
			text:   "Tutti i mali del mondo.",
			absent: []string{"place:ML"},
		},
		{
			name: "stemmed terms prefixed with the language",
			lang: "fr",
			text: "Les serveurs de messagerie du ministère.",
			want: []string{"term:fr:serveu", "cog:messag", "cog:minist"},
		},
		{
			name: "cognates meet across languages",
			lang: "it",
			text: "Il ministero ha subito un attacco informatico.",
			want: []string{"cog:minist", "cog:inform", "term:it:minister"},
		},
		{
			name:   "german nouns are not names, german sequences are",
			lang:   "de",
			text:   "Die Regierung und Bundeskanzler Olaf Scholz sprachen in Frankreich über die Wirtschaft.",
			want:   []string{"ent:olaf scholz", "ent:scholz", "place:FR"},
			absent: []string{"ent:wirtschaft"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := x.Of(article.Article{ID: "x", Lang: tc.lang, Title: tc.title, Text: tc.text})
			for _, k := range tc.want {
				if s.Terms[k] <= 0 {
					t.Errorf("missing %s; have %v", k, keys(s))
				}
			}
			for _, k := range tc.absent {
				if _, ok := s.Terms[k]; ok {
					t.Errorf("unexpected %s", k)
				}
			}
		})
	}
}

func keys(s Set) []string {
	var out []string
	for k := range s.Terms {
		if Kind(k) != KindTerm && Kind(k) != KindCognate {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func TestNamesKeepSurfaceForm(t *testing.T) {
	tests := []struct {
		lang, text, key, want string
	}{
		{"fr", "Selon le ministre Laurent Nuñez, tout va bien.", "ent:laurent nunez", "Laurent Nuñez"},
		// Elided and plural articles join a name as "di" and "del" do, and
		// the name shows with its apostrophes and hyphens as written.
		{"it", "Lo ha confermato il Ministero dell’Interno con una nota.", "ent:ministero dell interno", "Ministero dell’Interno"},
		{"it", "Lo conferma la Camera dei Deputati in serata.", "ent:camera dei deputati", "Camera dei Deputati"},
		{"fr", "La ville de Saint-Rambert-des-Forges accueille l'usine.", "ent:saint rambert des forges", "Saint-Rambert-des-Forges"},
		{"fr", "Le procureur s'est rendu à la Cour d'Appel hier soir.", "ent:cour d appel", "Cour d'Appel"},
		// A word hyphenated on both sides joins a place's name.
		{"fr", "La meilleure baguette est à Montclar-les-Pins depuis mardi.", "ent:montclar les pins", "Montclar-les-Pins"},
		{"en", "The ferry left Boulogne-sur-Mer at dawn.", "ent:boulogne sur mer", "Boulogne-sur-Mer"},
		// The closing pair of a long name keeps its hyphen too.
		{"en", "Yesterday the mayor Anne Marie Dupont-Lefèvre spoke to reporters.", "ent:dupont lefevre", "Dupont-Lefèvre"},
	}
	for _, tc := range tests {
		s := newX(t).Of(article.Article{Lang: tc.lang, Text: tc.text})
		if got := s.Names[tc.key]; got != tc.want {
			t.Errorf("%q: name of %s = %q, want %q (names: %v)", tc.text, tc.key, got, tc.want, s.Names)
		}
	}
}

func TestPositionWeighting(t *testing.T) {
	// The same name counts less in a teaser block far down the page.
	var b strings.Builder
	b.WriteString("Selon Beauvau, l'enquête avance. ")
	for range 100 {
		b.WriteString("Le texte continue avec des mots ordinaires sans nom propre. ")
	}
	b.WriteString("En bas de page, Beauvau encore et Clair Obscur.")
	s := newX(t).Of(article.Article{Lang: "fr", Text: b.String()})
	if s.Terms["ent:clair obscur"] >= 0.5 {
		t.Errorf("late entity weighs %.2f", s.Terms["ent:clair obscur"])
	}
}

// TestUntitledHead checks that the first words of an article without a
// title count as a headline, and only there.
func TestUntitledHead(t *testing.T) {
	const text = "Vulcano erutta. Uno due tre quattro cinque sei sette otto nove dieci, poi Vulcano."
	for _, tc := range []struct {
		name  string
		a     article.Article
		opts  []Option
		first float64 // "vulcano" at word 0
		late  float64 // "dieci", word 11
	}{
		{"untitled", article.Article{Lang: "it", Text: text}, nil, 1.5, 1},
		{"titled", article.Article{Lang: "it", Title: "Titolo", Text: text}, nil, 1, 1},
		{"off", article.Article{Lang: "it", Text: text}, []Option{WithUntitledHead(0, 0)}, 1, 1},
		{"wider", article.Article{Lang: "it", Text: text}, []Option{WithUntitledHead(12, 2)}, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := New(append([]Option{WithLexicon(nil)}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			s := x.Of(tc.a)
			// "vulcano" occurs twice: once in the head, once after it.
			if got, want := s.Terms["term:it:vulcan"], tc.first+1; got != want {
				t.Errorf("term:it:vulcan = %.2f, want %.2f", got, want)
			}
			if got := s.Terms["term:it:dieci"]; got != tc.late {
				t.Errorf("term:it:dieci = %.2f, want %.2f (terms %v)", got, tc.late, s.Terms)
			}
		})
	}
}

func TestSeedsShareCrossLingualFeatures(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "seeds")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) != 4 {
		t.Skipf("seed articles not found in %s; they live in the shared folder beside the checkout", dir)
	}
	sort.Strings(files)
	x := newX(t)
	langs := []string{"it", "it", "fr", "fr"}
	var sets []Set
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, x.Of(article.Article{Lang: langs[i], Text: string(b)}))
	}
	// The Italian 000 and the French 003 must meet on the minister, the
	// channel, the country and the cognates of ministry and computing.
	for _, k := range []string{"ent:laurent nunez", "ent:nunez", "ent:bfmtv", "place:FR", "cog:minist", "cog:inform"} {
		if sets[0].Terms[k] <= 0 || sets[3].Terms[k] <= 0 {
			t.Errorf("%s not shared: it %.2f, fr %.2f", k, sets[0].Terms[k], sets[3].Terms[k])
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	x := newX(t)
	a := article.Article{Lang: "fr", Title: "Enquête ouverte", Text: "Le ministère de l'Intérieur a confirmé, selon BFMTV, le 11 décembre."}
	want := len(x.Of(a).Terms)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if got := len(x.Of(a).Terms); got != want {
					t.Errorf("got %d features, want %d", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestURLLen(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"https://example.org/a?b=c rest", 25},
		{"HTTP://EXAMPLE.ORG", 18},
		{"www.ansa.it, poi", 12},
		{"wwwx.example.org", 0},
		{"http:", 0},
		{"whatever else", 0},
		{"httpserver is a word", 0},
	} {
		if got := urlLen(tc.in); got != tc.want {
			t.Errorf("urlLen(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
