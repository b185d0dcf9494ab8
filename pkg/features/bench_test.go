package features

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
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
	cpu0 := cpuTime()
	for b.Loop() {
		x.Of(a)
	}
	// CPU time of the whole process per call (garbage collection
	// included): steadier than wall time on a shared machine.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
