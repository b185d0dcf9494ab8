package main

import (
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/ingest"
)

// permutations returns every order of a.
func permutations(a []int) [][]int {
	if len(a) <= 1 {
		return [][]int{append([]int(nil), a...)}
	}
	var out [][]int
	for i := range a {
		rest := append(append([]int(nil), a[:i]...), a[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]int{a[i]}, p...))
		}
	}
	return out
}

// TestSeedsOneStoryInEveryOrder runs the four seeds through the same core the
// workers use (extract → detect → cluster), in each of the 24 orders the
// pipeline may deliver them in, and wants one story every time.
func TestSeedsOneStoryInEveryOrder(t *testing.T) {
	files := seedFiles(t)
	for _, order := range permutations([]int{0, 1, 2, 3}) {
		p, err := newPipeline([]string{"it", "fr", "en", "de", "es"})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, i := range order {
			arts, _, err := ingest.ReadFile(files[i])
			if err != nil {
				t.Fatal(err)
			}
			if err := p.add(arts[0]); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, arts[0].ID)
		}
		stories := map[string][]string{}
		for _, id := range ids {
			s, ok := p.eng.StoryOf(id)
			if !ok {
				t.Fatalf("order %v: %s has no story", order, id)
			}
			stories[s] = append(stories[s], strings.TrimSuffix(filepath.Base(id), ".txt")[:3])
		}
		if len(stories) != 1 {
			t.Errorf("order %v: %d stories %v, want 1", order, len(stories), stories)
		}
	}
}

func TestReorder(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.String("nats", "", "")
	fs.Bool("quiet", false, "")
	tests := []struct{ in, want []string }{
		{[]string{"a.txt", "--nats", "u", "b.txt"}, []string{"--nats", "u", "a.txt", "b.txt"}},
		{[]string{"a.txt", "--quiet", "b.txt"}, []string{"--quiet", "a.txt", "b.txt"}},
		{[]string{"--nats=u", "a", "--", "-odd"}, []string{"--nats=u", "a", "-odd"}},
	}
	for _, tt := range tests {
		if got := reorder(fs, tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("reorder(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
