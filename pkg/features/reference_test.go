package features

import (
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/lexicon"
)

// The fast paths of Of (folds in one buffer, weights summed by sums, each
// word filtered and glossed once) are checked here against the
// straightforward code they replace, on the shared eval texts when present
// and on varied made-up texts always.

// refFold is Fold as first written: NFD as a string, a Builder per word.
func refFold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if rep, ok := specialFold[r]; ok {
			b.WriteString(rep)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// refTerms is terms as first written: the whole field's stream, each term
// glossed where it stands, added straight to the map.
func refTerms(x *Extractor, terms map[string]float64, lang, field string, toks []token, w func(int) float64) {
	if field == "" {
		return
	}
	stream := x.termStream(lang, field, toks)
	prefix := KindTerm + ":" + lang + ":"
	if lang == "" {
		prefix = KindTerm + ":und:"
	}
	table := x.table(lang)
	var buf [4]string
	for _, t := range stream {
		if utf8.RuneCount(t.Term) < 2 || allDigits(t.Term) {
			continue
		}
		term := string(t.Term)
		wt := w(t.Position - 1)
		gs := x.glosses(table, lang, term, buf[:0])
		if len(gs) == 0 {
			cs, headN, ok := x.compound(table, lang, term, nil)
			if !ok {
				terms[prefix+term] += wt
				continue
			}
			// A compound: its head's glosses share half the weight, the
			// rest's the other half.
			if x.opts.glossTerm > 0 {
				terms[prefix+term] += wt * x.opts.glossTerm
			}
			for i, g := range cs {
				share := float64(len(cs) - headN)
				if i >= len(cs)-headN {
					share = float64(headN)
				}
				terms[g] += wt * x.opts.gloss / (2 * share)
			}
			continue
		}
		if x.opts.glossTerm > 0 {
			terms[prefix+term] += wt * x.opts.glossTerm
		}
		for _, g := range gs {
			terms[g] += wt * x.opts.gloss / float64(len(gs))
		}
	}
	// Chinese words of three and four characters, found in the runs.
	if lang != "zh" || table == nil {
		return
	}
	for _, tk := range toks {
		if !tk.unspaced {
			continue
		}
		rs := []rune(tk.raw)
		for i := 0; i < len(rs); {
			step := 1
			for l := min(4, len(rs)-i); l >= 3; l-- {
				gs := table.Glosses(string(rs[i:i+l]), nil)
				if len(gs) == 0 {
					continue
				}
				for _, g := range gs {
					terms[g] += w(int(tk.pos)) * x.opts.gloss / float64(len(gs))
				}
				step = l
				break
			}
			i += step
		}
	}
}

// refOf is Of's term and gloss keys computed by refTerms.
func refOf(x *Extractor, a article.Article) map[string]float64 {
	lang := BaseLang(a.Lang)
	title := strings.TrimSpace(a.Title)
	terms := make(map[string]float64)
	bw := x.posWeight
	if title == "" && x.opts.headWords > 0 {
		bw = x.headWeight
	}
	refTerms(x, terms, lang, title, tokenize(title), func(int) float64 { return x.opts.titleWeight })
	refTerms(x, terms, lang, a.Text, tokenize(a.Text), bw)
	return terms
}

// referenceTexts are the eval pair sets' articles (when present) and made-up
// texts mixing scripts, cases, accents, digits, links and odd bytes.
func referenceTexts(t testing.TB) []article.Article {
	var out []article.Article
	if arts, err := coverageArticles(filepath.Join("..", "..", "..", "shared", "eval")); err == nil {
		for i, a := range arts {
			if i%3 == 0 { // a third keeps the test quick; the languages all stay
				out = append(out, article.Article{Lang: a.Lang, Title: a.Title, Text: a.Text})
			}
		}
	} else {
		t.Logf("eval sets not found (%v): made-up texts only", err)
	}
	words := []string{"Ministère", "ministero", "Straße", "ŁÓDŹ", "Nuñez", "ANSSI", "the", "The", "États-Unis",
		"Parigi", "1.500", "3,5", "12", "dicembre", "2025", "北京市", "東京", "l'attacco", "dell'Interno", "Москва",
		"İstanbul", "ıi", "ǅemal", "ﬁnance", "Ǆ", "e\u0301te\u0301", "\xff\xfe", "https://example.com/a", "www.x.it",
		"O'Neil", "naïve", "Ærø", "Þór", "ﾃｽﾄ", "١٢٣", "क्षेत्र", "مرحبا", "Ελλάδα", "größer", "ÉTÉ", "-", "—", ".", ",",
		"\n", ":", "«", "»", "!", "?"}
	r := rand.New(rand.NewPCG(1, 2))
	langs := []string{"en", "fr", "it", "de", "es", "pl", "ru", "tr", "ar", "zh", "ja", "xx", ""}
	for i := range 300 {
		var b strings.Builder
		for range 5 + r.IntN(120) {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(4) > 0 {
				b.WriteByte(' ')
			}
		}
		title := ""
		if i%2 == 0 {
			title = words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]
		}
		out = append(out, article.Article{Lang: langs[i%len(langs)], Title: title, Text: b.String()})
	}
	return out
}

