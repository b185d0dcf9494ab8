package render

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrSource is returned for a corpus file that cannot be read as an article.
var ErrSource = errors.New("render: bad corpus source")

// Source is one article as written in the corpus: a header of "key: value"
// lines, a "---" line, then paragraphs separated by blank lines. A paragraph
// that starts with "## " is a subheading.
type Source struct {
	Outlet    string
	Slug      string
	Title     string
	Author    string
	Section   string
	Summary   string
	Story     string
	Photo     string
	Credit    string
	Published time.Time
	Paras     []Para
}

// Para is one block of body text.
type Para struct {
	Text    string
	Heading bool
}

// Path is where the rendered page lives, relative to the site root.
func (s Source) Path() string { return s.Outlet + "/" + s.Slug + ".html" }

// Words counts the body words, subheadings excluded.
func (s Source) Words() int {
	n := 0
	for _, p := range s.Paras {
		if !p.Heading {
			n += len(strings.Fields(p.Text))
		}
	}
	return n
}

// ParseSource reads one corpus file.
func ParseSource(outlet, slug, text string) (Source, error) {
	s := Source{Outlet: outlet, Slug: slug}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	inBody := false
	var cur []string
	flush := func() {
		if len(cur) == 0 {
			return
		}
		t := strings.Join(cur, " ")
		cur = nil
		if h, ok := strings.CutPrefix(t, "## "); ok {
			s.Paras = append(s.Paras, Para{Text: h, Heading: true})
			return
		}
		s.Paras = append(s.Paras, Para{Text: t})
	}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !inBody {
			if line == "---" {
				inBody = true
				continue
			}
			if line == "" {
				continue
			}
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				return s, fmt.Errorf("%w: %s: header line %q", ErrSource, s.Path(), line)
			}
			if err := s.set(strings.TrimSpace(k), strings.TrimSpace(v)); err != nil {
				return s, err
			}
			continue
		}
		if line == "" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	if err := sc.Err(); err != nil {
		return s, fmt.Errorf("%w: %s: %v", ErrSource, s.Path(), err)
	}
	switch {
	case s.Title == "", s.Author == "", s.Story == "", s.Summary == "", s.Published.IsZero():
		return s, fmt.Errorf("%w: %s: title, author, story, summary and published are required", ErrSource, s.Path())
	case len(s.Paras) == 0:
		return s, fmt.Errorf("%w: %s: no body", ErrSource, s.Path())
	}
	return s, nil
}

func (s *Source) set(k, v string) error {
	switch k {
	case "title":
		s.Title = v
	case "author":
		s.Author = v
	case "section":
		s.Section = v
	case "summary":
		s.Summary = v
	case "story":
		s.Story = v
	case "photo":
		s.Photo = v
	case "credit":
		s.Credit = v
	case "published":
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return fmt.Errorf("%w: %s: published: %v", ErrSource, s.Path(), err)
		}
		s.Published = t
	default:
		return fmt.Errorf("%w: %s: unknown header %q", ErrSource, s.Path(), k)
	}
	return nil
}
