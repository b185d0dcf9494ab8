package article

import (
	"bytes"
	"errors"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTPS://WWW.Example.ORG:443/a/b/?utm_source=x&b=2&a=1#frag", "https://www.example.org/a/b?a=1&b=2"},
		{"http://example.org:80/", "http://example.org/"},
		{"http://example.org:8080/x?fbclid=1", "http://example.org:8080/x"},
		{"  not a url  ", "not a url"},
	}
	for _, tt := range tests {
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDefaultID(t *testing.T) {
	a := DefaultID("https://example.org/x?utm_medium=rss", "")
	b := DefaultID("https://EXAMPLE.org/x", "other content")
	if a != b || len(a) != 16 {
		t.Errorf("same canonical URL, different ids: %q %q", a, b)
	}
	if DefaultID("", "one  two\nthree") != DefaultID("", "one two three") {
		t.Error("content id depends on whitespace")
	}
	if DefaultID("", "x") == DefaultID("", "y") {
		t.Error("different content, same id")
	}
}

func TestEncodeDecode(t *testing.T) {
	b, err := Encode(Article{ID: "a1", Title: "T", Text: "body"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil || got.ID != "a1" || got.Text != "body" {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"not json", "garbage", ErrInvalid},
		{"invalid utf-8", "{\"v\":1,\"article\":{\"id\":\"x\",\"text\":\"\xff\xfe\"}}", ErrInvalid},
		{"no id", `{"v":1,"article":{"text":"x"}}`, ErrInvalid},
		{"newer schema", `{"v":2,"article":{"id":"x"}}`, ErrUnknownVersion},
		{"no version", `{"article":{"id":"x"}}`, ErrUnknownVersion},
	}
	for _, tt := range tests {
		if _, err := Decode([]byte(tt.in)); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestEncodeKeepsMarkup checks that a page's markup is written as itself,
// not escaped, and reads back unchanged.
func TestEncodeKeepsMarkup(t *testing.T) {
	page := `<p class="lead">Place Beauvau & "les préfets"</p>`
	b, err := Encode(Article{ID: "a1", HTML: page})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`<p class=\"lead\">Place Beauvau & `)) || bytes.HasSuffix(b, []byte("\n")) {
		t.Errorf("encoded %s: want the markup unescaped and no trailing newline", b)
	}
	got, err := Decode(b)
	if err != nil || got.HTML != page {
		t.Errorf("decoded %q, %v; want %q", got.HTML, err, page)
	}
}
