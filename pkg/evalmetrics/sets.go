package evalmetrics

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// ErrFormat is returned for a line that is not a record of the expected
// kind.
var ErrFormat = errors.New("evalmetrics: bad record")

// pairSide is one article of a pair line.
type pairSide struct {
	ID    string `json:"id"`
	Lang  string `json:"lang"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

func (s pairSide) article() article.Article {
	return article.Article{ID: s.ID, Lang: s.Lang, LangGiven: s.Lang != "", Title: s.Title, Text: s.Text}
}

// Pair is one line of a pair set: two articles, whether they report the
// same story (nil when the set leaves it open) and the set's native label.
type Pair struct {
	ID        string
	A, B      article.Article
	SameStory *bool
	// Overall is SemEval's rating, 1 = very similar … 4 = very dissimilar.
	Overall *float64
	// Label is a graded label where higher means closer (3 = same story).
	Label             *float64
	MachineTranslated bool
}

// LangPair names the languages of a pair as the set writes them ("de-en").
func (p Pair) LangPair() string { return p.A.Lang + "-" + p.B.Lang }

// Native returns the native label oriented so that higher means more
// similar (Overall negated), its name, and whether the pair has one.
func (p Pair) Native() (v float64, name string, ok bool) {
	switch {
	case p.Overall != nil:
		return -*p.Overall, "overall", true
	case p.Label != nil:
		return *p.Label, "label", true
	}
	return 0, "", false
}

type pairLine struct {
	PairID            string   `json:"pair_id"`
	A                 pairSide `json:"a"`
	B                 pairSide `json:"b"`
	SameStory         *bool    `json:"same_story"`
	Overall           *float64 `json:"overall"`
	Label             *float64 `json:"label"`
	MachineTranslated bool     `json:"machine_translated"`
}

// ReadPairs reads a pair set, one JSON object a line.
func ReadPairs(r io.Reader) ([]Pair, error) {
	var out []Pair
	err := eachLine(r, func(n int, line []byte) error {
		var l pairLine
		if err := json.Unmarshal(line, &l); err != nil {
			return fmt.Errorf("%w: line %d: %v", ErrFormat, n, err)
		}
		if l.A.ID == "" || l.B.ID == "" {
			return fmt.Errorf("%w: line %d: pair without article ids", ErrFormat, n)
		}
		id := l.PairID
		if id == "" {
			id = l.A.ID + "_" + l.B.ID
		}
		out = append(out, Pair{ID: id, A: l.A.article(), B: l.B.article(), SameStory: l.SameStory,
			Overall: l.Overall, Label: l.Label, MachineTranslated: l.MachineTranslated})
		return nil
	})
	return out, err
}

// Item is one line of a clustering set: an article and its gold labels.
type Item struct {
	Article article.Article
	Story   string
	Topic   string // empty when the set has none
}

type itemLine struct {
	ID        string          `json:"id"`
	Lang      string          `json:"lang"`
	Title     string          `json:"title"`
	Text      string          `json:"text"`
	Story     string          `json:"story"`
	Topic     string          `json:"topic"`
	Published json.RawMessage `json:"published"` // a time as a string, or Unix seconds or milliseconds
	URL       string          `json:"url"`
	Source    string          `json:"source"`
}

// ReadItems reads a clustering set. Items come back in file order, or
// ordered by publication time when every item has one.
func ReadItems(r io.Reader) ([]Item, error) {
	var out []Item
	dated := 0
	err := eachLine(r, func(n int, line []byte) error {
		var l itemLine
		if err := json.Unmarshal(line, &l); err != nil {
			return fmt.Errorf("%w: line %d: %v", ErrFormat, n, err)
		}
		if l.ID == "" {
			return fmt.Errorf("%w: line %d: article without id", ErrFormat, n)
		}
		a := article.Article{ID: l.ID, Lang: l.Lang, LangGiven: l.Lang != "", Title: l.Title, Text: l.Text, URL: l.URL, Source: l.Source}
		if t, ok := publishedTime(l.Published); ok {
			a.Published = &t
			dated++
		}
		out = append(out, Item{Article: a, Story: l.Story, Topic: l.Topic})
		return nil
	})
	if err == nil && dated == len(out) && dated > 0 {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Article.Published.Before(*out[j].Article.Published) })
	}
	return out, err
}

// publishedTime reads an item's published value: a time as text, or a
// number of Unix seconds (milliseconds from 10^11 on, that is after 1973),
// as sets exported by other tools give them. ok is false for none.
func publishedTime(raw json.RawMessage) (time.Time, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return parseTime(strings.TrimSpace(s))
	}
	var n float64
	if json.Unmarshal(raw, &n) != nil || n <= 0 {
		return time.Time{}, false
	}
	if n >= 1e11 {
		return time.UnixMilli(int64(n)).UTC(), true
	}
	return time.Unix(int64(n), 0).UTC(), true
}

// timeLayouts are the published times read: RFC 3339 and its common
// relaxations (a space for the T, a zone without a colon, no zone: UTC,
// no seconds), then HTTP and mail dates.
var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05Z0700",
	"2006-01-02 15:04:05 Z07:00", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04",
	"2006-01-02", time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ReadPairsFile and ReadItemsFile read a set from a file.
func ReadPairsFile(path string) ([]Pair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open pair set: %w", err)
	}
	defer f.Close()
	ps, err := ReadPairs(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ps, nil
}

// ReadItemsFile reads a clustering set from a file.
func ReadItemsFile(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open clustering set: %w", err)
	}
	defer f.Close()
	it, err := ReadItems(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return it, nil
}

func eachLine(r io.Reader, f func(n int, line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(trimSpace(line)) == 0 {
			continue
		}
		if err := f(n, line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read line %d: %w", n+1, err)
	}
	return nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
