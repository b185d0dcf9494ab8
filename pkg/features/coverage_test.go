package features

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"unicode/utf8"
)

// coverageSets are the pair sets of ../shared/eval whose articles
// TestGlossCoverage counts.
var coverageSets = []string{"semeval2022-pairs-dev.jsonl", "italian-story-pairs-dev.jsonl"}

// TestGlossCoverage reports, per language, the share of content words (the
// terms Of computes, every occurrence) that the lexicon glosses, over the
// distinct articles of the shared pair sets. It measures the lexicon's
// reach (docs/quality.md, "Bilingual lexicon") and asserts nothing; it runs
// only when NEWSDEDUP_COVERAGE is set, and NEWSDEDUP_COVERAGE=N also lists
// each language's N most frequent words without a gloss.
//
//	NEWSDEDUP_COVERAGE=1 go test -run TestGlossCoverage -v ./pkg/features
func TestGlossCoverage(t *testing.T) {
	env := os.Getenv("NEWSDEDUP_COVERAGE")
	if env == "" {
		t.Skip("set NEWSDEDUP_COVERAGE=1 to measure the lexicon's coverage")
	}
	misses, _ := strconv.Atoi(env)
	x := installedExtractor(t)
	arts, err := coverageArticles(filepath.Join("..", "..", "..", "shared", "eval"))
	if err != nil {
		t.Skipf("evaluation sets not found: %v", err)
	}
	type count struct {
		words, glossed int
		compounds      int // glossed through their parts
		missed         map[string]int
	}
	counts := make(map[string]*count)
	var buf [4]string
	for _, a := range arts {
		lang := BaseLang(a.Lang)
		c := counts[lang]
		if c == nil {
			c = &count{missed: make(map[string]int)}
			counts[lang] = c
		}
		table := x.table(lang)
		for _, field := range []string{a.Title, a.Text} {
			if field == "" {
				continue
			}
			for _, tk := range x.termStream(lang, field, tokenize(field)) {
				if utf8.RuneCount(tk.Term) < 2 || allDigits(tk.Term) {
					continue
				}
				c.words++
				if len(x.glosses(table, lang, string(tk.Term), buf[:0])) > 0 {
					c.glossed++
				} else if _, _, ok := x.compound(table, lang, string(tk.Term), buf[:0]); ok {
					c.glossed++
					c.compounds++
				} else {
					c.missed[string(tk.Term)]++
				}
			}
		}
	}
	langs := make([]string, 0, len(counts))
	for l := range counts {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	for _, l := range langs {
		c := counts[l]
		t.Logf("%s: %3.0f %% of %d content words glossed (%.1f %% as compounds)", l, 100*float64(c.glossed)/float64(max(c.words, 1)), c.words,
			100*float64(c.compounds)/float64(max(c.words, 1)))
		if misses > 0 && l != "en" {
			ws := make([]string, 0, len(c.missed))
			for w := range c.missed {
				ws = append(ws, w)
			}
			slices.SortFunc(ws, func(a, b string) int {
				return cmp.Or(cmp.Compare(c.missed[b], c.missed[a]), cmp.Compare(a, b))
			})
			out := ""
			for _, w := range ws[:min(misses, len(ws))] {
				out += fmt.Sprintf(" %s(%d)", w, c.missed[w])
			}
			t.Logf("%s missed:%s", l, out)
		}
	}
}

// coverageArticle is one article of a pair set.
type coverageArticle struct {
	ID    string `json:"id"`
	Lang  string `json:"lang"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// coverageArticles reads the distinct articles of the pair sets in dir.
func coverageArticles(dir string) ([]coverageArticle, error) {
	seen := make(map[string]bool)
	var out []coverageArticle
	for _, name := range coverageSets {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("coverage: %w", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var p struct{ A, B coverageArticle }
			if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
				f.Close()
				return nil, fmt.Errorf("coverage: %s: %w", name, err)
			}
			for _, a := range []coverageArticle{p.A, p.B} {
				if key := name + "/" + a.ID; !seen[key] {
					seen[key] = true
					out = append(out, a)
				}
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("coverage: %s: %w", name, err)
		}
	}
	return out, nil
}
