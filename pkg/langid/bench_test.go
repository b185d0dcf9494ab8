package langid

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pemistahl/lingua-go"

	"github.com/newsdedup/newsdedup/pkg/cputime"
)

// longArticles joins eval texts of one language, in file order, into
// articles of at least minBytes: the size of a typical news article body
// (the 3.7 KB), longer than most eval texts on their own.
func longArticles(texts []evalText, minBytes int) []evalText {
	var out []evalText
	open := map[string]*evalText{}
	for _, e := range texts {
		a := open[e.lang]
		if a == nil {
			a = &evalText{id: e.id, lang: e.lang}
			open[e.lang] = a
		}
		a.text += e.text + "\n"
		if len(a.text) >= minBytes {
			out = append(out, *a)
			delete(open, e.lang)
		}
	}
	return out
}

// benchSets are the inputs of the detection benchmarks: the eval texts as
// they are (median about 1 KB) and joined into ≥ 3.7 KB articles.
func benchSets(b *testing.B) map[string][]evalText {
	texts := loadEval(b)
	return map[string][]evalText{"eval": texts, "long": longArticles(texts, 3700)}
}

// reportRate reports articles per second of wall time and, where known,
// per second of the process's CPU time (steadier on a shared machine).
func reportRate(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
	if cpu := cputime.Process() - cpu0; cpu0 > 0 && cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "articles/cpu-s")
	}
}

func avgBytes(texts []evalText) int64 {
	n := 0
	for _, e := range texts {
		n += len(e.text)
	}
	return int64(n / len(texts))
}

// BenchmarkDetectFast measures this package's detector, with every lingua
// language and with DefaultLanguages: accuracy over the whole input set (in
// the warm-up pass, which also builds every index), then articles/s of one
// goroutine (run with -cpu 1 for the per-core figure) and the detector's
// live heap.
func BenchmarkDetectFast(b *testing.B) {
	for _, langs := range []string{"all", "default"} {
		for _, set := range []string{"eval", "long"} {
			b.Run("langs="+langs+"/set="+set, func(b *testing.B) {
				texts := benchSets(b)[set]
				cfg := Config{Languages: []string{All}}
				if langs == "default" {
					cfg = Config{}
				}
				before := heapMB()
				d, err := New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				right := 0
				for _, e := range texts {
					if r, err := d.Detect(e.text); err == nil && r.Lang == e.lang {
						right++
					}
				}
				heap := heapMB() - before
				b.SetBytes(avgBytes(texts))
				b.ResetTimer()
				cpu0 := cputime.Process()
				for i := 0; b.Loop(); i++ {
					_, _ = d.Detect(texts[i%len(texts)].text)
				}
				reportRate(b, cpu0)
				b.ReportMetric(heap, "heapMB")
				b.ReportMetric(100*float64(right)/float64(len(texts)), "%correct")
				runtime.KeepAlive(d)
			})
		}
	}
}

// BenchmarkDetectFastParallel is BenchmarkDetectFast/set=long from
// GOMAXPROCS goroutines sharing one detector (run with -cpu 2).
func BenchmarkDetectFastParallel(b *testing.B) {
	texts := benchSets(b)["long"]
	d, err := New(Config{Languages: []string{All}})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Preload(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(avgBytes(texts))
	b.ResetTimer()
	cpu0 := cputime.Process()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			_, _ = d.Detect(texts[i%len(texts)].text)
		}
	})
	reportRate(b, cpu0)
}

// BenchmarkDetectPlainLingua is the baseline: lingua-go used plainly (high
// accuracy mode, whole text) on the ≥ 3.7 KB articles, with the five
// languages and with all of them. Accuracy is taken on a sample (all
// languages cost ~50 ms a text) restricted to the detector's languages;
// the heap is lingua's process-wide model cache.
func BenchmarkDetectPlainLingua(b *testing.B) {
	five := []lingua.Language{lingua.Italian, lingua.French, lingua.English, lingua.German, lingua.Spanish}
	for _, langs := range []string{"5", "all"} {
		b.Run("langs="+langs, func(b *testing.B) {
			texts := benchSets(b)["long"]
			before := heapMB()
			builder := lingua.NewLanguageDetectorBuilder().FromAllLanguages()
			ok := func(string) bool { return true }
			if langs == "5" {
				builder = lingua.NewLanguageDetectorBuilder().FromLanguages(five...)
				ok = func(code string) bool { return strings.Contains("it fr en de es", code) }
			}
			det := builder.Build()
			n, right := 0, 0
			for i := 0; i < len(texts) && n < 100; i += 7 {
				if !ok(texts[i].lang) {
					continue
				}
				n++
				v := det.ComputeLanguageConfidenceValues(texts[i].text)
				if strings.EqualFold(v[0].Language().IsoCode639_1().String(), texts[i].lang) {
					right++
				}
			}
			heap := heapMB() - before
			b.SetBytes(avgBytes(texts))
			b.ResetTimer()
			cpu0 := cputime.Process()
			for i := 0; b.Loop(); i++ {
				_ = det.ComputeLanguageConfidenceValues(texts[i%len(texts)].text)
			}
			reportRate(b, cpu0)
			b.ReportMetric(heap, "heapMB")
			b.ReportMetric(100*float64(right)/float64(n), "%correct")
		})
	}
}

// firstWords keeps n words of s, from the 11th on when s is long enough
// (past a title), for the short-text comparison.
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n+10 {
		f = f[10:]
	}
	return strings.Join(f[:min(n, len(f))], " ")
}

// BenchmarkDetectShort compares this detector with plain lingua (both with
// every language) on every 7th eval text cut to 3, 6 and 12 words, where
// lingua switches to its high-accuracy mode (all n-gram orders up to 5).
// It reports both accuracies and times this detector.
func BenchmarkDetectShort(b *testing.B) {
	texts := loadEval(b)
	d, err := New(Config{Languages: []string{All}})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Preload(); err != nil {
		b.Fatal(err)
	}
	plain := lingua.NewLanguageDetectorBuilder().FromAllLanguages().Build()
	for _, words := range []int{3, 6, 12} {
		b.Run("words="+strconv.Itoa(words), func(b *testing.B) {
			var short []evalText
			for i := 0; i < len(texts); i += 7 {
				short = append(short, evalText{lang: texts[i].lang, text: firstWords(texts[i].text, words)})
			}
			fast, slow := 0, 0
			for _, e := range short {
				if r, err := d.Detect(e.text); err == nil && r.Lang == e.lang {
					fast++
				}
				v := plain.ComputeLanguageConfidenceValues(e.text)
				if strings.EqualFold(v[0].Language().IsoCode639_1().String(), e.lang) {
					slow++
				}
			}
			b.ResetTimer()
			cpu0 := cputime.Process()
			for i := 0; b.Loop(); i++ {
				_, _ = d.Detect(short[i%len(short)].text)
			}
			reportRate(b, cpu0)
			b.ReportMetric(100*float64(fast)/float64(len(short)), "%correct")
			b.ReportMetric(100*float64(slow)/float64(len(short)), "%correct-lingua")
		})
	}
}
