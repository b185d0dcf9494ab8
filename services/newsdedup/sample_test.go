package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/sample"
)

// TestRunSample is what `make run` shows: the pipeline fetches the built-in
// sample site's feed over HTTP and groups its pages into the stories the
// corpus was written with, one story per event, across languages.
func TestRunSample(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	siteURL, err := sample.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := embeddedNATS(t, dir)
	httpAddr := freeAddr(t)
	pf := pipelineFlags{dataDir: dir, httpAddr: httpAddr, concurrency: 2, replicas: 1, poll: time.Hour,
		feeds: listFlag{siteURL + "/feed.xml"}, allowPrivate: true}
	done := make(chan error, 1)
	go func() { done <- runStages(ctx, url, allStages, pf, testLog(t), func(string) {}) }()

	pages, err := sample.Pages()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // canonical URL → story label
	for _, p := range pages {
		want[article.CanonicalURL(siteURL+"/"+p.Path)] = p.Story
	}
	base := "http://" + httpAddr
	var page index.Page
	waitFor(t, "every sample page in a story", 90*time.Second, func() (bool, string) {
		page = index.Page{}
		if err := getJSON(base, "/api/stories?limit=100", &page); err != nil {
			return false, err.Error()
		}
		n := 0
		for _, s := range page.Stories {
			n += len(s.Members)
		}
		return n == len(pages), fmt.Sprintf("%d of %d pages", n, len(pages))
	})
	labelStory := map[string]string{}
	for _, s := range page.Stories {
		labels := map[string]bool{}
		for _, m := range s.Members {
			label, ok := want[m.URL]
			if !ok {
				t.Errorf("member URL %q is not a sample page", m.URL)
				continue
			}
			labels[label] = true
			if prev, seen := labelStory[label]; seen && prev != s.ID {
				t.Errorf("story %q is split between %s and %s", label, prev, s.ID)
			}
			labelStory[label] = s.ID
		}
		if len(labels) > 1 {
			t.Errorf("story %s (%q) mixes events %v", s.ID, s.Headline, labels)
		}
	}
	// The fetcher's view of its sources is served by the API.
	var src struct {
		Summary struct{ Sources, Failing int } `json:"summary"`
		Sources []struct {
			Healthy bool `json:"healthy"`
		} `json:"sources"`
	}
	if err := getJSON(base, "/api/sources", &src); err != nil {
		t.Fatal(err)
	}
	if src.Summary.Sources < 1 || src.Summary.Failing != 0 || len(src.Sources) != src.Summary.Sources {
		t.Errorf("source status: %+v", src)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
