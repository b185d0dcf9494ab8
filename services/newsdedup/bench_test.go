package main

import (
	"strings"
	"testing"
)

func TestBenchPagePadsToSize(t *testing.T) {
	const size = 20 << 10
	p := newBenchPager(size)
	tests := []struct {
		name      string
		text      string
		wantItems bool
	}{
		{"short text is padded", "First paragraph.\nSecond & last paragraph.", true},
		{"text longer than the page gets no padding", strings.Repeat("A long paragraph of news.\n", 1200), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := p.page(benchText{title: "A <title>", text: tc.text})
			if !strings.Contains(page, "<h1>A &lt;title&gt;</h1>") || !strings.Contains(page, "paragraph") {
				t.Fatalf("page lacks its title or text: %.300s", page)
			}
			items := strings.Count(page, `<li><a href="/story/`)
			if got := items > 0; got != tc.wantItems {
				t.Fatalf("padding items %d, want some: %v", items, tc.wantItems)
			}
			if tc.wantItems {
				// Padded up to size-200 bytes, and by no more than one item past it.
				if len(page) < size-200 || len(page) > size+100 {
					t.Fatalf("page of %d bytes, want about %d", len(page), size)
				}
				if !strings.Contains(page, `<ul><li><a href="/story/0">`) {
					t.Fatalf("padding does not start at item 0")
				}
			}
		})
	}
}

func TestStreamReportString(t *testing.T) {
	tests := []struct {
		name string
		in   streamReport
		want string
	}{
		{"empty", streamReport{}, ""},
		{"sorted by name", streamReport{
			"STORIES":  {Msgs: 10, MB: 1.5, AvgKB: 153.6},
			"ARTICLES": {Msgs: 30, MB: 0.25, AvgKB: 8.5},
		}, "ARTICLES 30 messages, 0.2 MB (8.5 KB each); STORIES 10 messages, 1.5 MB (153.6 KB each)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.String(); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