func TestFoldMatchesReference(t *testing.T) {
	for _, a := range referenceTexts(t) {
		for _, tk := range tokenize(a.Text) {
			if want := refFold(tk.raw); tk.fold != want || Fold(tk.raw) != want {
				t.Fatalf("fold of %q: token %q, Fold %q, want %q", tk.raw, tk.fold, Fold(tk.raw), want)
			}
		}
		for _, f := range strings.Fields(a.Text) {
			if got, want := Fold(f), refFold(f); got != want {
				t.Fatalf("Fold(%q) = %q, want %q", f, got, want)
			}
		}
	}
}

// TestTermsMatchReference compares Of's term and gloss weights, bit for
// bit, with refTerms', with and without glosses and a glossed word's term.
func TestTermsMatchReference(t *testing.T) {
	arts := referenceTexts(t)
	lex, err := NewLexicon(lexicon.DefaultDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"no lexicon", []Option{WithLexicon(nil)}},
		{"lexicon", []Option{WithLexicon(lex)}},
		{"lexicon, gloss term", []Option{WithLexicon(lex), WithGlossWeights(0.5, 0.7)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := New(tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range arts {
				got, want := x.Of(a).Terms, refOf(x, a)
				for k, v := range want {
					if got[k] != v {
						t.Fatalf("%s %q: %q = %v, want %v", a.Lang, a.Text[:min(len(a.Text), 60)], k, got[k], v)
					}
				}
				for k := range got {
					kind := Kind(k)
					if _, ok := want[k]; !ok && (kind == KindTerm || kind == KindGloss) {
						t.Fatalf("%s: %q = %v, not in the reference", a.Lang, k, got[k])
					}
				}
			}
		})
	}
}

// TestWordAtATime checks what terms' memo rests on: every analyzer whose
// filters run on our tokens gives a word the same terms, at the same
// position, alone as in its field.
func TestWordAtATime(t *testing.T) {
	x := newX(t)
	arts := referenceTexts(t)
	langs := []string{"xx"}
	for l := range x.filters {
		langs = append(langs, l)
	}
	for _, lang := range langs {
		for _, a := range arts[:min(len(arts), 150)] {
			toks := tokenize(a.Text)
			filters, fast := x.wordFilters(lang, toks)
			if !fast {
				continue
			}
			whole := x.termStream(lang, a.Text, toks)
			var alone []string
			for _, tk := range toks {
				if tk.digit {
					continue
				}
				m := newTermMemo(1)
				m.term = append(m.term[:0], tk.raw...)
				m.tok.Term, m.tok.Position = m.term, int(tk.pos)+1
				m.stream[0] = &m.tok
				s := m.stream[:]
				for _, f := range filters {
					s = f.Filter(s)
				}
				for _, o := range s {
					alone = append(alone, string(o.Term)+"@"+strings.Repeat("|", o.Position))
				}
			}
			if len(alone) != len(whole) {
				t.Fatalf("%s: %d terms word by word, %d in the field", lang, len(alone), len(whole))
			}
			for i, o := range whole {
				if w := string(o.Term) + "@" + strings.Repeat("|", o.Position); w != alone[i] {
					t.Fatalf("%s: term %d: %q alone, %q in the field", lang, i, alone[i][:strings.IndexByte(alone[i], '@')], o.Term)
				}
			}
		}
	}
}

func TestSumsMatchMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	keys := []string{"a", "b", "ent:x", "gl:y", "term:it:z", ""}
	s := newSums(2)
	for range 50 {
		s.reset() // reused, as Of reuses its scratch
		m := make(map[string]float64)
		for range r.IntN(200) {
			k, w := keys[r.IntN(len(keys))], r.Float64()*float64(r.IntN(1000))/7
			if r.IntN(2) == 0 {
				s.add(k, w)
			} else {
				i := s.idBytes([]byte(k))
				s.vals[i] += w
			}
			m[k] += w
		}
		got := s.terms()
		if len(got) != len(m) {
			t.Fatalf("%d keys, want %d", len(got), len(m))
		}
		for k, v := range m {
			if got[k] != v {
				t.Fatalf("%q = %v, want %v", k, got[k], v)
			}
		}
	}
}

// TestIsWordRuneASCII checks isWordRune's ASCII shortcut against the
// Unicode tables it stands for.
func TestIsWordRuneASCII(t *testing.T) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		want := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if got := isWordRune(r); got != want {
			t.Errorf("isWordRune(%q) = %v, want %v", r, got, want)
		}
	}
}

// TestDecompositionIsNFD checks what appendFoldByRune rests on: for every
// rune with a decomposition in the normaliser's table, the table's
// decomposition is the rune's NFD.
func TestDecompositionIsNFD(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		if d := norm.NFD.PropertiesString(s).Decomposition(); d != nil && string(d) != norm.NFD.String(s) {
			t.Errorf("%U: decomposition %q, NFD %q", r, d, norm.NFD.String(s))
		}
	}
}

// TestFoldEveryRune compares Fold with refFold on every rune of the planes
// that hold decompositions, alone, after a letter and before combining marks,
// and on runs of marks in both orders.
func TestFoldEveryRune(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= 0x2FA1F; r++ {
		if !utf8.ValidRune(r) || r >= 0x20000 && r < 0x2F800 {
			continue
		}
		for _, s := range []string{string(r), "é" + string(r), string(r) + "\u0301\u0323", "a\u0323" + string(r) + "\u0301"} {
			if got, want := Fold(s), refFold(s); got != want {
				t.Fatalf("Fold(%q) = %q, want %q", s, got, want)
			}
		}
	}
	for _, s := range []string{"\U0001D165\U0001D16E\u0301", "x\U0001D16E\U0001D165", "x\U0001D16D\U0001D165", "x\U0001D16D\u0301\U0001D165", "a\u302e\u302f\u0316", "a\u302f\u302e", strings.Repeat("\u0301", 40) + "\u302e\u0316\u302f",
		"\U0001D15F\U0001D165", "\U0001D160\u0301", "\xe9t\xe9", "가나", "ﬁ", "Ǆ", "ᾼ"} {
		if got, want := Fold(s), refFold(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestOfScratchReuse checks that Of's reused memory carries nothing from
// one article to the next: every article gives the same Set alone, after
// the others, and with other goroutines extracting at the same time.
func TestOfScratchReuse(t *testing.T) {
	arts := referenceTexts(t)[:60]
	want := make([]Set, len(arts))
	for i, a := range arts {
		want[i] = newX(t).Of(a) // a fresh extractor: fresh scratch
	}
	x := newX(t)
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 2 * len(arts) {
				i := (k*7 + g) % len(arts)
				if got := x.Of(arts[i]); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("article %d: differs after the others", i)
					return
				}
			}
		}()
	}
	wg.Wait()
}
