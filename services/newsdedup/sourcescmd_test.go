package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/sample"
)

// TestSourcesCommand drives `newsdedup sources` against a running fetcher
// on a real nats-server: a source added at run time is polled, removed, and
// its fetch state forgotten; a --feed source can be neither removed nor
// forgotten that way.
func TestSourcesCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a nats-server")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	siteURL, err := sample.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	feed := siteURL + "/feed.xml"
	natsURL := embeddedNATS(t, dir)
	log := testLog(t)
	pf := pipelineFlags{dataDir: dir, concurrency: 2, replicas: 1, poll: time.Hour, feeds: listFlag{feed}, allowPrivate: true, opsAddr: "127.0.0.1:0"}
	done := make(chan error, 1)
	go func() { done <- runStages(ctx, natsURL, []string{"fetcher"}, pf, log, func(string) {}) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	run := func(args ...string) (string, error) {
		t.Helper()
		var out bytes.Buffer
		err := cmdSources(ctx, append(args, "--nats", natsURL), &out, log)
		return out.String(), err
	}
	line := func(out, url string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, url+" ") {
				return l
			}
		}
		return ""
	}
	waitFor(t, "the --feed source polled", 30*time.Second, func() (bool, string) {
		out, err := run("list")
		return err == nil && strings.HasPrefix(line(out, feed), "healthy"), out
	})

	// Nothing listens there: the source is polled and fails.
	dead := "http://" + freeAddr(t) + "/news.xml"
	if out, err := run("add", dead, "--name", "Dead Daily", "--interval", "2m"); err != nil || !strings.Contains(out, "every 2m0s") {
		t.Fatalf("add: %q, %v", out, err)
	}
	if _, err := run("add", "ftp://example.org/x"); err == nil {
		t.Error("an ftp source was accepted")
	}
	waitFor(t, "the added source polled", 30*time.Second, func() (bool, string) {
		out, _ := run("list")
		l := line(out, dead)
		return strings.HasPrefix(l, "failing") && strings.Contains(l, "Dead Daily") && strings.Contains(l, "2m0s"), out
	})
	if _, err := run("forget", dead); err == nil || !strings.Contains(err.Error(), "remove it first") {
		t.Errorf("forget of a polled source: %v, want refused", err)
	}
	if out, err := run("remove", dead); err != nil || !strings.Contains(out, "removed") {
		t.Fatalf("remove: %q, %v", out, err)
	}
	waitFor(t, "the removed source out of the list in force", 30*time.Second, func() (bool, string) {
		out, _ := run("list")
		return strings.Contains(line(out, dead), "not listed"), out
	})
	out, _ := run("list")
	t.Logf("sources list after the removal:\n%s", out)
	// The same as JSON, a line per source: the feed in force with its
	// state, the removed source's state alone.
	js, err := run("list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]sourceRow{}
	for _, l := range strings.Split(strings.TrimSpace(js), "\n") {
		var r sourceRow
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.Status == nil {
			t.Fatalf("list --json line %q: %v", l, err)
		}
		rows[r.Status.URL] = r
	}
	if f, d := rows[feed], rows[dead]; len(rows) != 2 || !f.InForce || f.Source == nil || !f.Status.Healthy ||
		d.InForce || d.Source != nil || d.Status.Healthy || d.Status.Source != "Dead Daily" {
		t.Errorf("list --json:\n%s", js)
	}
	if out, err := run("forget", dead); err != nil || !strings.Contains(out, "forgot") {
		t.Fatalf("forget: %q, %v", out, err)
	}
	if out, _ := run("list"); line(out, dead) != "" || line(out, feed) == "" {
		t.Errorf("after forget the list still has %s or lost %s:\n%s", dead, feed, out)
	} else {
		t.Logf("sources list:\n%s", out)
	}

	// The --feed source is not the command's to remove or forget.
	if _, err := run("remove", feed); err == nil || !strings.Contains(err.Error(), "still polled") {
		t.Errorf("remove of a --feed source: %v, want refused", err)
	}
	if _, err := run("forget", feed); err == nil {
		t.Error("forget of a --feed source was accepted")
	}
	for _, args := range [][]string{nil, {"add"}, {"frobnicate"}} {
		if _, err := run(args...); !errors.Is(err, errUsage) {
			t.Errorf("sources %v: %v, want a usage error", args, err)
		}
	}
}
