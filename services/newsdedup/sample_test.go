package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/sample"
	"github.com/newsdedup/newsdedup/pkg/story"
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
	// Each story lists its names as the articles write them, once each: a
	// place's name is whole with its particles and hyphens, and one name
	// spelt in two languages is listed once.
	byID := map[string]story.Story{}
	for _, s := range page.Stories {
		byID[s.ID] = s
	}
	for _, tc := range []struct {
		label     string
		listed    []string
		notBoth   [][2]string
		notListed []string
	}{
		{label: "voltera-plant", listed: []string{"Saint-Rambert-des-Forges"}, notBoth: [][2]string{{"Europe", "Europa"}}, notListed: []string{"Forges"}},
		{label: "navimed-strike", notBoth: [][2]string{{"Corsica", "Corse"}}},
		{label: "montclar-baguette", listed: []string{"Montclar-les-Pins"}, notListed: []string{"Pins"}},
		{label: "sereno-landslide", listed: []string{"Saint-Ours-la-Roche"}},
	} {
		s, ok := byID[labelStory[tc.label]]
		if !ok {
			t.Errorf("no story for %s", tc.label)
			continue
		}
		names := map[string]bool{}
		for _, e := range s.Entities {
			names[e.Name] = true
		}
		for _, n := range tc.listed {
			if !names[n] {
				t.Errorf("%s lists %v, not %q", tc.label, s.Entities, n)
			}
		}
		for _, n := range tc.notListed {
			if names[n] {
				t.Errorf("%s lists %q on its own: %v", tc.label, n, s.Entities)
			}
		}
		for _, pair := range tc.notBoth {
			if names[pair[0]] && names[pair[1]] {
				t.Errorf("%s lists both %q and %q: %v", tc.label, pair[0], pair[1], s.Entities)
			}
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

// TestServeSampleKeepsItsAddress: the sample site comes back at the address
// it had with the same data directory (its page URLs are its articles'
// identity), and takes another when that one is taken.
func TestServeSampleKeepsItsAddress(t *testing.T) {
	dir := t.TempDir()
	log := testLog(t)
	ctx1, cancel1 := context.WithCancel(context.Background())
	first, err := serveSample(ctx1, dir, "", log)
	if err != nil {
		t.Fatal(err)
	}
	cancel1()
	// The site shuts down once its context ends; wait for the port.
	waitFor(t, "the first site's port free", 10*time.Second, func() (bool, string) {
		ln, err := net.Listen("tcp", strings.TrimPrefix(first, "http://"))
		if err != nil {
			return false, err.Error()
		}
		return ln.Close() == nil, ""
	})

	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	second, err := serveSample(ctx2, dir, "", log)
	if err != nil {
		t.Fatal(err)
	}
	if second != first {
		t.Errorf("restarted at %s, want %s as before", second, first)
	}
	resp, err := http.Get(second + "/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the restarted site's feed: %s", resp.Status)
	}

	// The second site still runs: a third start takes a new port and
	// remembers it.
	ctx3, cancel3 := context.WithCancel(context.Background())
	defer cancel3()
	third, err := serveSample(ctx3, dir, "", log)
	if err != nil {
		t.Fatal(err)
	}
	if third == second {
		t.Fatalf("third start shares %s with the running second", third)
	}
	kept, err := os.ReadFile(filepath.Join(dir, sampleAddrFile))
	if err != nil || strings.TrimSpace(string(kept)) != strings.TrimPrefix(third, "http://") {
		t.Errorf("remembered %q (err %v), want the third's address %s", kept, err, third)
	}

	// An address given is used as given.
	ctx4, cancel4 := context.WithCancel(context.Background())
	defer cancel4()
	addr := freeAddr(t)
	if got, err := serveSample(ctx4, dir, addr, log); err != nil || got != "http://"+addr {
		t.Errorf("serveSample(%s) = %s, %v", addr, got, err)
	}
}
