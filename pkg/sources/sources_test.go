package sources

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const goodFile = `
defaults:
  interval: 10m
  max_items: 30
sources:
  - url: https://example.org/feed.xml
    name: Example
    kind: rss
    interval: 5m
  - url: https://example.org/sitemap-news.xml
    kind: news-sitemap
  - url: https://example.net/story.html
    kind: page
    max_items: 1
    disabled: true
`

func TestParse(t *testing.T) {
	got, err := Parse([]byte(goodFile), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Source{
		{URL: "https://example.org/feed.xml", Name: "Example", Kind: KindFeed, Interval: 5 * time.Minute, MaxItems: 30},
		{URL: "https://example.org/sitemap-news.xml", Kind: KindSitemap, Interval: 10 * time.Minute, MaxItems: 30},
		{URL: "https://example.net/story.html", Kind: KindPage, Interval: 10 * time.Minute, MaxItems: 1, Disabled: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("source %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestParseDefaults(t *testing.T) {
	got, err := Parse([]byte("sources:\n  - url: http://a.example/f\n"), Options{DefaultInterval: 3 * time.Minute})
	if err != nil || len(got) != 1 || got[0].Interval != 3*time.Minute || got[0].Kind != KindAuto {
		t.Fatalf("got %+v, %v", got, err)
	}
	if got, err := Parse(nil, Options{}); err != nil || len(got) != 0 {
		t.Fatalf("empty file: %+v, %v", got, err)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       error
		line       string
	}{
		{"no url", "sources:\n  - name: x\n", ErrInvalid, "line 2"},
		{"ftp", "sources:\n  - url: ftp://a.example/f\n", ErrInvalid, "only http"},
		{"relative", "sources:\n  - url: /feed.xml\n", ErrInvalid, "only http"},
		{"credentials", "sources:\n  - url: https://u:p@a.example/f\n", ErrInvalid, "credentials"},
		{"bad kind", "sources:\n  - url: https://a.example/f\n    kind: gopher\n", ErrInvalid, "unknown kind"},
		{"bad interval", "sources:\n  - url: https://a.example/f\n    interval: often\n", ErrInvalid, "interval"},
		{"too often", "sources:\n  - url: https://a.example/f\n    interval: 5s\n", ErrInvalid, "outside"},
		{"typo field", "sources:\n  - url: https://a.example/f\n    intervall: 5m\n", ErrInvalid, "unknown field"},
		{"typo top level", "source:\n  - url: https://a.example/f\n", ErrInvalid, "source"},
		{"negative max", "sources:\n  - url: https://a.example/f\n    max_items: -1\n", ErrInvalid, "max_items"},
		{"duplicate after normalising", "sources:\n  - url: https://a.example/f\n  - url: https://A.example/f?utm_source=x\n", ErrDuplicate, "line 2"},
		{"not yaml", "sources: [", ErrInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), Options{})
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.line) {
				t.Fatalf("err = %v, want %v mentioning %q", err, tt.want, tt.line)
			}
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	list, err := Parse([]byte(goodFile), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse(b, Options{})
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	for i := range list {
		if list[i] != again[i] {
			t.Errorf("%d: %+v became %+v", i, list[i], again[i])
		}
	}
	j, err := json.Marshal(list[0])
	if err != nil || !strings.Contains(string(j), `"interval":"5m0s"`) {
		t.Fatalf("json %s, %v", j, err)
	}
	var back Source
	if err := json.Unmarshal(j, &back); err != nil || back != list[0] {
		t.Fatalf("json round trip: %+v, %v", back, err)
	}
}

func TestMerge(t *testing.T) {
	file := []Source{{URL: "https://a.example/f", Name: "from file"}}
	dyn := []Source{{URL: "https://A.example/f", Name: "from api"}, {URL: "https://b.example/f"}}
	got := Merge(file, dyn)
	if len(got) != 2 || got[0].Name != "from file" || got[1].URL != "https://b.example/f" {
		t.Fatalf("got %+v", got)
	}
}

func TestScheduler(t *testing.T) {
	a := Source{URL: "https://a.example/f", Interval: 10 * time.Minute}
	b := Source{URL: "https://b.example/f", Interval: time.Hour}
	off := Source{URL: "https://c.example/f", Interval: time.Minute, Disabled: true}
	list := []Source{a, b, off}
	var sc Scheduler
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

	due, next := sc.Due(list, t0)
	if len(due) != 2 {
		t.Fatalf("first call: %d due, want both enabled sources", len(due))
	}
	if want := SlotStart(a, Slot(a, t0)+1); !next.Equal(want) {
		t.Errorf("next %v, want a's next slot %v", next, want)
	}
	if due, _ := sc.Due(list, t0); len(due) != 0 {
		t.Errorf("due again in the same slot: %+v", due)
	}
	due, _ = sc.Due(list, next)
	if len(due) != 1 || due[0].Source.URL != a.URL || due[0].Slot != Slot(a, t0)+1 {
		t.Errorf("at a's next slot: %+v", due)
	}
	// Every replica agrees on slots, and the offset spreads sources.
	if Slot(a, t0) != Slot(a, t0) || Offset(a) == Offset(Source{URL: "https://z.example/f", Interval: 10 * time.Minute}) {
		t.Error("slots are not stable or offsets not spread")
	}
	if s := SlotStart(a, Slot(a, t0)); s.After(t0) || !s.Add(a.Interval).After(t0) {
		t.Errorf("slot start %v does not contain %v", s, t0)
	}
}

func TestFileReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sources.yaml")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(goodFile)
	f := &File{Path: path}
	if changed, err := f.Reload(); err != nil || !changed || len(f.Sources()) != 3 {
		t.Fatalf("first load: %v %v %d", changed, err, len(f.Sources()))
	}
	if changed, err := f.Reload(); err != nil || changed {
		t.Fatalf("unchanged file reported as changed: %v %v", changed, err)
	}
	write("sources:\n  - url: [broken\n")
	if _, err := f.Reload(); err == nil {
		t.Fatal("broken file accepted")
	}
	if len(f.Sources()) != 3 {
		t.Fatal("broken edit dropped the list in force")
	}
	if changed, err := f.Reload(); err != nil || changed {
		t.Fatalf("the same broken file is reported again: %v %v", changed, err)
	}
	write("sources:\n  - url: https://new.example/feed\n")
	if changed, err := f.Reload(); err != nil || !changed || f.Sources()[0].URL != "https://new.example/feed" {
		t.Fatalf("fixed file: %v %v %+v", changed, err, f.Sources())
	}
}
