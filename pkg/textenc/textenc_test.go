package textenc

import (
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
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
		{"UTF-8 with one broken byte, undeclared", "text/html", "<p>" + want1252 + "\xff", want1252 + "\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HTML([]byte(tt.body), tt.ctype)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, tt.want) || strings.HasPrefix(got, "\ufeff") {
				t.Errorf("got %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, ctype, body, want string
	}{
		{"UTF-8", "", "Café crème", "Café crème"},
		{"Latin-1 file", "", "Caf\xe9 cr\xe8me \xe0 Paris", "Café crème à Paris"},
		{"windows-1252 quotes and euro", "", "\x93Caf\xe9\x94 \x80 3", "“Café” € 3"},
		{"UTF-8 with a broken byte", "", "Café \xff", "Café \uFFFD"},
		{"UTF-8 with BOM", "", "\ufeffCafé", "Café"},
		{"UTF-16LE with BOM", "", "\xff\xfeC\x00a\x00f\x00\xe9\x00", "Café"},
		{"declared ISO-8859-15", "text/plain; charset=iso-8859-15", "\xa4 5", "€ 5"},
		{"HTML markup is text here", "", "<meta charset=\"iso-8859-15\">\xa4", "<meta charset=\"iso-8859-15\">¤"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Text([]byte(tt.body), tt.ctype)
			if err != nil || got != tt.want {
				t.Errorf("Text(%q) = %q, %v; want %q", tt.body, got, err, tt.want)
			}
		})
	}
}

func TestUndeclared(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Café", "Café"},
		{"Caf\xe9", "Café"},
		{"Café \xe9", "Café \uFFFD"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Undeclared(tt.in); got != tt.want {
			t.Errorf("Undeclared(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDeclared(t *testing.T) {
	tests := []struct {
		name, page, want string
		ok               bool
	}{
		{"meta charset", `<meta charset="iso-8859-15"><p>` + "\xa4", `<meta charset="iso-8859-15"><p>€`, true},
		{"http-equiv", `<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>` + "\x80", "€", true},
		{"none declared", "<p>Caf\xe9", "", false},
		{"UTF-8 declared", `<meta charset="utf-8"><p>Caf` + "\xe9", "", false},
		{"unknown charset", `<meta charset="klingon"><p>Caf` + "\xe9", "", false},
		{"declared in the body only", "<body><meta charset=\"iso-8859-15\"><p>\xa4", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Declared(tt.page)
			if ok != tt.ok || !strings.Contains(got, tt.want) {
				t.Errorf("Declared = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
