package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// benchPage is a 30 KB article page with the metadata real pages carry.
func benchPage(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bench story %d - Bench Daily</title>
<meta property="og:title" content="Bench story %d"><meta property="og:site_name" content="Bench Daily">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Bench story %d",
"datePublished":"2026-03-01T10:00:00Z","author":{"name":"Bea Bench"},"publisher":{"name":"Bench Daily"}}</script></head><body><nav>Home | World | Sport</nav><article>`, n, n, n)
	for b.Len() < 30<<10 {
		b.WriteString("<p>The council met on Tuesday to discuss the harbour works, the budget for the coming year and the new ferry timetable.</p>\n")
	}
	b.WriteString("</article><footer>© Bench Daily</footer></body></html>")
	return b.String()
}

func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	page := benchPage(1)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(page))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case strings.HasPrefix(r.URL.Path, "/feed/"):
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>B</title><link>/</link><description>d</description>`)
			for i := range 50 {
				fmt.Fprintf(w, `<item><title>Entry %d</title><link>/p/%s-%d.html</link><pubDate>Sun, 01 Mar 2026 10:00:00 GMT</pubDate></item>`, i, r.URL.Path[6:], i)
			}
			fmt.Fprint(w, `</channel></rss>`)
		case strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") && r.URL.Query().Has("gz"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes())
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(page))
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// benchFetcher is unthrottled: the benchmark measures the fetcher, not the
// politeness limits (which pace a real host at HostRate per second).
func benchFetcher() *Fetcher {
	return New(Config{AllowPrivate: true, HostRate: -1, HostConcurrency: 32, Concurrency: 8})
}

// BenchmarkFetchPages fetches single pages in parallel from a local server:
// HTTP, body read, charset decoding, metadata and canonical URL.
func BenchmarkFetchPages(b *testing.B) {
	for _, variant := range []string{"plain", "gzip"} {
		b.Run(variant, func(b *testing.B) {
			srv := benchServer(b)
			f := benchFetcher()
			defer f.Close()
			suffix := ""
			if variant == "gzip" {
				suffix = "?gz=1"
			}
			var n atomic.Int64
			b.SetBytes(int64(len(benchPage(1))))
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					arts, _, err := f.Fetch(context.Background(), fmt.Sprintf("%s/p/%d.html%s", srv.URL, i, suffix))
					if err != nil || len(arts) != 1 {
						b.Errorf("fetch: %v", err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// BenchmarkFetchFeed fetches a 50-entry feed and every entry's page, with
// a memory StateStore (seen-set checks included).
func BenchmarkFetchFeed(b *testing.B) {
	srv := benchServer(b)
	f := New(Config{AllowPrivate: true, HostRate: -1, HostConcurrency: 32, Concurrency: 8, State: NewMemoryState()})
	defer f.Close()
	b.ResetTimer()
	pages := 0
	for i := range b.N {
		res, err := f.Do(context.Background(), Request{URL: fmt.Sprintf("%s/feed/%d", srv.URL, i)})
		if err != nil || len(res.Articles) != 50 {
			b.Fatalf("feed: %v (%d articles)", err, len(res.Articles))
		}
		if err := f.Commit(context.Background(), res); err != nil {
			b.Fatal(err)
		}
		pages += len(res.Articles)
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}
