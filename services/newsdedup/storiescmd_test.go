package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// Three short reports of unrelated events, written for this test.
var mergeReports = []map[string]string{
	{"id": "merge-ferry", "lang": "en", "source": "coast.example", "published": "2026-03-02T08:00:00Z",
		"title": "Northline suspends night ferries to Skerra after engine fire",
		"text":  "The ferry operator Northline suspended its night crossings to the island of Skerra after an engine fire forced 214 passengers into lifeboats. Inspectors from the maritime agency boarded the Skerra Star on Tuesday."},
	{"id": "merge-orchestra", "lang": "en", "source": "arts.example", "published": "2026-03-02T09:00:00Z",
		"title": "Brennock orchestra names Ilse Varga as its new conductor",
		"text":  "The Brennock Philharmonic named the Hungarian conductor Ilse Varga as its music director from next season. Varga, 41, led the orchestra twice last year and will conduct eight programmes in her first season."},
	{"id": "merge-harvest", "lang": "en", "source": "farm.example", "published": "2026-03-02T10:00:00Z",
		"title": "Late frost cuts the Avelin apple harvest by a third",
		"text":  "Growers in the Avelin valley expect a third fewer apples this autumn after two nights of late frost in April damaged the blossom. The growers' cooperative asked the regional council for emergency loans."},
}

