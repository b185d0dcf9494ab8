// Package ingest reads articles from files: plain text, HTML pages and JSON
// Lines, optionally gzip-compressed. It is what `newsdedup import` and the
// offline tools share.
package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/textenc"
)

// ErrUnsupported is returned for a file whose kind is not known.
var ErrUnsupported = errors.New("ingest: unsupported file type (want .txt, .html, .htm or .jsonl, optionally .gz)")

// ErrBadLine is returned for a JSON Lines record that cannot be an article.
var ErrBadLine = errors.New("ingest: bad JSON Lines record")

// MaxFileBytes bounds what is read of one file.
const MaxFileBytes = 64 << 20

// Record is the JSON Lines form of an article accepted by import and dedup.
type Record struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Source    string `json:"source"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
	Lang      string `json:"lang"`
	Published string `json:"published"`
}

// Article turns a record into an article, giving it an id when it has none.
func (r Record) Article() (article.Article, error) {
	if strings.TrimSpace(r.Text) == "" && strings.TrimSpace(r.HTML) == "" {
		return article.Article{}, fmt.Errorf("%w: neither text nor html", ErrBadLine)
	}
	a := article.Article{
		ID: r.ID, URL: r.URL, Source: r.Source, Title: r.Title, Text: r.Text, HTML: r.HTML,
		Lang: strings.ToLower(r.Lang), LangGiven: r.Lang != "",
	}
	if r.Published != "" {
		t, err := ParseTime(r.Published)
		if err != nil {
			return article.Article{}, fmt.Errorf("%w: published: %w", ErrBadLine, err)
		}
		a.Published = &t
	}
	if a.ID == "" {
		a.ID = article.DefaultID(r.URL, r.Title+"\n"+r.Text+r.HTML)
	}
	if a.Source == "" {
		a.Source = SourceOf(r.URL)
	}
	return a, nil
}

// ParseTime accepts the date forms feeds and datasets use.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02", time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unknown time format %q", s)
}

// SourceOf names a source by its host, without "www.".
func SourceOf(rawURL string) string {
	u := article.CanonicalURL(rawURL)
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	} else {
		return ""
	}
	if i := strings.IndexAny(u, "/?"); i >= 0 {
		u = u[:i]
	}
	return strings.TrimPrefix(u, "www.")
}

// Expand turns files and directories into the sorted list of readable files.
func Expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && Supported(path) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ingest: walk %s: %w", p, err)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// Supported reports whether ReadFile understands the file's name.
func Supported(path string) bool { return kindOf(path) != "" }

func kindOf(path string) string {
	name := strings.ToLower(strings.TrimSuffix(strings.ToLower(path), ".gz"))
	switch filepath.Ext(name) {
	case ".txt":
		return "txt"
	case ".html", ".htm":
		return "html"
	case ".jsonl", ".ndjson":
		return "jsonl"
	}
	return ""
}

// ReadFile reads the articles of one file. For JSON Lines, a bad record does
// not stop the rest: it is reported in errs with its line number.
func ReadFile(path string) (arts []article.Article, errs []error, err error) {
	kind := kindOf(path)
	if kind == "" {
		return nil, nil, fmt.Errorf("%s: %w", path, ErrUnsupported)
	}
	data, err := readAll(path)
	if err != nil {
		return nil, nil, err
	}
	base := strings.TrimSuffix(filepath.Base(path), ".gz")
	base = strings.TrimSuffix(base, filepath.Ext(base))
	switch kind {
	case "txt":
		// The first line of a text file is not assumed to be a title: feeds
		// often deliver a site header or the lead there. A file is decoded
		// here, while its bytes are at hand: the bus carries UTF-8 only.
		text, err := textenc.Text(data, "")
		if err != nil {
			return nil, nil, fmt.Errorf("ingest: %s: %w", path, err)
		}
		return []article.Article{{ID: base, Text: text}}, nil, nil
	case "html":
		page, err := textenc.HTML(data, "")
		if err != nil {
			return nil, nil, fmt.Errorf("ingest: %s: %w", path, err)
		}
		return []article.Article{{ID: base, HTML: page}}, nil, nil
	}
	// JSON is UTF-8, but files written by older tools are not always: a
	// byte-order mark (UTF-16 too) decodes the whole file, and a line that
	// is not UTF-8 is read as textenc.Undeclared reads text, since
	// encoding/json would turn each of its bytes into U+FFFD.
	if textenc.HasBOM(data) {
		text, err := textenc.Text(data, "")
		if err != nil {
			return nil, nil, fmt.Errorf("ingest: %s: %w", path, err)
		}
		data = []byte(text)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), MaxFileBytes)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if !utf8.Valid(line) {
			line = []byte(textenc.Undeclared(string(line)))
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w: %v", path, n, ErrBadLine, err))
			continue
		}
		a, err := r.Article()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", path, n, err))
			continue
		}
		arts = append(arts, a)
	}
	if err := sc.Err(); err != nil {
		return arts, errs, fmt.Errorf("%s: %w", path, err)
	}
	return arts, errs, nil
}

func readAll(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("ingest: %s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("ingest: read %s: %w", path, err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("ingest: %s is larger than %d bytes", path, MaxFileBytes)
	}
	return data, nil
}
