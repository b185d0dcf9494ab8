package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
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

// TestBenchDays runs the bench with its articles published over 100 days:
// the clustering window (72 hours) then holds the last few articles'
// stories only, where all 300 articles published now leave two dozen.
func TestBenchDays(t *testing.T) {
	evalDir := filepath.Join("..", "..", "..", "shared", "eval")
	if _, err := os.Stat(evalDir); err != nil {
		t.Skipf("the evaluation texts are not at %s (../shared beside the checkout): %v", evalDir, err)
	}
	if testing.Short() {
		t.Skip("runs the whole pipeline")
	}
	var out bytes.Buffer
	err := cmdBench(context.Background(), []string{"--articles", "300", "--days", "100", "--progress", "0", "--eval", evalDir, "--memory-budget", "900MiB"}, &out, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var res struct {
		Articles      int     `json:"articles"`
		Days          float64 `json:"days"`
		ActiveStories int     `json:"active_stories"`
		HeldArticles  int     `json:"held_articles"`
		Budget        float64 `json:"memory_budget_mb"`
		LowestLimit   float64 `json:"lowest_memory_limit_mb"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	// 3 articles a day: the window holds about 9 of them.
	if res.Articles != 300 || res.Days != 100 || res.ActiveStories < 1 || res.ActiveStories > 10 ||
		res.HeldArticles < res.ActiveStories || res.HeldArticles > 30 {
		t.Errorf("result %+v, want 1-10 active stories holding at most 30 articles\n%s", res, out.String())
	}
	// Under the default 700 MiB Go limit, lowered while file pages are
	// many, never below three quarters of it.
	if res.Budget != 900 || res.LowestLimit < 525 || res.LowestLimit > 700 {
		t.Errorf("memory budget %v MiB, lowest Go limit %v MiB; want 900 and 525-700", res.Budget, res.LowestLimit)
	}
}
