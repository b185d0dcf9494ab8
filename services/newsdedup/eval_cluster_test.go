package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/evalmetrics"
)

// Two small sets written for this test: two reports of one harbour fire and
// one of an unrelated election.
const (
	fireA    = "A fire broke out in the engine room of the ferry Skerra Star near Port Avel on Tuesday; Northline evacuated 214 passengers."
	fireB    = "Northline evacuated 214 passengers from the Skerra Star after an engine room fire near Port Avel; inspectors are on their way."
	election = "The mayor of Rennes was re-elected in the first round with 52 percent of the vote, promising new tram lines."
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func lastJSON(t *testing.T, out string, v any) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), v); err != nil {
		t.Fatalf("last line is not JSON: %v\n%s", err, out)
	}
}

func TestEvalPairsCommand(t *testing.T) {
	line := func(id, a, b string, overall float64, same string) string {
		return fmt.Sprintf(`{"pair_id":%q,"a":{"id":"%sa","lang":"en","text":%q},"b":{"id":"%sb","lang":"en","text":%q},"overall":%g,"same_story":%s}`+"\n",
			id, id, a, id, b, overall, same)
	}
	in := writeFile(t, "pairs.jsonl", line("p1", fireA, fireB, 1, "true")+line("p2", fireA, election, 4, "false")+line("p3", fireB, election, 3.5, "null"))
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := cmdEvalPairs(context.Background(), []string{"--in", in}, &out, log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "p1\ten-en\t") {
		t.Errorf("no per-pair line:\n%s", out.String())
	}
	var sum struct {
		Native string `json:"native_label"`
		All    struct {
			Labelled  int                  `json:"labelled"`
			SameStory struct{ F1 float64 } `json:"same_story"`
			Pearson   float64              `json:"pearson"`
		} `json:"all"`
	}
	lastJSON(t, out.String(), &sum)
	if sum.Native != "overall" || sum.All.Labelled != 2 || sum.All.SameStory.F1 != 1 || sum.All.Pearson <= 0 {
		t.Errorf("summary %+v\n%s", sum, out.String())
	}
	if err := cmdEvalPairs(context.Background(), nil, &out, log); err == nil {
		t.Error("no --in accepted")
	}
}

func TestEvalPairsErrors(t *testing.T) {
	line := func(id, a, b string, overall float64, same string) string {
		return fmt.Sprintf(`{"pair_id":%q,"a":{"id":"%sa","lang":"en","text":%q},"b":{"id":"%sb","lang":"en","text":%q},"overall":%g,"same_story":%s}`+"\n",
			id, id, a, id, b, overall, same)
	}
	// The raters' labels are wrong on purpose: the two fire reports called
	// different stories, the fire and the election one.
	in := writeFile(t, "pairs.jsonl", line("fp", fireA, fireB, 4, "false")+line("fn", fireA, election, 1, "true")+line("ok", fireB, election, 4, "false"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		name string
		args []string
		want []string // lines or parts of lines the output must hold
		not  []string
	}{
		{"listed", []string{"--errors", "5"}, []string{
			"false positives, highest scores first (1 of 1):", "  fp\ten-en\t", "    shared: ", "skerra star",
			"    a: A fire broke out in the engine room", "false negatives, lowest scores first (1 of 1):", "  fn\ten-en\t",
		}, []string{"  ok\t"}},
		{"not asked for", nil, nil, []string{"false positives", "false negatives"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := cmdEvalPairs(context.Background(), append([]string{"--in", in, "--quiet"}, tc.args...), &out, log); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("no %q in:\n%s", w, out.String())
				}
			}
			for _, w := range tc.not {
				if strings.Contains(out.String(), w) {
					t.Errorf("%q in:\n%s", w, out.String())
				}
			}
			var sum struct {
				All struct{ Labelled int } `json:"all"`
			}
			lastJSON(t, out.String(), &sum)
			if sum.All.Labelled != 3 {
				t.Errorf("summary %+v", sum)
			}
		})
	}
	var out bytes.Buffer
	if err := cmdEvalPairs(context.Background(), []string{"--in", in, "--errors", "-1"}, &out, log); !errors.Is(err, errUsage) {
		t.Errorf("--errors -1: error %v, want a usage error", err)
	}
}

