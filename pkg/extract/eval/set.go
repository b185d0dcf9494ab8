package eval

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MaxPageBytes bounds how much of one page file is read, gzip or not.
const MaxPageBytes = 64 << 20

// Case is one page of an evaluation set laid out as
// DIR/ground-truth.json ({"<key>": {"articleBody", "url"}}) and
// DIR/html/<key>.html.gz, .html, .htm, .txt or .txt.gz. An entry may
// also carry "title", the title a feed would deliver with the page.
type Case struct {
	Key   string
	URL   string
	Title string // the title a feed would give, when the set records one
	Want  string // the true article body
	Path  string // the page file
}

// IsHTML reports whether the page is HTML; .txt pages are plain text.
func (c Case) IsHTML() bool {
	return !strings.HasSuffix(strings.TrimSuffix(c.Path, ".gz"), ".txt")
}

// Read returns the page's content, decompressed when it is gzip.
func (c Case) Read() (string, error) {
	f, err := os.Open(c.Path)
	if err != nil {
		return "", fmt.Errorf("read page %s: %w", c.Key, err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(c.Path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return "", fmt.Errorf("read page %s: %w", c.Key, err)
		}
		defer zr.Close()
		r = zr
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxPageBytes))
	if err != nil {
		return "", fmt.Errorf("read page %s: %w", c.Key, err)
	}
	return string(b), nil
}

// pageExts are the page file names tried for a key, in order.
var pageExts = []string{".html.gz", ".html", ".htm", ".txt", ".txt.gz"}

// Load reads the ground truth of the set in dir and finds each key's page,
// sorted by key.
func Load(dir string) ([]Case, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSet, err)
	}
	var truth map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
		Title       string `json:"title"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		return nil, fmt.Errorf("%w: ground-truth.json: %w", ErrBadSet, err)
	}
	cases := make([]Case, 0, len(truth))
	for key, t := range truth {
		c := Case{Key: key, URL: t.URL, Title: t.Title, Want: t.ArticleBody}
		for _, ext := range pageExts {
			p := filepath.Join(dir, "html", key+ext)
			if _, err := os.Stat(p); err == nil {
				c.Path = p
				break
			}
		}
		if c.Path == "" {
			return nil, fmt.Errorf("%w: %s in %s", ErrNoPage, key, filepath.Join(dir, "html"))
		}
		cases = append(cases, c)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].Key < cases[j].Key })
	return cases, nil
}

// Engine extracts the article body from a page of the set.
type Engine func(ctx context.Context, c Case, page string) (string, error)

// Result is the outcome on one page. An extraction error leaves Got empty
// and is kept in Err: the page still counts, with nothing extracted.
type Result struct {
	Case
	Got string
	Page
	Err error
}

// Run extracts every page with engine and scores it. It stops early only
// when ctx ends.
func Run(ctx context.Context, cases []Case, engine Engine) ([]Result, Summary, error) {
	out := make([]Result, 0, len(cases))
	pages := make([]Page, 0, len(cases))
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return out, Summarize(pages), err
		}
		r := Result{Case: c}
		page, err := c.Read()
		if err == nil {
			r.Got, err = engine(ctx, c, page)
		}
		r.Err = err
		r.Page = Score(r.Got, c.Want)
		out = append(out, r)
		pages = append(pages, r.Page)
	}
	return out, Summarize(pages), nil
}
