package fetch

import (
	"context"
	"strings"
	"testing"
)

func TestDecodeHTML(t *testing.T) {
	// “Città” déjà € 5 in windows-1252, and the same in ISO-8859-15, where
	// the euro sign is 0xA4 (in windows-1252 0xA4 is ¤).
	const cp1252 = "\x93Citt\xe0\x94 d\xe9j\xe0 \x80 5"
	const latin9 = "Citt\xe0 d\xe9j\xe0 \xa4 5 \xbd" // ½ in Latin-1 is œ in Latin-9
	const want1252 = "“Città” déjà € 5"
	const want15 = "Città déjà € 5 œ"
	late := "<html><head><script>" + strings.Repeat("var x = 1; ", 200) + "</script>"
	tests := []struct {
		name, ctype, body, want string
	}{
		{"windows-1252 in the header", "text/html; charset=windows-1252", "<p>" + cp1252, want1252},
		{"windows-1252 in meta charset", "text/html", `<meta charset="windows-1252"><p>` + cp1252, want1252},
		{"windows-1252 in meta http-equiv", "text/html", `<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>` + cp1252, want1252},
		{"windows-1252 undeclared", "text/html", "<p>" + cp1252, want1252},
		{"iso-8859-1 label means windows-1252", "text/html;charset=ISO-8859-1;", "<p>" + cp1252, want1252},
		{"ISO-8859-15 in meta", "", `<meta charset="iso-8859-15"><p>` + latin9, want15},
		{"ISO-8859-15 in header, quoted", `text/html; charset="ISO-8859-15"`, "<p>" + latin9, want15},
		{"meta charset after 1024 bytes", "text/html", late + `<meta charset="windows-1252"></head><p>` + cp1252, want1252},
		{"UTF-8 with BOM, undeclared", "text/html", "\ufeff<p>" + want1252, want1252},
		{"UTF-8 with BOM beats a wrong header", "text/html; charset=windows-1252", "\ufeff<p>" + want1252, want1252},
		{"UTF-8 labelled Latin-1 by the server", "text/html; charset=iso-8859-1", "<p>" + want1252, want1252},
		{"windows-1252 labelled UTF-8 by the server", "text/html; charset=utf-8", "<p>" + cp1252, want1252},
		{"UTF-8 with one broken byte stays UTF-8", "text/html; charset=utf-8", "<p>" + want1252 + "\xff", want1252 + "\uFFFD"},
		{"UTF-16LE with BOM", "", "\xff\xfe<\x00p\x00>\x00\xe9\x00", "é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeHTML([]byte(tt.body), tt.ctype)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, tt.want) || strings.HasPrefix(got, "\ufeff") {
				t.Errorf("got %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestWindows1252Feed(t *testing.T) {
	srv := formatServer(t, map[string]struct{ ctype, body string }{
		// The XML declaration names the encoding; the server says nothing.
		"/declared.xml": {"application/rss+xml", "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n" +
			"<rss version=\"2.0\"><channel><title>C</title><link>%[1]s/</link><description>d</description>" +
			"<item><title>Caf\xe9 \x93cr\xe8me\x94 \x80</title><link>%[1]s/p/cafe.html</link></item></channel></rss>"},
		// No declaration: the header's charset applies.
		"/header.xml": {"text/xml; charset=iso-8859-15", "<rss version=\"2.0\"><channel><title>C</title><link>%[1]s/</link><description>d</description>" +
			"<item><title>Caf\xe9 \xa4</title><link>%[1]s/p/cafe.html</link></item></channel></rss>"},
	})
	for path, want := range map[string]string{"/declared.xml": "Café “crème” €", "/header.xml": "Café €"} {
		res, err := newTestFetcher(Config{}).Do(context.Background(), Request{URL: srv.URL + path})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Articles) != 1 || res.Articles[0].Title != want {
			t.Errorf("%s: %+v, want title %q", path, res.Articles, want)
		}
	}
}
