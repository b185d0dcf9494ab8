package extract

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// evalDir holds the shared extraction benchmark: gzip pages and their true
// article bodies.
var evalDir = filepath.Join("..", "..", "..", "shared", "eval", "extraction")

// minEvalF1 guards against regressions on the shared extraction set; the
// figure measured when it was set is in the test log.
const minEvalF1 = 0.85

// TestExtractionBenchmark scores HTML extraction on the shared set the way
// the set defines it: 4-token shingles of \w+ tokens, precision and recall
// averaged over pages, F1 from the averages.
func TestExtractionBenchmark(t *testing.T) {
	if testing.Short() {
		t.Skip("extraction benchmark skipped in -short mode")
	}
	raw, err := os.ReadFile(filepath.Join(evalDir, "ground-truth.json"))
	if err != nil {
		t.Skipf("extraction set not found at %s (it lives beside the checkout): %v", evalDir, err)
	}
	var truth map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(truth))
	for k := range truth {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	e := newTestExtractor(t)
	var sumP, sumR float64
	pages := 0
	for _, k := range keys {
		page, err := readGzip(filepath.Join(evalDir, "html", k+".html.gz"))
		if err != nil {
			t.Logf("%s: %v", k, err)
			continue
		}
		res, err := e.Extract(Input{HTML: page, URL: truth[k].URL})
		if err != nil {
			t.Logf("%s: %v", k, err)
		}
		p, r := shingleScore(res.Text, truth[k].ArticleBody)
		if testing.Verbose() {
			t.Logf("%s P=%.3f R=%.3f %s", k[:8], p, r, truth[k].URL)
		}
		sumP += p
		sumR += r
		pages++
	}
	if pages == 0 {
		t.Skip("no pages readable")
	}
	p, r := sumP/float64(pages), sumR/float64(pages)
	f1 := 2 * p * r / (p + r)
	t.Logf("extraction set: %d pages, precision %.3f, recall %.3f, F1 %.3f", pages, p, r, f1)
	if f1 < minEvalF1 {
		t.Errorf("F1 %.3f below %.3f", f1, minEvalF1)
	}
}

func readGzip(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(zr)
	return string(b), err
}

// wordRe is \w+ as the set means it: Unicode letters, digits and _.
var wordRe = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// shingleScore is the set's measure for one page: tp, fp and fn counted on
// multisets of 4-token shingles, normalised by their sum.
func shingleScore(got, want string) (precision, recall float64) {
	g, w := shingles(got), shingles(want)
	var tp, fp, fn float64
	for s, n := range g {
		m := w[s]
		tp += float64(min(n, m))
		fp += float64(max(n-m, 0))
	}
	for s, m := range w {
		fn += float64(max(m-g[s], 0))
	}
	total := tp + fp + fn
	if total == 0 {
		return 1, 1
	}
	tp, fp, fn = tp/total, fp/total, fn/total
	// Nothing extracted, or nothing to find, scores 0 on that side: the
	// conservative reading of 0/0.
	if tp+fp > 0 {
		precision = tp / (tp + fp)
	}
	if tp+fn > 0 {
		recall = tp / (tp + fn)
	}
	return precision, recall
}

func shingles(s string) map[string]int {
	toks := wordRe.FindAllString(s, -1)
	out := map[string]int{}
	if len(toks) < 4 {
		if len(toks) > 0 {
			out[strings.Join(toks, " ")]++
		}
		return out
	}
	for i := 0; i+4 <= len(toks); i++ {
		out[strings.Join(toks[i:i+4], " ")]++
	}
	return out
}