func TestEvalClustersCommand(t *testing.T) {
	in := writeFile(t, "set.jsonl",
		`{"id":"f1","lang":"en","title":"Ferry fire","text":"`+fireA+`","story":"fire","topic":"sea"}`+"\n"+
			`{"id":"e1","lang":"en","title":"Rennes mayor re-elected","text":"`+election+`","story":"vote","topic":"politics"}`+"\n"+
			`{"id":"f2","lang":"en","title":"Skerra Star evacuated","text":"`+fireB+`","story":"fire","topic":"sea"}`+"\n")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	type spread struct{ N int }
	tests := []struct {
		name     string
		args     []string
		shuffled int // orders reported, 0: no "shuffled" summary
	}{
		{"file order", nil, 0},
		{"and shuffled orders", []string{"--orders", "4", "--seed", "7"}, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := cmdEvalClusters(context.Background(), append([]string{"--in", in}, tc.args...), &out, log); err != nil {
				t.Fatal(err)
			}
			var sum struct {
				Articles int `json:"articles"`
				Story    struct {
					BCubed struct{ F1 float64 } `json:"bcubed"`
				} `json:"story"`
				Topic    *struct{} `json:"topic"`
				Shuffled *struct {
					Orders int    `json:"orders"`
					Story  spread `json:"story_bcubed_f1"`
					Topic  spread `json:"topic_bcubed_f1"`
				} `json:"shuffled"`
			}
			lastJSON(t, out.String(), &sum)
			if sum.Articles != 3 || sum.Story.BCubed.F1 != 1 || sum.Topic == nil {
				t.Errorf("summary %+v\n%s", sum, out.String())
			}
			switch {
			case tc.shuffled == 0 && sum.Shuffled != nil:
				t.Errorf("shuffled orders reported without --orders:\n%s", out.String())
			case tc.shuffled > 0 && (sum.Shuffled == nil || sum.Shuffled.Orders != tc.shuffled ||
				sum.Shuffled.Story.N != tc.shuffled || sum.Shuffled.Topic.N != tc.shuffled):
				t.Errorf("shuffled summary %+v, want %d orders\n%s", sum.Shuffled, tc.shuffled, out.String())
			}
		})
	}
	var out bytes.Buffer
	if err := cmdEvalClusters(context.Background(), []string{"--in", in, "--orders", "-1"}, &out, log); !errors.Is(err, errUsage) {
		t.Errorf("--orders -1: error %v, want a usage error", err)
	}
}

func TestEvalClustersSiblings(t *testing.T) {
	// The sea topic holds two stories: the ferry fire, twice, and a trawler
	// aground a month later.
	const trawler = "The trawler Morven Bay ran aground on a sandbank off Port Avel at dawn; the coastguard winched its five crew to safety."
	in := writeFile(t, "set.jsonl",
		`{"id":"f1","lang":"en","title":"Ferry fire","text":"`+fireA+`","story":"fire","topic":"sea"}`+"\n"+
			`{"id":"t1","lang":"en","title":"Trawler aground","text":"`+trawler+`","story":"trawler","topic":"sea"}`+"\n"+
			`{"id":"e1","lang":"en","title":"Rennes mayor re-elected","text":"`+election+`","story":"vote","topic":"politics"}`+"\n"+
			`{"id":"f2","lang":"en","title":"Skerra Star evacuated","text":"`+fireB+`","story":"fire","topic":"sea"}`+"\n")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		name     string
		args     []string
		siblings bool
	}{
		{"without the flag", nil, false},
		{"with it", []string{"--siblings"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := cmdEvalClusters(context.Background(), append([]string{"--in", in}, tc.args...), &out, log); err != nil {
				t.Fatal(err)
			}
			var sum struct {
				Siblings *evalmetrics.Siblings `json:"siblings"`
			}
			lastJSON(t, out.String(), &sum)
			if (sum.Siblings != nil) != tc.siblings {
				t.Fatalf("siblings reported %v, want %v\n%s", sum.Siblings != nil, tc.siblings, out.String())
			}
			if !tc.siblings {
				return
			}
			s := sum.Siblings
			if s.SamePairs != 1 || s.SiblingPairs != 2 || s.Best.F1 != 1 || s.AllLinked.F1 >= 1 || s.Same[1] <= s.Sibling[2] {
				t.Errorf("siblings %+v\n%s", s, out.String())
			}
			if !strings.Contains(out.String(), "within topics: same-story pairs 1,") {
				t.Errorf("no siblings line:\n%s", out.String())
			}
		})
	}
}

