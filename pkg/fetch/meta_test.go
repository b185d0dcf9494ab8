package fetch

import (
	"testing"
	"time"
)

func TestPageMetadata(t *testing.T) {
	final := mustURL("https://www.example.org/2026/03/story.html?utm_source=x")
	tests := []struct {
		name                                        string
		doc                                         string
		title, author, published, canonical, source string
	}{
		{"JSON-LD in @graph, in the body",
			`<html><head><title>Story - Example</title></head><body><script type="application/ld+json">
{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Example"},
{"@type":["https://schema.org/NewsArticle"],"headline":"The headline","datePublished":"2026-03-04T05:06:07+01:00",
 "author":[{"@type":"Person","name":"Ada One"},{"@type":"Person","name":"Bo Two"}],
 "publisher":{"@type":"Organization","name":"Example Daily"},
 "mainEntityOfPage":{"@id":"https://www.example.org/2026/03/story.html"}}]}
</script></body></html>`,
			"The headline", "Ada One, Bo Two", "2026-03-04T04:06:07Z", "https://www.example.org/2026/03/story.html", "Example Daily"},
		{"OpenGraph wins for title and canonical; JSON-LD for author and date",
			`<html><head><meta property="og:title" content="OG title"><meta property="og:url" content="/og/story">
<meta property="og:site_name" content="OG Site"><meta name="author" content="Meta Author">
<meta property="article:published_time" content="2026-01-01T00:00:00Z">
<script type="application/ld+json">[{"@type":"BreadcrumbList"},{"@type":"Article","headline":"LD","author":"LD Author","datePublished":"2026-03-01"}]</script>
</head><body></body></html>`,
			"OG title", "LD Author", "2026-03-01T00:00:00Z", "https://www.example.org/og/story", "OG Site"},
		{"broken JSON-LD is ignored",
			`<html><head><title>Plain</title><meta name="author" content="By Cy Three"><meta name="date" content="2026-02-02">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"x",}</script></head></html>`,
			"Plain", "Cy Three", "2026-02-02T00:00:00Z", "https://www.example.org/2026/03/story.html?utm_source=x", "example.org"},
		{"og keys written as name=",
			`<html><head><meta name="og:title" content="Named"><meta name="og:site_name" content="Named Site"></head></html>`,
			"Named", "", "", "https://www.example.org/2026/03/story.html?utm_source=x", "Named Site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := parseMeta(tt.doc)
			var pub string
			if p := m.publishedTime(); p != nil {
				pub = p.Format(time.RFC3339)
			}
			if m.pageTitle() != tt.title || m.pageAuthor() != tt.author || pub != tt.published ||
				m.canonicalURL(final).String() != tt.canonical || m.source(final, "") != tt.source {
				t.Errorf("got title %q author %q published %q canonical %q source %q",
					m.pageTitle(), m.pageAuthor(), pub, m.canonicalURL(final), m.source(final, ""))
			}
		})
	}
}
