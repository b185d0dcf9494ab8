package article

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// slowDecode is what decodeFast must always agree with.
func slowDecode(data []byte) (Message, error) {
	var m Message
	err := json.Unmarshal(data, &m)
	return m, err
}

func sampleArticles() []Article {
	pub := time.Date(2026, 3, 4, 5, 6, 7, 890, time.FixedZone("CET", 3600))
	fetched := time.Date(2026, 3, 4, 5, 7, 0, 0, time.UTC)
	return []Article{
		{ID: "a"},
		{ID: "page", URL: "https://example.org/x?y=1&z=2", Source: "example.org", Title: `Quote "this" & <that>`,
			Published: &pub, Fetched: &fetched,
			HTML: "<!doctype html><p class=\"x\">Città — \u2028 tab\there\nnew line \\ back / slash \x01 ctl 😀</p>"},
		{ID: "clean", Text: "Para one.\n\nPara two: «ça» – 10 %.", Extracted: true, Lang: "fr", LangConfidence: 0.98765, LangGiven: true,
			Removed: []Removal{{Text: "Ti è piaciuto questo articolo?", Reason: "call to action", Layer: "lexicon"}, {Text: "x"}}},
		{ID: "empty", Extracted: true, Empty: true, Removed: []Removal{}},
	}
}

func TestDecodeFastMatchesEncodingJSON(t *testing.T) {
	for _, a := range sampleArticles() {
		b, err := Encode(a)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := decodeFast(b)
		if !ok {
			t.Fatalf("%s: the fast reader gave up on our own encoding: %s", a.ID, b)
		}
		want, err := slowDecode(b)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", a.ID, got, want)
		}
	}
}

func TestDecodeFastLeavesTheRestToEncodingJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"unknown key", `{"v":1,"article":{"id":"a","extra":1}}`},
		{"key in other case", `{"v":1,"article":{"ID":"a"}}`},
		{"null string", `{"v":1,"article":{"id":"a","title":null}}`},
		{"null time", `{"v":1,"article":{"id":"a","published":null}}`},
		{"repeated key", `{"v":1,"article":{"id":"a","id":"b"}}`},
		{"repeated article", `{"v":1,"article":{"id":"a"},"article":{"title":"t"}}`},
		{"escaped key", `{"v":1,"article":{"i\u0064":"a"}}`},
		{"lone surrogate", `{"v":1,"article":{"id":"\ud800x"}}`},
		{"bad escape", `{"v":1,"article":{"id":"\x"}}`},
		{"control byte", "{\"v\":1,\"article\":{\"id\":\"a\tb\"}}"},
		{"leading zero", `{"v":01,"article":{"id":"a"}}`},
		{"fractional version", `{"v":1.0,"article":{"id":"a"}}`},
		{"bad time", `{"v":1,"article":{"id":"a","published":"yesterday"}}`},
		{"trailing data", `{"v":1,"article":{"id":"a"}} x`},
		{"truncated", `{"v":1,"article":{"id":"a"`},
		{"not an object", `[1]`},
		{"bool with tail", `{"v":1,"article":{"id":"a","empty":truex}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := decodeFast([]byte(tc.in)); ok {
				t.Fatalf("the fast reader took %s", tc.in)
			}
			// Decode still answers, as encoding/json does.
			_, errFast := Decode([]byte(tc.in))
			_, errSlow := slowDecode([]byte(tc.in))
			if errSlow != nil && errFast == nil {
				t.Fatalf("Decode accepted what encoding/json refuses: %v", errSlow)
			}
		})
	}
}

func TestDecodeFastReadsEscapesAndNumbers(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"escapes", `{"v":1,"article":{"id":"a\"b\\c\/d\b\f\n\r\t\u00e9\u2028\ud83d\ude00"}}`},
		{"spaces", " {\n \"v\" : 1 ,\r\n\t\"article\" : { \"id\" : \"a\" , \"removed\" : [ ] } } "},
		{"numbers", `{"v":-0,"article":{"id":"a","lang_confidence":-1.5e-3}}`},
		{"exponent", `{"v":1,"article":{"id":"a","lang_confidence":2E+2}}`},
		{"removals", `{"v":1,"article":{"id":"a","removed":[{"text":"t","reason":"r","layer":"l"},{}]}}`},
		{"empty objects", `{"v":1,"article":{}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := decodeFast([]byte(tc.in))
			if !ok {
				t.Fatalf("the fast reader gave up on %s", tc.in)
			}
			want, err := slowDecode([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// FuzzDecodeFast checks that whatever the fast reader accepts, encoding/json
// accepts too and reads the same.
func FuzzDecodeFast(f *testing.F) {
	for _, a := range sampleArticles() {
		b, err := Encode(a)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"v":1,"article":{"id":"a\u00e9\ud83d\ude00","lang_confidence":1e2}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !utf8.Valid(data) {
			return
		}
		got, ok := decodeFast(data)
		if !ok {
			return
		}
		want, err := slowDecode(data)
		if err != nil {
			t.Fatalf("fast reader accepted what encoding/json refuses (%v): %q", err, data)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got %+v\nwant %+v", data, got, want)
		}
	})
}

// BenchmarkDecodePage reads the raw message of a 50 KB page, as the
// extractor does for every fetched page.
func BenchmarkDecodePage(b *testing.B) {
	var page strings.Builder
	for page.Len() < 50<<10 {
		page.WriteString(`<div class="related"><a href="/story/1?ref=home">Another "story" about something</a></div>` + "\n")
	}
	msg, err := Encode(Article{ID: "p", URL: "https://example.org/p", Source: "example.org", HTML: page.String()})
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		decode func([]byte) error
	}{
		{"fast", func(d []byte) error { _, err := Decode(d); return err }},
		{"encoding-json", func(d []byte) error { _, err := slowDecode(d); return err }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				if err := tc.decode(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
