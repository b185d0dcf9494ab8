package extract

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/pkg/article"
)

const para = "The town council met on Thursday evening and agreed, after a long debate, to keep the library open on Sundays through the winter."

func TestExtractErrors(t *testing.T) {
	small, err := New(Config{MaxBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	e := newTestExtractor(t)
	tests := []struct {
		name string
		e    *Extractor
		in   Input
		want error
	}{
		{"empty", e, Input{}, ErrEmptyInput},
		{"blank", e, Input{Text: " \n\t\n", HTML: "  "}, ErrEmptyInput},
		{"too large", small, Input{Text: strings.Repeat("a", 101)}, ErrTooLarge},
		{"over the default 20 MB", e, Input{HTML: strings.Repeat("<p>a</p>", DefaultMaxBytes/8+1)}, ErrTooLarge},
		{"NUL bytes", e, Input{Text: "abc\x00def"}, ErrBinary},
		{"binary HTML", e, Input{HTML: "\x89PNG\r\n\x1a\n" + strings.Repeat("\xff\xd8\x01\x02\x03", 100)}, ErrBinary},
		{"control characters", e, Input{Text: strings.Repeat("\x01\x02\x03a", 100)}, ErrBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.e.Extract(tt.in)
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestExtractRepairsEncoding(t *testing.T) {
	e := newTestExtractor(t)
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"latin-1 text", Input{Text: "Caf\xe9 cr\xe8me \xe0 Paris. " + para}, "Café crème à Paris."},
		{"windows-1252 quotes and euro", Input{Text: "\x93Caf\xe9\x94 \x80 3. " + para}, "“Café” € 3."},
		{"latin-1 HTML, no charset", Input{HTML: "<p>Caf\xe9 au lait. " + para + "</p>"}, "Café au lait."},
		{"UTF-8 with a damaged byte", Input{Text: "Café au lait \xe9. " + para}, "Café au lait \uFFFD."},
		{"UTF-8 HTML with a damaged byte, no charset", Input{HTML: "<p>Café au lait \xe9. " + para + "</p>"}, "Café au lait \uFFFD."},
		{"declared latin-1", Input{HTML: `<meta charset="iso-8859-1"><p>Caf` + "\xe9" + ` au lait. ` + para + `</p>`}, "Café au lait."},
		{"UTF-16 with BOM", Input{HTML: utf16LE("<p>Caf\u00e9 au lait. " + para + "</p>")}, "Café au lait."},
		{"UTF-8 BOM", Input{Text: "\xef\xbb\xbfCafé au lait. " + para}, "Café au lait."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.Extract(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(res.Text, tt.want) {
				t.Errorf("text %q, want it to start %q", clip(res.Text, 40), tt.want)
			}
			if !utf8.ValidString(res.Text) {
				t.Error("invalid UTF-8 in output")
			}
		})
	}
}

func utf16LE(s string) string {
	b := []byte{0xff, 0xfe}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

// TestExtractHostileHTML feeds pages built to hurt: nesting far beyond the
// parser's limit, unclosed tags, and many related markers. None may panic,
// and each must keep the paragraph it hides.
func TestExtractHostileHTML(t *testing.T) {
	const n = 100_000
	tests := []struct {
		name string
		html string
	}{
		{"100k nested divs", strings.Repeat("<div>", n) + "<p>" + para + "</p>" + strings.Repeat("</div>", n)},
		{"100k unclosed spans", "<p>" + para + "</p>" + strings.Repeat("<span>x", n)},
		{"100k nested tables", strings.Repeat("<table><tr><td>", 2000) + "<p>" + para + "</p>"},
		{"100k nested bold", strings.Repeat("<b><i>", n/2) + para},
		{"unclosed everything", "<html><body><article><p>" + para + "<div><script>var x = '<p>'"},
		{"stray end tags", strings.Repeat("</p></div></li>", n/3) + "<p>" + para},
		{"many related markers", "<p>" + para + "</p>" + strings.Repeat("<p>Read more</p>", n/4)},
	}
	e := newTestExtractor(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.Extract(Input{HTML: tt.html})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Text, "keep the library open on Sundays") {
				t.Errorf("paragraph lost; text starts %q", clip(res.Text, 80))
			}
		})
	}
}

func TestExtractHostileText(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"many markers", para + "\n" + strings.Repeat("Read more\n", 50_000)},
		{"long first line with separators", strings.Repeat("Site - Title ", 100_000) + "\n" + para},
		{"one huge line", strings.Repeat("word ", 300_000) + para},
		{"many repeated lines", para + "\n" + strings.Repeat("Same line over and over again here.\n", 30_000)},
	}
	e := newTestExtractor(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.Extract(Input{Text: tt.text})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Text, "keep the library open on Sundays") {
				t.Errorf("paragraph lost; text starts %q", clip(res.Text, 80))
			}
		})
	}
}

