package evalmetrics

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// ErrNoSets is returned by ReadArticlesDir for a directory without sets.
var ErrNoSets = errors.New("evalmetrics: no evaluation sets")

// ReadArticlesDir reads the article texts of every set in dir (its *.jsonl
// files, in name order): each item of a clustering set, then both sides of
// each pair of a pair set, in file order; an article that sits in several
// pairs comes once per pair. It is for benchmarks and tests that need real
// texts of many languages rather than a set's labels.
func ReadArticlesDir(dir string) ([]article.Article, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("evalmetrics: list %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoSets, dir)
	}
	var out []article.Article
	for _, name := range files {
		if out, err = appendArticles(out, name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// appendArticles appends the articles of one set, whatever its kind.
func appendArticles(out []article.Article, name string) ([]article.Article, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("evalmetrics: %w", err)
	}
	defer f.Close()
	err = eachLine(f, func(n int, line []byte) error {
		var l struct {
			pairSide
			A *pairSide `json:"a"`
			B *pairSide `json:"b"`
		}
		if err := json.Unmarshal(line, &l); err != nil {
			return fmt.Errorf("%w: line %d: %v", ErrFormat, n, err)
		}
		if l.A == nil && l.B == nil {
			out = append(out, l.article())
			return nil
		}
		for _, s := range []*pairSide{l.A, l.B} {
			if s != nil {
				out = append(out, s.article())
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}
