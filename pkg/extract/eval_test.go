package extract

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/extract/eval"
)

// The figures recorded when the extractor last changed (docs/extraction.md
// has the history). A test fails when F1 falls more than evalSlack below.
const (
	// sharedSetF1 is measured on the shared extraction set (90 real pages).
	sharedSetF1 = 0.9850
	// ownSetF1 is measured on testdata/evalset (37 pages written for it).
	ownSetF1  = 0.9999
	evalSlack = 0.02
)

var (
	// sharedSetDir holds the shared benchmark, beside the checkout.
	sharedSetDir = filepath.Join("..", "..", "..", "shared", "eval", "extraction")
	ownSetDir    = filepath.Join("testdata", "evalset")
)

// TestExtractionSharedSet scores HTML extraction on the shared set with its
// own measure (see package eval).
func TestExtractionSharedSet(t *testing.T) {
	if testing.Short() {
		t.Skip("extraction set skipped in -short mode")
	}
	cases, err := eval.Load(sharedSetDir)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("extraction set not found at %s (it lives beside the checkout): %v", sharedSetDir, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	runEvalSet(t, cases, sharedSetF1)
}

// TestExtractionOwnSet scores extraction on the pages written for this
// package: HTML and feed text in it, fr, en, de and es.
func TestExtractionOwnSet(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluation set skipped in -short mode")
	}
	cases, err := eval.Load(ownSetDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 30 {
		t.Errorf("only %d pages in %s", len(cases), ownSetDir)
	}
	runEvalSet(t, cases, ownSetF1)
}

func runEvalSet(t *testing.T, cases []eval.Case, recorded float64) {
	t.Helper()
	e := newTestExtractor(t)
	engine := func(_ context.Context, c eval.Case, page string) (string, error) {
		in := Input{Text: page, Title: c.Title, URL: c.URL}
		if c.IsHTML() {
			in = Input{HTML: page, Title: c.Title, URL: c.URL}
		}
		res, err := e.Extract(in)
		return res.Text, err
	}
	results, sum, err := eval.Run(context.Background(), cases, engine)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Key, r.Err)
		}
		if testing.Verbose() {
			p, _ := r.Precision()
			rc, _ := r.Recall()
			t.Logf("%-20.20s P=%.3f R=%.3f %s", r.Key, p, rc, r.URL)
		}
	}
	t.Logf("%d pages: precision %.4f, recall %.4f, F1 %.4f (recorded %.4f)", sum.Pages, sum.Precision, sum.Recall, sum.F1, recorded)
	if sum.F1 < recorded-evalSlack {
		t.Errorf("F1 %.4f is more than %.2f below the recorded %.4f", sum.F1, evalSlack, recorded)
	}
}
