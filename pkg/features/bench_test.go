package features

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cputime"
)

// BenchmarkOf measures feature extraction of a 300-word article written for
// this benchmark.
func BenchmarkOf(b *testing.B) {
	// The default extractor, with the installed dictionaries' glosses.
	x, err := New()
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for i := range 20 {
		sb.WriteString("Il ministro Laurent Nuñez ha confermato a Parigi che l'attacco informatico del 12 dicembre 2025 ")
		sb.WriteString("ha colpito i server di posta elettronica del ministero, con 1.500 file consultati. ")
		if i%4 == 3 {
			sb.WriteString("\n")
		}
	}
	a := article.Article{Lang: "it", Title: "Attacco informatico al ministero dell'Interno francese", Text: sb.String()}
	x.Of(a) // reads the Italian dictionary
	b.ReportAllocs()
	cpu0 := cputime.Process()
	for b.Loop() {
		x.Of(a)
	}
	// CPU time of the whole process per call (garbage collection
	// included): steadier than wall time on a shared machine.
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkOfEval measures feature extraction over the distinct articles of
// the shared pair sets (16 languages, as the pipeline bench feeds them); an
// op is one article. It skips without ../shared/eval.
func BenchmarkOfEval(b *testing.B) {
	arts, err := coverageArticles(filepath.Join("..", "..", "..", "shared", "eval"))
	if err != nil {
		b.Skipf("evaluation sets not found: %v", err)
	}
	x, err := New()
	if err != nil {
		b.Fatal(err)
	}
	as := make([]article.Article, len(arts))
	for i, a := range arts {
		as[i] = article.Article{Lang: a.Lang, Title: a.Title, Text: a.Text}
		x.Of(as[i]) // reads each language's dictionary
	}
	b.ReportAllocs()
	cpu0 := cputime.Process()
	i := 0
	for b.Loop() {
		x.Of(as[i%len(as)])
		i++
	}
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N), "cpu-ns/op")
}
