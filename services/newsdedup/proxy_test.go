package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/fetch/fetchtest"
	"github.com/newsdedup/newsdedup/pkg/index"
)

// TestRunThroughProxy runs the pipeline with --proxy: the feed and its
// pages, at a name only the proxy knows, are fetched through it and become
// a story.
func TestRunThroughProxy(t *testing.T) {
	const body = "Le ferry de nuit entre Marseille et Bastia a repris son service mardi soir après trois jours " +
		"de grève des marins, a annoncé la compagnie Navimed dans un communiqué. "
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss version="2.0"><channel><title>Le Quai</title><link>http://quai.example/</link><description>d</description>`+
				`<item><title>Les ferries reprennent</title><link>http://quai.example/ferries.html</link></item></channel></rss>`)
		case "/ferries.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html lang="fr"><head><title>Les ferries reprennent entre Marseille et Bastia</title></head><body><article><p>`+
				strings.Repeat(body, 4)+`</p></article></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(site.Close)
	proxy := fetchtest.NewProxy(t, map[string]string{"quai.example:80": strings.TrimPrefix(site.URL, "http://")})

	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := embeddedNATS(t, dir)
	httpAddr := freeAddr(t)
	// --allow-private: this machine cannot resolve quai.example, so the
	// proxy is trusted with the address policy.
	pf := pipelineFlags{dataDir: dir, httpAddr: httpAddr, concurrency: 2, replicas: 1, poll: time.Hour,
		feeds: listFlag{"http://quai.example/feed.xml"}, allowPrivate: true, proxy: proxy.URL}
	if err := pf.check(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- runStages(ctx, url, allStages, pf, testLog(t), func(string) {}) }()

	waitFor(t, "the proxied page in a story", 60*time.Second, func() (bool, string) {
		var page index.Page
		if err := getJSON("http://"+httpAddr, "/api/stories?limit=10", &page); err != nil {
			return false, err.Error()
		}
		for _, s := range page.Stories {
			for _, m := range s.Members {
				if m.URL == "http://quai.example/ferries.html" {
					return true, ""
				}
			}
		}
		return false, fmt.Sprintf("%d stories", len(page.Stories))
	})
	if asked := proxy.Asked(); !slices.Contains(asked, "quai.example:80") {
		t.Errorf("the proxy was asked for %v", asked)
	}
	stopPipeline(t, "pipeline", cancel, done)
}

func TestProxyFlagChecked(t *testing.T) {
	for _, tt := range []struct {
		proxy string
		ok    bool
	}{{"", true}, {"env", true}, {"http://proxy.corp:3128", true}, {"socks5h://10.0.0.8:1080", true},
		{"ftp://proxy.corp", false}, {"proxy.corp:3128", false}} {
		err := pipelineFlags{proxy: tt.proxy}.check()
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, errUsage)) {
			t.Errorf("--proxy %q: err = %v", tt.proxy, err)
		}
	}
}