// TestStoriesCommand drives `newsdedup stories merge` and `split` against
// the whole pipeline on a real nats-server: two stories become one, in the
// clustering stage and in the search index, the absorbed id leading to the
// survivor; then an article leaves the merged story for one of its own;
// corrections the stage cannot apply are refused with its reason.
func TestStoriesCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a nats-server and the pipeline")
	}
	dir := t.TempDir()
	var b bytes.Buffer
	for _, r := range mergeReports {
		line, _ := json.Marshal(r)
		b.Write(append(line, '\n'))
	}
	file := filepath.Join(dir, "reports.jsonl")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	natsURL := embeddedNATS(t, dir)
	httpAddr := freeAddr(t)
	log := testLog(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	editors := filepath.Join(dir, "editors")
	const token = "stories-test-token-8d1e"
	if err := os.WriteFile(editors, []byte(token+" copy desk\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pf := pipelineFlags{dataDir: dir, httpAddr: httpAddr, concurrency: 2, replicas: 1, poll: time.Hour, editorsFile: editors}
	done := make(chan error, 1)
	go func() { done <- runStages(ctx, natsURL, allStages, pf, log, func(string) {}) }()
	if err := cmdImport(ctx, []string{file, "--nats", natsURL, "--quiet"}, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	base := "http://" + httpAddr
	storyOf := func(article string) string {
		var got struct {
			Story struct {
				ID string `json:"id"`
			} `json:"story"`
		}
		if err := getJSON(base, "/api/articles/"+article, &got); err != nil {
			return ""
		}
		return got.Story.ID
	}
	waitFor(t, "three stories", 60*time.Second, func() (bool, string) {
		var page index.Page
		if err := getJSON(base, "/api/stories?limit=50", &page); err != nil {
			return false, err.Error()
		}
		return len(page.Stories) == 3, fmt.Sprint(len(page.Stories), " stories")
	})
	ferry, orchestra, harvest := storyOf("merge-ferry"), storyOf("merge-orchestra"), storyOf("merge-harvest")

	run := func(args ...string) (string, error) {
		t.Helper()
		var out bytes.Buffer
		err := cmdStories(ctx, append(args, "--nats", natsURL, "--by", "night desk", "--wait", "20s"), &out, log)
		return out.String(), err
	}
	// Named newest first: the story seen first survives.
	out, err := run("merge", harvest, ferry, "--note", "test: one feature on two events")
	if err != nil || !strings.Contains(out, "merged "+harvest+" into "+ferry+": 2 articles") {
		t.Fatalf("merge: %q, %v", out, err)
	}
	waitFor(t, "the merge in the search index", 30*time.Second, func() (bool, string) {
		got := storyOf("merge-harvest")
		return got == ferry, got
	})
	var view index.StoryView
	if err := getJSON(base, "/api/stories/"+harvest, &view); err != nil || view.ID != ferry || len(view.Members) != 2 {
		t.Errorf("the absorbed id gives story %s with %d members (%v), want %s with 2", view.ID, len(view.Members), err, ferry)
	}
	if e := view.Edits; len(e) != 1 || e[0].By != "night desk" || e[0].Note != "test: one feature on two events" ||
		e[0].Type != "merged" || len(e[0].Absorbed) != 1 || e[0].Absorbed[0] != harvest {
		t.Errorf("the merged story lists edits %+v; want the merge of %s by night desk", e, harvest)
	}
	if got := storyOf("merge-orchestra"); got != orchestra {
		t.Errorf("the orchestra story moved to %s", got)
	}

	// The editor changes their mind: the harvest report leaves again, into
	// a story of its own.
	out, err = run("split", "merge-harvest", "--note", "test: not the same after all")
	if err != nil || !strings.Contains(out, "moved merge-harvest out of "+ferry+" (1 articles left) into the new story s-") {
		t.Fatalf("split: %q, %v", out, err)
	}
	var split string
	waitFor(t, "the split in the search index", 30*time.Second, func() (bool, string) {
		split = storyOf("merge-harvest")
		return split != "" && split != ferry, split
	})
	if err := getJSON(base, "/api/stories/"+ferry, &view); err != nil || len(view.Members) != 1 || len(view.Edits) != 2 ||
		view.Edits[1].Type != "split" || view.Edits[1].Into != split {
		t.Errorf("after the split %s has %d members and edits %+v (%v)", ferry, len(view.Members), view.Edits, err)
	}
	var moved index.StoryView
	if err := getJSON(base, "/api/stories/"+split, &moved); err != nil || len(moved.Articles) != 1 || moved.Articles[0].ID != "merge-harvest" ||
		!strings.Contains(moved.Articles[0].Text, "late frost") || len(moved.Edits) != 1 || moved.Edits[0].From != ferry {
		t.Errorf("the split-out story %s: %+v (%v)", split, moved, err)
	}

	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"already one", []string{"merge", ferry, harvest}, "already one story: " + ferry + ", " + harvest + " all lead to " + ferry},
		{"unknown story", []string{"merge", orchestra, "s-000000000000"}, "unknown story: s-000000000000"},
		{"one story", []string{"merge", orchestra}, "at least two"},
		{"not a correction", []string{"unmerge", orchestra, ferry}, "usage"},
		{"split of a whole story", []string{"split", "merge-orchestra"}, "merge-orchestra are all of " + orchestra},
		{"split of an unknown article", []string{"split", "merge-nosuch"}, "unknown article: merge-nosuch"},
		{"split of two stories", []string{"split", "merge-orchestra", "merge-ferry"}, "split one story at a time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("stories %v: %q, %v; want an error saying %q", tc.args, out, err, tc.says)
			}
		})
	}

	// The same through the API (POST /api/corrections), as the search
	// page sends them: the editor is named by their token.
	post := func(auth, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+"/api/corrections", strings.NewReader(body))
		req.Header.Set("Authorization", auth)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var got map[string]any
		if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, got
	}
	code, got := post("Bearer "+token, `{"op":"merge","stories":["`+split+`","`+orchestra+`"],"note":"over HTTP"}`)
	res, _ := got["result"].(map[string]any)
	if code != http.StatusOK || got["by"] != "copy desk" || res == nil || res["story"] != orchestra ||
		!strings.Contains(fmt.Sprint(got["message"]), "merged "+split+" into "+orchestra) {
		t.Fatalf("merge over HTTP: %d %v", code, got)
	}
	waitFor(t, "the HTTP merge in the search index", 30*time.Second, func() (bool, string) {
		got := storyOf("merge-harvest")
		return got == orchestra, got
	})
	// The absorbed story's own history (split out by night desk) comes along.
	if err := getJSON(base, "/api/stories/"+orchestra, &view); err != nil || len(view.Edits) != 2 || view.Edits[1].By != "copy desk" ||
		view.Edits[1].Note != "over HTTP" || view.Edits[1].Type != "merged" || view.Edits[0].By != "night desk" {
		t.Errorf("the story merged over HTTP lists edits %+v (%v)", view.Edits, err)
	}
	code, got = post("Bearer "+token, `{"op":"split","articles":["merge-orchestra","merge-harvest"]}`)
	if code != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(got["error"]), "refused: ") ||
		!strings.Contains(fmt.Sprint(got["error"]), "all of "+orchestra) {
		t.Errorf("split of a whole story over HTTP: %d %v; want 422 with the stage's reason", code, got)
	}
	if code, got = post("Bearer not-"+token, `{"op":"merge","stories":["`+ferry+`","`+orchestra+`"]}`); code != http.StatusUnauthorized {
		t.Errorf("a wrong token: %d %v", code, got)
	}
	if storyOf("merge-ferry") != ferry {
		t.Error("a correction with a wrong token changed a story")
	}

	// The log lists every correction sent, newest first, with its
	// outcome: the ones refused before sending (usage, one story) and the
	// wrong token's are not there.
	var clog struct {
		Corrections []struct {
			story.Correction
			Outcome string `json:"outcome"`
			Reason  string `json:"reason"`
		} `json:"corrections"`
	}
	if err := getJSON(base, "/api/corrections", &clog); err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, c := range clog.Corrections {
		listed = append(listed, c.Op+" by "+c.By+": "+c.Outcome)
	}
	want := []string{"split by copy desk: refused", "merge by copy desk: applied", "split by night desk: refused", "split by night desk: refused",
		"split by night desk: refused", "merge by night desk: refused", "merge by night desk: refused", "split by night desk: applied", "merge by night desk: applied"}
	if !slices.Equal(listed, want) {
		t.Errorf("the corrections log lists\n%q\nwant\n%q", listed, want)
	} else if l := clog.Corrections; !strings.Contains(l[0].Reason, "are all of "+orchestra) || l[1].Note != "over HTTP" || l[1].Reason != "" ||
		l[8].Stories[0] != harvest || l[8].Note != "test: one feature on two events" {
		t.Errorf("the corrections log: %+v", l)
	}
	if err := getJSON(base, "/api/corrections?limit=2", &clog); err != nil || len(clog.Corrections) != 2 {
		t.Errorf("limit=2 gave %d corrections (%v)", len(clog.Corrections), err)
	}
	stopPipeline(t, "pipeline", cancel, done)
}
