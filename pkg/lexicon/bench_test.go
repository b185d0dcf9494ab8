package lexicon_test

import (
	"runtime"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/cputime"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/lexicon"
)

// BenchmarkLoad reads the installed databases as the feature extractor
// keys them (German alone, Chinese alone, then every language) and reports the
// live heap the tables keep. Measured figures: docs/quality.md.
func BenchmarkLoad(b *testing.B) {
	probe, err := features.NewLexicon(lexicon.DefaultDir)
	if err != nil {
		b.Fatal(err)
	}
	if len(probe.Languages()) == 0 {
		b.Skipf("no FreeDict database in %s ('make deps' installs them)", lexicon.DefaultDir)
	}
	for _, tc := range []struct {
		name  string
		langs []string
	}{
		{"de", []string{"de"}},
		{"zh", []string{"zh"}},
		{"all", probe.Languages()},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var heap float64
			keys := 0
			cpu0 := cputime.Process()
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				lex, err := features.NewLexicon(lexicon.DefaultDir)
				if err != nil {
					b.Fatal(err)
				}
				keys = 0
				for _, l := range tc.langs {
					t, err := lex.Table(l)
					if err != nil {
						b.Fatal(err)
					}
					keys += t.Len()
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = float64(after.HeapAlloc) - float64(before.HeapAlloc)
				runtime.KeepAlive(lex)
			}
			// CPU time of the whole process (garbage collection included):
			// steadier than wall time on a shared machine.
			b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
			b.ReportMetric(heap/(1<<20), "MB-heap")
			b.ReportMetric(float64(keys), "words")
		})
	}
}
