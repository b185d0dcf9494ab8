package render

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

const header = "title: T\nauthor: A\npublished: 2026-03-03T11:20:00+01:00\nstory: s\nsummary: S\n"

func TestParseSource(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		wantErr bool
		paras   int
		words   int
	}{
		{"paragraphs and heading", header + "---\nOne two\nthree.\n\n## Head line\n\nFour five.\n", false, 3, 5},
		{"missing field", "title: T\n---\nBody.\n", true, 0, 0},
		{"unknown header", header + "colour: red\n---\nBody.\n", true, 0, 0},
		{"bad date", strings.Replace(header, "2026-03-03T11:20:00+01:00", "3 March", 1) + "---\nBody.\n", true, 0, 0},
		{"no body", header + "---\n\n", true, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSource("ilfaro", "x", tt.text)
			if tt.wantErr {
				if !errors.Is(err, ErrSource) {
					t.Fatalf("err = %v, want ErrSource", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Paras) != tt.paras || s.Words() != tt.words || !s.Paras[1].Heading || s.Paras[1].Text != "Head line" {
				t.Errorf("got %d paras, %d words: %+v", len(s.Paras), s.Words(), s.Paras)
			}
		})
	}
}

func TestBuildTeasersStayInOutlet(t *testing.T) {
	fsys := fstest.MapFS{
		"ilfaro/a.txt":        {Data: []byte(strings.Replace(header, "title: T", "title: Alpha", 1) + "---\nBody a.\n")},
		"ilfaro/b.txt":        {Data: []byte(strings.Replace(header, "title: T", "title: Beta", 1) + "---\nBody b.\n")},
		"harbourherald/c.txt": {Data: []byte(strings.Replace(header, "title: T", "title: Gamma", 1) + "---\nBody c.\n")},
	}
	files, err := Build(fsys)
	if err != nil {
		t.Fatal(err)
	}
	a := string(files["ilfaro/a.html"])
	if !strings.Contains(a, `href="/ilfaro/b.html">Beta`) || strings.Contains(a, "Gamma") {
		t.Errorf("ilfaro/a.html should tease Beta only")
	}
	if _, ok := files[ManifestFile]; !ok || len(files) != 4 {
		t.Errorf("files: %d, manifest present %v", len(files), ok)
	}
}
