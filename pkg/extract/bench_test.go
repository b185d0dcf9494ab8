package extract

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/cputime"
	"github.com/newsdedup/newsdedup/pkg/extract/eval"
)

// benchPage builds a news page of about 50 KB: navigation, an article of
// forty paragraphs, a sidebar of links, related stories and a footer.
func benchPage() string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Council approves the harbour plan | Courier</title>`)
	b.WriteString(`<meta property="article:published_time" content="2025-03-04T08:30:00Z"><meta name="author" content="Mara Quinlan">`)
	b.WriteString(`<script>` + strings.Repeat("var x = 1; ", 300) + `</script><style>` + strings.Repeat(".a{color:red} ", 300) + `</style></head><body>`)
	b.WriteString(`<header><nav><ul>`)
	for i := range 40 {
		fmt.Fprintf(&b, `<li><a href="/section/%d">Section %d</a></li>`, i, i)
	}
	b.WriteString(`</ul></nav></header><div class="layout"><main><article><h1>Council approves the harbour plan</h1>`)
	for i := range 40 {
		fmt.Fprintf(&b, `<p>Paragraph %d of the report: the council voted on Thursday, after a debate that lasted most of the evening, `+
			`to approve the plan for the old harbour, which includes a new quay, a footbridge and <a href="/x">two hundred</a> homes, `+
			`and officials said building work could start next spring if the funding is confirmed.</p>`, i)
		if i%5 == 4 {
			fmt.Fprintf(&b, `<h2>Subheading %d</h2><div class="ad-slot">Advertisement</div>`, i)
		}
	}
	b.WriteString(`<aside class="related"><h3>Related</h3><ul>`)
	for i := range 30 {
		fmt.Fprintf(&b, `<li><a href="/story/%d">Another story about the town, number %d</a></li>`, i, i)
	}
	b.WriteString(`</ul></aside></article></main><div class="sidebar">`)
	for i := range 100 {
		fmt.Fprintf(&b, `<div class="teaser"><a href="/t/%d"><img src="/i/%d.jpg">Most read story %d with a headline of some length</a><span>2 hours ago</span></div>`, i, i, i)
	}
	b.WriteString(`</div></div><footer>`)
	for i := range 50 {
		fmt.Fprintf(&b, `<a href="/f/%d">Footer link %d</a> `, i, i)
	}
	b.WriteString(`<p>© 2025 Courier. All rights reserved.</p></footer></body></html>`)
	return b.String()
}

// benchText builds about 5 KB of feed text with boilerplate around it.
func benchText() string {
	var b strings.Builder
	b.WriteString("Courier - Council approves the harbour plan\n\nCouncil approves the harbour plan\n\nTaille du texte:\n\n")
	for i := range 26 {
		fmt.Fprintf(&b, "Paragraph %d: the council voted on Thursday, after a debate that lasted most of the evening, to approve the plan for the old harbour, and officials said work could start next spring.\n\n", i)
	}
	b.WriteString("J.Smith--CRR\n\nRead more\n\nFerry adds evening crossings\n\nThe operator said demand had doubled.\n\nFish market turns one hundred\n")
	b.WriteString("Did you enjoy this article? Subscribe to our newsletter.\n")
	return b.String()
}

func BenchmarkExtractHTML(b *testing.B) {
	e := newTestExtractor(b)
	page := benchPage()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	cpu0 := cputime.Process()
	for b.Loop() {
		if _, err := e.Extract(Input{HTML: page}); err != nil {
			b.Fatal(err)
		}
	}
	// One goroutine: pages per second is per core.
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	reportCPU(b, cpu0, b.N)
}

func BenchmarkExtractText(b *testing.B) {
	e := newTestExtractor(b)
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	cpu0 := cputime.Process()
	for b.Loop() {
		if _, err := e.Extract(Input{Text: text}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	reportCPU(b, cpu0, b.N)
}

// BenchmarkExtractSharedSet extracts the real pages of the shared
// extraction set (90 pages, 153 KB on average), where the HTML parser takes
// a larger share than on the page built for BenchmarkExtractHTML.
func BenchmarkExtractSharedSet(b *testing.B) {
	cases, err := eval.Load(sharedSetDir)
	if errors.Is(err, fs.ErrNotExist) {
		b.Skipf("extraction set not found at %s (it lives beside the checkout): %v", sharedSetDir, err)
	}
	if err != nil {
		b.Fatal(err)
	}
	var pages []string
	size := 0
	for _, c := range cases {
		if !c.IsHTML() {
			continue
		}
		p, err := c.Read()
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, p)
		size += len(p)
	}
	e := newTestExtractor(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	cpu0 := cputime.Process()
	for b.Loop() {
		for _, p := range pages {
			if _, err := e.Extract(Input{HTML: p}); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportCPU(b, cpu0, b.N*len(pages))
}

// reportCPU reports the process's CPU time since cpu0 per page, garbage
// collection included: on a shared machine it is steadier than wall time.
func reportCPU(b *testing.B, cpu0 time.Duration, pages int) {
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(pages), "cpu-ns/page")
}

// TestBenchInputs checks that the benchmarks measure what they claim: the
// sizes, and an extraction that keeps the article and drops the rest.
func TestBenchInputs(t *testing.T) {
	e := newTestExtractor(t)
	page, text := benchPage(), benchText()
	if n := len(page); n < 40_000 || n > 60_000 {
		t.Errorf("HTML page is %d bytes, want about 50 KB", n)
	}
	if n := len(text); n < 4_000 || n > 6_000 {
		t.Errorf("text is %d bytes, want about 5 KB", n)
	}
	res, err := e.Extract(Input{HTML: page})
	if err != nil {
		t.Fatal(err)
	}
	checkSnippets(t, res, []string{"Paragraph 0 of the report", "Paragraph 39 of the report", "Subheading 4"},
		[]string{"Section 3", "Most read story", "Footer link", "Another story", "Advertisement"})
	res, err = e.Extract(Input{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	checkSnippets(t, res, []string{"Paragraph 0:", "Paragraph 13:"},
		[]string{"Courier -", "Taille", "J.Smith", "Ferry adds", "Subscribe"})
}
