// Package textenc turns bytes in whatever encoding a page, feed or file
// came in into UTF-8 text: a byte-order mark, a declared charset (HTTP
// header, <meta>, XML declaration), else what the bytes themselves say.
package textenc

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// HTML turns an HTML body into UTF-8 text. In order: a byte-order
// mark; the Content-Type charset; a <meta> charset anywhere in the head
// (not only the first 1024 bytes the HTML standard pre-scans, since pages
// put long scripts first); else UTF-8 if the bytes are valid UTF-8 or hold
// a valid multi-byte sequence (UTF-8 with damage: its bad bytes become
// U+FFFD), else windows-1252. Two common server mistakes are corrected by
// looking at the bytes: a page labelled Latin-1 that is valid UTF-8 with
// accents is UTF-8, and a page labelled UTF-8 with not one valid
// multi-byte sequence is windows-1252. Either would otherwise put mojibake
// in the index.
func HTML(body []byte, contentType string) (string, error) {
	label, fromBOM := bomLabel(body)
	if label == "" {
		label = charsetParam(contentType)
	}
	if label == "" {
		label = metaCharset(body)
	}
	return decodeAs(body, label, fromBOM)
}

// Declared decodes an HTML page that is not valid UTF-8 from the legacy
// charset its <meta> declares; ok is false when it declares none, or
// UTF-8, or one unknown, so that the caller can look at the bytes first.
func Declared(page string) (_ string, ok bool) {
	enc, name := lookupEncoding(metaCharset([]byte(page)))
	if enc == nil || name == "utf-8" {
		return "", false
	}
	s, err := enc.NewDecoder().String(page)
	return s, err == nil
}

// Text turns a plain text body into UTF-8 text: its byte-order mark, else
// the Content-Type charset ("" for a file), else the bytes as for HTML.
func Text(body []byte, contentType string) (string, error) {
	label, fromBOM := bomLabel(body)
	if label == "" {
		label = charsetParam(contentType)
	}
	return decodeAs(body, label, fromBOM)
}

// Undeclared turns text whose encoding nothing declares into UTF-8: as is
// when it is valid UTF-8, as windows-1252 when it holds not one valid
// multi-byte sequence (a Latin-1 file, a page without a charset), else as
// UTF-8 with its bad bytes U+FFFD.
func Undeclared(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	out, err := decodeAs([]byte(s), "", false)
	if err != nil {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return out
}

// decodeAs decodes body from the encoding named by label ("" when
// unknown), with the corrections HTML describes.
func decodeAs(body []byte, label string, fromBOM bool) (string, error) {
	enc, name := lookupEncoding(label)
	if !fromBOM {
		switch {
		case name == "utf-8" && !utf8.Valid(body) && !hasValidMultibyte(body):
			enc, name = lookupEncoding("windows-1252")
		case isLatin(name) && utf8.Valid(body) && hasValidMultibyte(body):
			enc, name = nil, "utf-8"
		case name == "" && (utf8.Valid(body) || hasValidMultibyte(body)):
			enc, name = nil, "utf-8"
		case name == "":
			enc, name = lookupEncoding("windows-1252")
		}
	}
	if name == "utf-8" || enc == nil {
		s := strings.TrimPrefix(string(body), "\ufeff")
		return strings.ToValidUTF8(s, "\uFFFD"), nil
	}
	b, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return "", fmt.Errorf("textenc: decode as %s: %w", name, err)
	}
	return strings.ToValidUTF8(strings.TrimPrefix(string(b), "\ufeff"), "\uFFFD"), nil
}

func lookupEncoding(label string) (encoding.Encoding, string) {
	if label == "" {
		return nil, ""
	}
	enc, name := charset.Lookup(label)
	if enc == nil {
		return nil, ""
	}
	return enc, name
}

// isLatin names the single-byte Western encodings that servers put on
// UTF-8 pages by default.
func isLatin(name string) bool {
	switch name {
	case "windows-1252", "iso-8859-1", "iso-8859-15":
		return true
	}
	return false
}

// hasValidMultibyte tells whether b holds at least one valid UTF-8
// sequence of two or more bytes.
func hasValidMultibyte(b []byte) bool {
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if r != utf8.RuneError && n > 1 {
			return true
		}
		b = b[n:]
	}
	return false
}

// HasBOM tells whether b starts with a UTF-8 or UTF-16 byte-order mark,
// which Text decodes by.
func HasBOM(b []byte) bool {
	_, ok := bomLabel(b)
	return ok
}

func bomLabel(b []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		return "utf-8", true
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return "utf-16be", true
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return "utf-16le", true
	}
	return "", false
}

// charsetParam reads the charset parameter leniently: servers send
// "text/html;charset=UTF-8;", quoted values and other near misses that
// mime.ParseMediaType rejects.
func charsetParam(contentType string) string {
	for _, p := range strings.Split(contentType, ";") {
		k, v, ok := strings.Cut(p, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "charset") {
			return strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return ""
}

// metaScanBytes bounds the search for a <meta> charset.
const metaScanBytes = 64 << 10

// metaCharset finds <meta charset> or <meta http-equiv=Content-Type> in the
// head of an HTML document.
func metaCharset(body []byte) string {
	z := html.NewTokenizer(bytes.NewReader(body[:min(len(body), metaScanBytes)]))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
				var cs, equiv, content string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch strings.ToLower(string(k)) {
					case "charset":
						cs = string(v)
					case "http-equiv":
						equiv = string(v)
					case "content":
						content = string(v)
					}
				}
				if cs != "" {
					return strings.TrimSpace(cs)
				}
				if strings.EqualFold(equiv, "content-type") {
					if c := charsetParam(content); c != "" {
						return c
					}
				}
			}
		}
	}
}

var xmlDeclEncoding = regexp.MustCompile(`^(<\?xml[^>]*?\sencoding\s*=\s*)["']([A-Za-z0-9._:-]+)["']`)

// XML returns an XML document (feed or sitemap) as UTF-8 with its
// declaration saying so, for parsers that would otherwise trust a wrong
// label or fail on an unknown one. The encoding is taken from a byte-order
// mark, else the XML declaration, else the Content-Type charset, with the
// same corrections by the bytes as for HTML.
func XML(body []byte, contentType string) ([]byte, error) {
	label, fromBOM := bomLabel(body)
	if label == "" {
		if m := xmlDeclEncoding.FindSubmatch(bytes.TrimLeft(body, " \t\r\n")); m != nil {
			label = string(m[2])
		}
	}
	if label == "" {
		label = charsetParam(contentType)
	}
	s, err := decodeAs(body, label, fromBOM)
	if err != nil {
		return nil, err
	}
	s = strings.TrimLeft(s, " \t\r\n")
	s = xmlDeclEncoding.ReplaceAllString(s, `${1}"UTF-8"`)
	return []byte(s), nil
}
