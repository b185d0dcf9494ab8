package langid

import (
	"errors"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pemistahl/lingua-go"

	"github.com/newsdedup/newsdedup/pkg/evalmetrics"
)

// evalText is one text of the shared evaluation sets with its labelled language.
type evalText struct {
	id, lang, text string
}

// evalDir is ../shared/eval beside the checkout; never copied into the repository.
var evalDir = filepath.Join("..", "..", "..", "shared", "eval")

// loadEval reads every text with a lang field from the eval JSON Lines files
// (evalmetrics.ReadArticlesDir): each article of a clustering set, each side
// of a pair.
func loadEval(tb testing.TB) []evalText {
	tb.Helper()
	as, err := evalmetrics.ReadArticlesDir(evalDir)
	if errors.Is(err, evalmetrics.ErrNoSets) {
		tb.Skipf("no eval sets at %s (../shared/eval beside the checkout)", evalDir)
	}
	if err != nil {
		tb.Fatal(err)
	}
	var out []evalText
	for _, a := range as {
		if a.Lang != "" && strings.TrimSpace(a.Text) != "" {
			out = append(out, evalText{id: a.ID, lang: a.Lang, text: a.Text})
		}
	}
	if len(out) == 0 {
		tb.Skipf("no texts with a lang field in %s", evalDir)
	}
	return out
}

// heapMB is the live heap after a collection, the detector's footprint when
// measured around its construction and use.
func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse) / (1 << 20)
}

// TestEvalAccuracy runs the all-language detector over every eval text, and
// over the texts joined into ≥ 3.7 KB articles, and requires plain lingua's
// accuracy (≥ 99.5%). Unless -short, plain lingua with every language runs
// on a sample for comparison. Times are logged, never asserted.
func TestEvalAccuracy(t *testing.T) {
	texts := loadEval(t)
	before := heapMB()
	d, err := New(Config{Languages: []string{All}})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Preload(); err != nil {
		t.Fatal(err)
	}
	heap := heapMB() - before
	for _, set := range []struct {
		name  string
		texts []evalText
	}{{"eval texts", texts}, {"≥ 3.7 KB articles", longArticles(texts, 3700)}} {
		wrong := 0
		start := time.Now()
		for _, e := range set.texts {
			got, err := d.Detect(e.text)
			if err != nil || got.Lang != e.lang {
				wrong++
				t.Logf("miss %s: want %s, got %+v %v: %.80q", e.id, e.lang, got, err, e.text)
			}
		}
		per := time.Since(start) / time.Duration(len(set.texts))
		acc := 1 - float64(wrong)/float64(len(set.texts))
		t.Logf("fast detector, all %d languages, %s: %d/%d right = %.2f%%, %v a text, heap %.0f MB",
			len(lingua.AllLanguages()), set.name, len(set.texts)-wrong, len(set.texts), 100*acc, per, heap)
		if acc < 0.995 {
			t.Errorf("%s: accuracy %.4f < 0.995", set.name, acc)
		}
	}
	if testing.Short() {
		return
	}
	// Plain lingua with every language costs ~50 ms a text: every 80th.
	plain := lingua.NewLanguageDetectorBuilder().FromAllLanguages().Build()
	n, right, fastRight := 0, 0, 0
	var plainTime, fastTime time.Duration
	for i := 0; i < len(texts); i += 80 {
		n++
		start := time.Now()
		v := plain.ComputeLanguageConfidenceValues(texts[i].text)
		plainTime += time.Since(start)
		if strings.EqualFold(v[0].Language().IsoCode639_1().String(), texts[i].lang) {
			right++
		}
		start = time.Now()
		got, _ := d.Detect(texts[i].text)
		fastTime += time.Since(start)
		if got.Lang == texts[i].lang {
			fastRight++
		}
	}
	t.Logf("every 80th eval text: plain lingua (all languages) %d/%d right, %v a text; fast detector %d/%d, %v a text "+
		"(plain lingua on all %d texts: 99.84%%, see docs/langid.md)",
		right, n, plainTime/time.Duration(n), fastRight, n, fastTime/time.Duration(n), len(texts))
	runtime.KeepAlive(d)
}