// A dated set outlives the engine's memory when nothing gives fetch times
// (dedup reads articles as they are): the fire's story is retired once the
// election, a month later, moves the clock, and forgotten a week after
// that. eval clusters stamps fetch times, so its stories stay open; both
// must report the fire's articles together. Its articles
// must still be reported together, as the events said when they joined.
func TestEvalDatedSetOutlivesRetention(t *testing.T) {
	in := writeFile(t, "dated.jsonl",
		`{"id":"f1","lang":"en","title":"Ferry fire","text":"`+fireA+`","story":"fire","published":"2026-03-03T10:00:00Z"}`+"\n"+
			`{"id":"f2","lang":"en","title":"Skerra Star evacuated","text":"`+fireB+`","story":"fire","published":"2026-03-03T15:00:00Z"}`+"\n"+
			`{"id":"e1","lang":"en","title":"Rennes mayor re-elected","text":"`+election+`","story":"vote","published":"2026-04-05T09:00:00Z"}`+"\n"+
			`{"id":"e2","lang":"en","title":"Rennes approves tram budget","text":"A week after the vote, the Rennes council approved 410 million euros over six years for two new tram lines.","story":"tram","published":"2026-04-12T09:00:00Z"}`+"\n")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var out bytes.Buffer
	if err := cmdEvalClusters(context.Background(), []string{"--in", in}, &out, log); err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Story struct {
			BCubed struct{ F1 float64 } `json:"bcubed"`
		} `json:"story"`
	}
	lastJSON(t, out.String(), &sum)
	if sum.Story.BCubed.F1 != 1 {
		t.Errorf("eval clusters: story B3 F1 %v, want 1\n%s", sum.Story.BCubed.F1, out.String())
	}

	out.Reset()
	if err := cmdDedup([]string{"--in", in}, &out, log); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var a struct {
			ID      string `json:"id"`
			StoryID string `json:"story_id"`
		}
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		got[a.ID] = a.StoryID
	}
	if got["f1"] == "" || got["f1"] != got["f2"] || got["e1"] == "" || got["e1"] == got["f1"] {
		t.Errorf("dedup assignments %v, want f1 and f2 in one story, e1 in another", got)
	}
}

// TestEvalPairsDetectsMissingLanguages checks that a pair side without a
// language is scored with the detected one, as the pipeline would, while
// a set that gives every language is left as it is.
func TestEvalPairsDetectsMissingLanguages(t *testing.T) {
	given := evalmetrics.Pair{ID: "p1", A: article.Article{ID: "a", Lang: "en", Text: fireA}, B: article.Article{ID: "b", Lang: "en", Text: fireB}}
	missing := evalmetrics.Pair{ID: "p2", A: article.Article{ID: "c", Text: fireA}, B: article.Article{ID: "d", Lang: "it", Text: "Incendio sul traghetto Skerra Star."}}
	tests := []struct {
		name  string
		pairs []evalmetrics.Pair
		in    article.Article
		want  string
	}{
		{"every language given", []evalmetrics.Pair{given}, missing.A, ""},
		{"one missing", []evalmetrics.Pair{given, missing}, missing.A, "en"},
		{"a given language kept", []evalmetrics.Pair{given, missing}, missing.B, "it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			detect, err := newDetectorFor(tc.pairs)
			if err != nil {
				t.Fatal(err)
			}
			if got := detect(tc.in).Lang; got != tc.want {
				t.Errorf("language %q, want %q", got, tc.want)
			}
		})
	}
}
