package ingest

import (
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	txt := write(t, dir, "a.txt", "Site - Title\n\nBody.")
	html := write(t, dir, "b.html", "<html><body><p>x</p></body></html>")
	jsonl := write(t, dir, "c.jsonl", `{"id":"x1","url":"https://www.ex.org/a?utm_source=z","title":"T","text":"hello","lang":"IT","published":"2025-12-12"}
not json
{"url":"https://ex.org/b","html":"<p>b</p>"}
{"id":"x3"}
{"id":"x4","text":"t","published":"yesterday"}
`)
	tests := []struct {
		path     string
		wantIDs  []string
		wantErrs int
	}{
		{txt, []string{"a"}, 0},
		{html, []string{"b"}, 0},
		{jsonl, []string{"x1", DefaultIDFor("https://ex.org/b")}, 3},
	}
	for _, tt := range tests {
		arts, errs, err := ReadFile(tt.path)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if len(errs) != tt.wantErrs {
			t.Errorf("%s: %d errors (%v), want %d", tt.path, len(errs), errs, tt.wantErrs)
		}
		for _, e := range errs {
			if !errors.Is(e, ErrBadLine) {
				t.Errorf("error %v is not ErrBadLine", e)
			}
		}
		if len(arts) != len(tt.wantIDs) {
			t.Fatalf("%s: %d articles, want %d", tt.path, len(arts), len(tt.wantIDs))
		}
		for i, id := range tt.wantIDs {
			if arts[i].ID != id {
				t.Errorf("%s[%d]: id %q, want %q", tt.path, i, arts[i].ID, id)
			}
		}
	}
	arts, _, _ := ReadFile(jsonl)
	if a := arts[0]; a.Lang != "it" || !a.LangGiven || a.Source != "ex.org" || a.Published == nil || a.Published.Day() != 12 {
		t.Errorf("record fields not carried: %+v", a)
	}
	if arts[0].Text != "hello" || arts[1].HTML != "<p>b</p>" {
		t.Errorf("bodies not carried")
	}
}

// TestReadFileDecodes checks that files come out as UTF-8 text whatever
// their encoding: the bus carries UTF-8 only, so a byte it cannot carry
// would reach the extractor as U+FFFD.
func TestReadFileDecodes(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, body string
		html       bool
		want       string
	}{
		{"latin1.txt", "Caf\xe9 cr\xe8me \xe0 Paris", false, "Café crème à Paris"},
		{"utf8.txt", "Café crème", false, "Café crème"},
		{"utf16.txt", "\xff\xfeC\x00a\x00f\x00\xe9\x00", false, "Café"},
		{"latin9.html", `<meta charset="iso-8859-15"><p>` + "\xa4 5</p>", true, "€ 5"},
		{"undeclared.html", "<p>Caf\xe9</p>", true, "<p>Café</p>"},
	}
	for _, tt := range tests {
		arts, _, err := ReadFile(write(t, dir, tt.name, tt.body))
		if err != nil || len(arts) != 1 {
			t.Fatalf("%s: %v, %d articles", tt.name, err, len(arts))
		}
		got := arts[0].Text
		if tt.html {
			got = arts[0].HTML
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want it to contain %q", tt.name, got, tt.want)
		}
	}
}

// TestReadJSONLinesDecodes checks that JSON Lines in another encoding than
// UTF-8 keep their accents: encoding/json turns each invalid byte into
// U+FFFD.
func TestReadJSONLinesDecodes(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, body string
		want       []string
	}{
		{"latin1.jsonl", "{\"id\":\"l1\",\"text\":\"Caf\xe9 cr\xe8me \xe0 Paris\"}", []string{"Café crème à Paris"}},
		{"bom.jsonl", "\xef\xbb\xbf{\"id\":\"b1\",\"text\":\"Café\"}", []string{"Café"}},
		{"utf16.jsonl", "\xff\xfe{\x00\"\x00t\x00e\x00x\x00t\x00\"\x00:\x00\"\x00\xe9\x00t\x00\xe9\x00\"\x00}\x00", []string{"été"}},
		// Lines of two encodings, as when files are concatenated.
		{"mixed.jsonl", "{\"id\":\"m1\",\"text\":\"Crème\"}\n{\"id\":\"m2\",\"text\":\"Cr\xe8me\"}", []string{"Crème", "Crème"}},
	}
	for _, tt := range tests {
		arts, errs, err := ReadFile(write(t, dir, tt.name, tt.body))
		if err != nil || len(errs) > 0 {
			t.Fatalf("%s: %v %v", tt.name, err, errs)
		}
		var got []string
		for _, a := range arts {
			got = append(got, a.Text)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func DefaultIDFor(u string) string { return articleDefaultID(u) }

func TestReadFileGzipAndUnsupported(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p.html.gz")
	f, _ := os.Create(p)
	gz := gzip.NewWriter(f)
	gz.Write([]byte("<p>zipped</p>"))
	gz.Close()
	f.Close()
	arts, _, err := ReadFile(p)
	if err != nil || len(arts) != 1 || arts[0].HTML != "<p>zipped</p>" || arts[0].ID != "p" {
		t.Fatalf("gzip: %+v %v", arts, err)
	}
	if _, _, err := ReadFile(write(t, dir, "x.pdf", "%PDF")); !errors.Is(err, ErrUnsupported) {
		t.Errorf("pdf: err %v, want ErrUnsupported", err)
	}
}

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "2.txt", "b")
	write(t, dir, "1.html", "a")
	write(t, dir, "skip.bin", "c")
	got, err := Expand([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || filepath.Base(got[0]) != "1.html" {
		t.Errorf("Expand = %v", got)
	}
	if _, err := Expand([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("missing path: no error")
	}
}
