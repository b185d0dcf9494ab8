package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

const robotsTxt = `# comments are ignored
Disallow: /before-any-agent

User-agent: otherbot
Disallow: /

User-agent: *
Disallow: /private/
Allow: /private/open
Crawl-delay: 9

user-agent: NewsDedup/0.1
user-agent: spare
disallow: /drafts/        # ours only
Disallow: /*.pdf$
Disallow: /search?q=
allow: /drafts/public$
Crawl-delay: 0.5
Sitemap: https://example.org/sitemap.xml
`

func TestParseRobots(t *testing.T) {
	ours := parseRobots([]byte(robotsTxt), "newsdedup")
	star := parseRobots([]byte(robotsTxt), "somebot")
	tests := []struct {
		rules robotsRules
		path  string
		want  bool
	}{
		{ours, "/drafts/x.html", false},
		{ours, "/drafts/public", true}, // longer allow wins
		{ours, "/drafts/public/more", false},
		{ours, "/private/x", true}, // our group replaces the * group
		{ours, "/report.pdf", false},
		{ours, "/report.pdf?x=1", true}, // $ anchors the end
		{ours, "/search?q=news", false},
		{ours, "/search?page=2", true},
		{ours, "/before-any-agent", true},
		{ours, "/robots.txt", true},
		{star, "/private/x", false},
		{star, "/private/open/x", true},
		{star, "/drafts/x.html", true},
		{star, "/", true},
	}
	for _, tt := range tests {
		u, _ := url.Parse("https://example.org" + tt.path)
		if got := tt.rules.allowed(u); got != tt.want {
			t.Errorf("allowed(%s) = %v, want %v", tt.path, got, tt.want)
		}
	}
	if ours.delay != 500*time.Millisecond || star.delay != 9*time.Second {
		t.Errorf("crawl delays %v and %v", ours.delay, star.delay)
	}
	if r := parseRobots([]byte("User-agent: *\nCrawl-delay: 86400\n"), "x"); r.delay != maxCrawlDelay {
		t.Errorf("huge crawl delay not capped: %v", r.delay)
	}
}

func TestMatchPattern(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/", "/anything", true},
		{"/fish", "/fish.html", true},
		{"/fish", "/Fish", false},
		{"/fish*", "/fishheads/x", true},
		{"/*.php", "/folder/filename.php?params", true},
		{"/*.php$", "/filename.php", true},
		{"/*.php$", "/filename.php?x", false},
		{"/fish*.php", "/fishheads/catfish.php?p", true},
		{"/fish*.php", "/Fish.PHP", false},
		{"/a*b*c$", "/a-b-c-c", true},
		{"/a*b*c$", "/a-b-c-d", false},
		{"/caf%C3%A9", "/caf%C3%A9/x", true},
	}
	for _, tt := range tests {
		if got := matchPattern(tt.pattern, tt.path); got != tt.want {
			t.Errorf("matchPattern(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
	if escapePattern("/café") != "/caf%C3%A9" {
		t.Errorf("escapePattern: %q", escapePattern("/café"))
	}
}

func TestRobotsEnforced(t *testing.T) {
	robots := map[string]func(w http.ResponseWriter){
		"polite": func(w http.ResponseWriter) {
			w.Write([]byte("User-agent: *\nDisallow: /private/\nCrawl-delay: 0.25\n"))
		},
		"down": func(w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) },
		"none": func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotFound) },
	}
	var mode string
	srv, hits := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			robots[mode](w)
		case r.URL.Path == "/go-private":
			http.Redirect(w, r, "/private/x.html", http.StatusFound)
		case r.URL.Path == "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<rss version="2.0"><channel><title>t</title>
<item><title>open</title><link>/open.html</link></item>
<item><title>closed</title><link>/private/closed.html</link></item></channel></rss>`))
		default:
			htmlPage(w, strings.Trim(r.URL.Path, "/"))
		}
	})
	ctx := context.Background()

	mode = "polite"
	f := newTestFetcher(Config{})
	if _, _, err := f.Fetch(ctx, srv.URL+"/private/x.html"); !errors.Is(err, ErrRobots) {
		t.Errorf("disallowed page: err = %v", err)
	}
	if _, _, err := f.Fetch(ctx, srv.URL+"/go-private"); !errors.Is(err, ErrRobots) {
		t.Errorf("redirect into a disallowed path: err = %v", err)
	}
	arts, errs, err := f.Fetch(ctx, srv.URL+"/feed.xml")
	if err != nil || len(arts) != 1 || len(errs) != 1 || !errors.Is(errs[0], ErrRobots) {
		t.Errorf("feed: %d articles, errs %v, err %v; want the open entry and a robots error", len(arts), errs, err)
	}
	// The crawl delay now paces the host (one request per 250ms).
	u, _ := url.Parse(srv.URL)
	f.hosts.mu.Lock()
	slot := f.hosts.hosts[u.Host]
	f.hosts.mu.Unlock()
	if slot == nil || slot.lim.Limit() != rate.Every(250*time.Millisecond) || slot.lim.Burst() != 1 {
		t.Errorf("crawl delay not applied to the host limiter: %+v", slot)
	}

	mode = "down"
	before := hits.Load()
	if _, _, err := newTestFetcher(Config{}).Fetch(ctx, srv.URL+"/open.html"); !errors.Is(err, ErrRobots) || !strings.Contains(err.Error(), "503") || !Retryable(err) {
		t.Errorf("robots.txt answering 503 should disallow all, for now: err = %v", err)
	}
	if hits.Load() != before {
		t.Error("a page was fetched while robots.txt was down")
	}

	mode = "none"
	if _, _, err := newTestFetcher(Config{}).Fetch(ctx, srv.URL+"/private/x.html"); err != nil {
		t.Errorf("no robots.txt allows all: err = %v", err)
	}
}
