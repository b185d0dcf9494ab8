// Package extract turns a fetched page into clean article text: it finds the
// main content of an HTML page, then removes boilerplate (calls to action,
// widgets, credits, related-story blocks, repeated titles…) from the text,
// recording every removal with its reason so that an editor can contest it.
//
// Extract's removals come from two layers: a lexicon of phrases per
// language (data files in lexicon/, one per language code) and structural
// rules that need no vocabulary. A third layer, SourceModel, learns what
// recurs across many articles of one site and runs on extracted articles
// with a shared Counts store. When in doubt, a block stays.
//
// Package eval (below this one) holds the measure that scores extraction
// against ground truth; docs/extraction.md has the figures.
package extract

import (
	"fmt"
	"io/fs"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/textenc"
)

// DefaultMaxBytes is the input size limit when Config.MaxBytes is zero.
const DefaultMaxBytes = 20 << 20

// Config configures an Extractor. The zero value is ready to use.
type Config struct {
	// MaxBytes is the largest input (HTML plus text) accepted; 0 means
	// DefaultMaxBytes.
	MaxBytes int
	// Languages limits the embedded lexicons to these codes ("it", "fr"…);
	// empty means all of them. Boilerplate often comes in the site's
	// language, not the article's, so all is the safe default.
	Languages []string
	// Lexicons adds phrase files on top of the embedded ones: every *.txt at
	// its root, in the same "kind<TAB>phrase" format, named by language.
	Lexicons fs.FS
}

// Extractor extracts article text. It is safe for concurrent use.
type Extractor struct {
	maxBytes int
	lex      *lexicon
}

// New builds an Extractor, loading the lexicons.
func New(cfg Config) (*Extractor, error) {
	if cfg.MaxBytes < 0 {
		return nil, fmt.Errorf("extract: negative MaxBytes %d", cfg.MaxBytes)
	}
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	lx, err := loadLexicon(cfg.Languages, cfg.Lexicons)
	if err != nil {
		return nil, err
	}
	return &Extractor{maxBytes: cfg.MaxBytes, lex: lx}, nil
}

// Input is a page to extract: HTML when there is any, else Text. Title is
// the title known from the feed, if any; URL names the page in errors.
type Input struct {
	HTML, Text, Title, URL string
}

// Result is the extracted article.
type Result struct {
	Title, Author string
	Published     *time.Time
	// Text is the cleaned article text, paragraphs separated by "\n\n".
	Text string
	// Removed lists every block taken out, with the reason and the layer
	// ("lexicon" or "structure") that took it.
	Removed []article.Removal
	// Empty is true when the page held nothing but boilerplate.
	Empty bool
}

// Extract extracts the article from in.HTML, or from in.Text when there is
// no HTML. It fails only on input that is not text: too large, binary or
// empty; a page with nothing but boilerplate gives Result.Empty.
func (e *Extractor) Extract(in Input) (Result, error) {
	res, err := e.extract(in)
	if err != nil && in.URL != "" {
		err = fmt.Errorf("%s: %w", in.URL, err)
	}
	return res, err
}

func (e *Extractor) extract(in Input) (Result, error) {
	if len(in.HTML)+len(in.Text) > e.maxBytes {
		return Result{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(in.HTML)+len(in.Text), e.maxBytes)
	}
	isHTML := strings.TrimSpace(in.HTML) != ""
	src := in.Text
	if isHTML {
		src = in.HTML
	}
	if strings.TrimSpace(src) == "" {
		return Result{}, ErrEmptyInput
	}
	src, err := toText(src, isHTML)
	if err != nil {
		return Result{}, err
	}

	var (
		blocks  []block
		removed []article.Removal
		meta    pageMeta
	)
	if isHTML {
		blocks, meta, removed = extractHTML(src)
	} else {
		blocks = splitText(src)
	}
	title := strings.TrimSpace(in.Title)
	if title == "" {
		title = meta.title
	}
	c := e.clean(blocks, title)
	res := Result{
		Title:     c.title,
		Author:    meta.author,
		Published: meta.published,
		Text:      c.text,
		Removed:   append(removed, c.removed...),
	}
	res.Empty = res.Text == ""
	return res, nil
}

// Apply extracts a.HTML (or a.Text when there is no HTML) and stores the
// outcome in a: cleaned Text, Removed, Extracted, Empty, and Title, Author
// and Published where a had none. The HTML is dropped.
func (e *Extractor) Apply(a article.Article) (article.Article, error) {
	res, err := e.Extract(Input{HTML: a.HTML, Text: a.Text, Title: a.Title, URL: a.URL})
	if err != nil {
		return a, fmt.Errorf("extract article %q: %w", a.ID, err)
	}
	a.Text = res.Text
	a.Removed = res.Removed
	a.Extracted = true
	a.Empty = res.Empty
	if a.Title == "" {
		a.Title = res.Title
	}
	if a.Author == "" {
		a.Author = res.Author
	}
	if a.Published == nil {
		a.Published = res.Published
	}
	a.HTML = ""
	return a, nil
}

// binaryShare is the share of invalid bytes and control characters above
// which input is taken for binary data.
const binaryShare = 0.25

// toText makes src valid UTF-8 text: UTF-16 with a byte-order mark, HTML
// in a declared legacy charset and text without one valid UTF-8 sequence
// (windows-1252) are decoded, remaining invalid bytes become U+FFFD. Binary
// data is refused.
func toText(src string, isHTML bool) (string, error) {
	switch {
	case strings.HasPrefix(src, "\xef\xbb\xbf"):
		src = src[3:]
	case strings.HasPrefix(src, "\xff\xfe"), strings.HasPrefix(src, "\xfe\xff"):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		if s, err := dec.String(src); err == nil {
			src = s
		}
	}
	if strings.IndexByte(src, 0) >= 0 {
		return "", fmt.Errorf("%w: NUL byte", ErrBinary)
	}
	valid := utf8.ValidString(src)
	if isHTML && !valid {
		if s, ok := textenc.Declared(src); ok {
			src, valid = s, utf8.ValidString(s)
		}
	}
	if bad, n := notText(src); float64(bad) > binaryShare*float64(n) {
		return "", fmt.Errorf("%w: %d of %d characters are not text", ErrBinary, bad, n)
	}
	if !valid {
		// Nothing declared its encoding: a text without one valid
		// multi-byte sequence is windows-1252 (an old Latin-1 file), so
		// "Caf\xe9" is "Café", not "Caf\uFFFD"; other bad bytes are U+FFFD.
		return textenc.Undeclared(src), nil
	}
	return src, nil
}

// notText counts invalid bytes and control characters among the first 64k
// characters of s, and how many characters it looked at.
func notText(s string) (bad, n int) {
	const limit = 1 << 16
	for i := 0; i < len(s) && n < limit; {
		// Printable ASCII, most of any page, is passed eight bytes at once.
		if i+8 <= len(s) && n+8 <= limit && printableASCII8(s[i:i+8]) {
			i += 8
			n += 8
			continue
		}
		n++
		if c := s[i]; c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f {
				bad++
			}
			i++
			continue
		}
		// Above ASCII only an invalid byte is not text.
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		}
		i += size
	}
	return bad, n
}

// printableASCII8 reports whether the eight bytes of s all lie in 0x20-0x7e.
func printableASCII8(s string) bool {
	_ = s[7]
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	// With no byte at 0x80 or above, taking 0x20 from every byte sets a high
	// bit only where a byte was below 0x20, and adding 1 only where it was
	// 0x7f.
	return x&highs == 0 && (x-0x20*ones)&highs == 0 && (x+ones)&highs == 0
}
