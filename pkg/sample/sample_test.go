package sample

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/newsdedup/newsdedup/pkg/sample/internal/render"
)

func TestManifestMatchesEmbeddedFiles(t *testing.T) {
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Sub(siteFS, "site")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, p := range pages {
		if listed[p.Path] {
			t.Errorf("%s listed twice", p.Path)
		}
		listed[p.Path] = true
	}
	var onDisk []string
	err = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			onDisk = append(onDisk, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range onDisk {
		if !listed[p] {
			t.Errorf("%s is embedded but not in the manifest", p)
		}
	}
	if len(onDisk) != len(pages) {
		t.Errorf("%d pages embedded, %d in the manifest", len(onDisk), len(pages))
	}
}

// TestCorpusShape checks the properties the rest of the pipeline relies on:
// cross-lingual stories with 2-4 outlets, unrelated singles, page lengths.
func TestCorpusShape(t *testing.T) {
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 20 || len(pages) > 30 {
		t.Errorf("%d pages, want 20-30", len(pages))
	}
	langs := map[string]int{}
	stories := map[string][]Page{}
	for _, p := range pages {
		langs[p.Lang]++
		stories[p.Story] = append(stories[p.Story], p)
		if p.Words < 250 || p.Words > 500 {
			t.Errorf("%s: %d words, want 250-500", p.Path, p.Words)
		}
		if p.Title == "" || p.Author == "" || p.Published.IsZero() {
			t.Errorf("%s: missing title, author or date", p.Path)
		}
	}
	for _, l := range []string{"it", "fr", "en"} {
		if langs[l] < 5 {
			t.Errorf("%d pages in %s, want at least 5", langs[l], l)
		}
	}
	multi, single := 0, 0
	for label, ps := range stories {
		if len(ps) == 1 {
			single++
			continue
		}
		multi++
		outlets, ls := map[string]bool{}, map[string]bool{}
		for _, p := range ps {
			outlets[p.Outlet] = true
			ls[p.Lang] = true
		}
		if len(ps) > 4 || len(outlets) != len(ps) || len(ls) < 2 {
			t.Errorf("story %s: %d pages, %d outlets, %d languages; want 2-4 pages from distinct outlets in 2+ languages",
				label, len(ps), len(outlets), len(ls))
		}
	}
	if multi < 6 || single < 5 {
		t.Errorf("%d multi-outlet stories and %d singles, want 6+ and 5+", multi, single)
	}
}

func TestSiteUpToDate(t *testing.T) {
	want, err := render.Build(os.DirFS("corpus"))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range want {
		got, err := fs.ReadFile(siteFS, "site/"+name)
		if err != nil {
			t.Errorf("%s: %v (run go generate ./pkg/sample)", name, err)
			continue
		}
		if !bytes.Equal(got, b) {
			t.Errorf("%s is stale: run go generate ./pkg/sample", name)
		}
	}
}

func TestPagesCarryBoilerplateAndMetadata(t *testing.T) {
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	newsletter := map[string]string{
		"it": "Iscriviti alla newsletter",
		"fr": "Abonnez-vous à notre newsletter",
		"en": "Sign up for our newsletter",
	}
	related := map[string]string{"it": "Leggi anche", "fr": "Lire aussi", "en": "Read more"}
	for _, p := range pages {
		b, err := fs.ReadFile(siteFS, "site/"+p.Path)
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		for _, want := range []string{
			"<article", `property="og:title"`, `property="article:published_time"`, `name="author"`,
			`rel="canonical"`, "<figcaption", "<footer", "cookie", newsletter[p.Lang], related[p.Lang],
		} {
			if !strings.Contains(strings.ToLower(html), strings.ToLower(want)) {
				t.Errorf("%s: no %q", p.Path, want)
			}
		}
	}
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, ctype string
		status      int
		contains    string
	}{
		{"/", "text/html", 200, "/feed.xml"},
		{"/" + pages[0].Path, "text/html", 200, "<article"},
		{"/ilfaro/", "text/html", 200, "Il Faro Quotidiano"},
		{"/feed.xml", "application/rss+xml", 200, "<rss"},
		{"/static/img/ilfaro-x.svg", "image/svg+xml", 200, "<svg"},
		{"/ilfaro/missing.html", "", 404, ""},
		{"/nosuchoutlet/feed.xml", "", 404, ""},
		{"/manifest.json", "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := get(t, srv.URL+tt.path)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.ctype) {
				t.Errorf("content type %q, want %q", resp.Header.Get("Content-Type"), tt.ctype)
			}
			if !strings.Contains(string(body), tt.contains) {
				t.Errorf("body lacks %q", tt.contains)
			}
		})
	}
}

func TestFeeds(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	pages, err := Pages()
	if err != nil {
		t.Fatal(err)
	}
	outlets, err := Outlets()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"/feed.xml": len(pages)}
	for _, o := range outlets {
		for _, p := range pages {
			if p.Outlet == o.ID {
				want["/"+o.ID+"/feed.xml"]++
			}
		}
	}
	titles := map[string]bool{}
	for _, p := range pages {
		titles[p.Title] = true
	}
	paths := make([]string, 0, len(want))
	for p := range want {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			_, body := get(t, srv.URL+path)
			feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if len(feed.Items) != want[path] {
				t.Fatalf("%d items, want %d", len(feed.Items), want[path])
			}
			for _, it := range feed.Items {
				if !titles[it.Title] || it.PublishedParsed == nil || it.Description == "" || len(it.Authors) == 0 {
					t.Errorf("item %q: unknown title or missing date, description or author", it.Title)
				}
				if !strings.HasPrefix(it.Link, srv.URL+"/") {
					t.Errorf("link %q is not absolute under %s", it.Link, srv.URL)
				}
				resp, page := get(t, it.Link)
				if resp.StatusCode != 200 || !bytes.Contains(page, []byte("<article")) {
					t.Errorf("link %q: status %d, not an article page", it.Link, resp.StatusCode)
				}
			}
		})
	}
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	url, err := Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := get(t, url+"/feed.xml")
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	cancel()
}