func TestApply(t *testing.T) {
	e := newTestExtractor(t)
	given := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name      string
		in        article.Article
		wantTitle string
		wantPub   *time.Time
		wantEmpty bool
	}{
		{
			name:      "HTML fills missing fields",
			in:        article.Article{ID: "a1", HTML: `<html><head><title>Library stays open | Courier</title><meta property="article:published_time" content="2025-02-01T10:00:00Z"></head><body><p>` + para + `</p></body></html>`},
			wantTitle: "Library stays open",
			wantPub:   ptr(time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC)),
		},
		{
			name:      "given fields are kept",
			in:        article.Article{ID: "a2", Title: "Given title", Published: &given, HTML: `<html><head><title>Other | Courier</title><meta property="article:published_time" content="2025-02-01T10:00:00Z"></head><body><p>` + para + `</p></body></html>`},
			wantTitle: "Given title",
			wantPub:   &given,
		},
		{
			name: "text when there is no HTML",
			in:   article.Article{ID: "a3", Text: para + "\n\nSubscribe to our newsletter for more."},
		},
		{
			name:      "boilerplate only",
			in:        article.Article{ID: "a4", Text: "Advertisement\n\nShare this article"},
			wantEmpty: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Apply(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Extracted || got.HTML != "" || got.ID != tt.in.ID {
				t.Errorf("Extracted=%v HTML=%q ID=%q", got.Extracted, got.HTML, got.ID)
			}
			if got.Empty != tt.wantEmpty {
				t.Errorf("Empty=%v, want %v", got.Empty, tt.wantEmpty)
			}
			if !tt.wantEmpty && got.Text != para {
				t.Errorf("text %q, want the paragraph alone", got.Text)
			}
			if got.Title != tt.wantTitle {
				t.Errorf("title %q, want %q", got.Title, tt.wantTitle)
			}
			if (got.Published == nil) != (tt.wantPub == nil) || (got.Published != nil && !got.Published.Equal(*tt.wantPub)) {
				t.Errorf("published %v, want %v", got.Published, tt.wantPub)
			}
		})
	}
	if _, err := e.Apply(article.Article{ID: "bad", Text: "a\x00b"}); !errors.Is(err, ErrBinary) {
		t.Errorf("binary article: got %v, want ErrBinary", err)
	}
}

func ptr[T any](v T) *T { return &v }

func FuzzExtract(f *testing.F) {
	f.Add("<p>" + para + "</p>")
	f.Add("<html><head><title>A | B</title></head><body><nav>x</nav><article><h1>A</h1><p>" + para + "</p></article></body></html>")
	f.Add("Site - Title\n\nTitle\n\n" + para + "\n\nEn vedette\n\nOther story\n\nX.Y--ABC")
	f.Add("CategoryTeaser one…\nCategoryTeaser two…")
	f.Add("<div><div><p>Caf\xe9</p>")
	e := newTestExtractor(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, in := range []Input{{HTML: s}, {Text: s}, {Text: s, Title: s}} {
			res, err := e.Extract(in)
			if err != nil {
				if !errors.Is(err, ErrBinary) && !errors.Is(err, ErrEmptyInput) {
					t.Fatalf("unexpected error %v", err)
				}
				continue
			}
			if !utf8.ValidString(res.Text) {
				t.Fatal("invalid UTF-8 in text")
			}
			if res.Empty != (res.Text == "") {
				t.Fatalf("Empty=%v with text %q", res.Empty, res.Text)
			}
			for _, r := range res.Removed {
				if r.Reason == "" || (r.Layer != layerLexicon && r.Layer != layerStructure) {
					t.Fatalf("bad removal %+v", r)
				}
			}
		}
	})
}

func TestTokenBlocks(t *testing.T) {
	page := `<title>A  title</title><p>One <input type="text"> two</p><script>var s = "<p>no</p>";</script>` +
		`<div>Three<br>four</div><svg><text>no</text></svg><p>five</p>`
	bs, title := tokenBlocks(page)
	var got []string
	for _, b := range bs {
		got = append(got, b.text)
	}
	if want := "One two|Three|four|five"; strings.Join(got, "|") != want || title != "A title" {
		t.Errorf("got %q, title %q; want %q", strings.Join(got, "|"), title, want)
	}
}
