package fetch

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/sample"
)

func page(title, author, published, canonical, body string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\">")
	fmt.Fprintf(&b, "<title>%s - Example News</title><meta property=\"og:title\" content=\"%s\">", title, title)
	if author != "" {
		fmt.Fprintf(&b, "<meta name=\"author\" content=\"%s\">", author)
	}
	if published != "" {
		fmt.Fprintf(&b, "<meta property=\"article:published_time\" content=\"%s\">", published)
	}
	if canonical != "" {
		fmt.Fprintf(&b, "<link rel=\"canonical\" href=\"%s\">", canonical)
	}
	fmt.Fprintf(&b, "</head><body><nav>Home</nav><article><h1>%s</h1><p>%s</p></article></body></html>", title, body)
	return b.String()
}

const rssFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Example News</title><link>/</link><description>test</description>
<item><title>Feed title A</title><link>%[1]s/a.html</link><dc:creator>Ada Feed</dc:creator><pubDate>Tue, 03 Mar 2026 10:20:00 +0100</pubDate></item>
<item><title>Feed title B</title><link>%[1]s/b.html?utm_source=rss</link><dc:creator>Bea Feed</dc:creator><pubDate>Wed, 04 Mar 2026 08:00:00 +0000</pubDate></item>
<item><title>Feed title C</title><link>/c.html</link><pubDate>Thu, 05 Mar 2026 08:00:00 +0000</pubDate></item>
%[2]s</channel></rss>`

const atomFeed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title><id>urn:x</id><updated>2026-03-05T08:00:00Z</updated>
<entry><title>Atom A</title><link href="%[1]s/a.html"/><id>urn:a</id><author><name>Ada Atom</name></author><published>2026-03-03T09:20:00Z</published><updated>2026-03-03T09:20:00Z</updated></entry>
<entry><title>Atom B</title><link rel="alternate" href="%[1]s/b.html"/><id>urn:b</id><author><name>Bea Atom</name></author><updated>2026-03-04T08:00:00Z</updated></entry>
</feed>`

const jsonFeed = `{"version":"https://jsonfeed.org/version/1.1","title":"Example JSON","items":[
{"id":"1","url":"%[1]s/a.html","title":"Json A","date_published":"2026-03-03T09:20:00Z","authors":[{"name":"Ada Json"}]}]}`

// newServer serves small pages, feeds and misbehaviours for the tests.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	var srv *httptest.Server
	html := func(s string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, s)
		}
	}
	feed := func(ctype, tmpl string, extra ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", ctype)
			fmt.Fprintf(w, tmpl, srv.URL, strings.Join(extra, ""))
		}
	}
	mux.Handle("/a.html", html(page("Page A", "Ada Page", "2026-03-01T00:00:00Z", "", "Alpha body.")))
	mux.Handle("/b.html", html(page("Page B", "Bea Page", "2026-03-01T00:00:00Z", "/b.html", "Beta body.")))
	mux.Handle("/c.html", html(page("Page C", "Cid Page", "2026-03-02T07:00:00+01:00", "", "Gamma body.")))
	mux.Handle("/page.html", html(page("Single", "Sam Single", "2026-03-06T12:00:00+01:00", "/canonical/page.html?utm_source=x#top", "Single body.")))
	mux.Handle("/homecanon.html", html(page("Home canon", "", "", "/", "Body.")))
	mux.Handle("/rss.xml", feed("application/rss+xml", rssFeed))
	mux.Handle("/rss-as-html", feed("text/html", rssFeed))
	mux.Handle("/broken.xml", feed("application/rss+xml", rssFeed,
		`<item><title>Gone</title><link>/missing.html</link></item><item><title>No link</title></item>`))
	mux.Handle("/dup.xml", feed("application/rss+xml", rssFeed, `<item><title>Again</title><link>/c.html</link></item>`))
	mux.Handle("/atom.xml", feed("application/atom+xml", atomFeed))
	mux.Handle("/feed.json", feed("application/feed+json", jsonFeed))
	mux.HandleFunc("/bad.xml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>x</title><item><title>unterminated`)
	})
	mux.HandleFunc("/api.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status":"ok"}`)
	})
	mux.HandleFunc("/image.png", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		fmt.Fprint(w, "\x89PNG\r\n\x1a\n....")
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, strings.Repeat("x", 5000))
	})
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for range 10 {
			fmt.Fprint(w, strings.Repeat("y", 500))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) })
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/a.html", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/to-ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.com/file", http.StatusFound)
	})
	mux.HandleFunc("/cp1252-header.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		fmt.Fprint(w, "<html><head><title>Caf\xe9</title></head><body><p>\x93Citt\xe0\x94 d\xe9j\xe0 \x80 5</p></body></html>")
	})
	mux.HandleFunc("/cp1252-meta.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><title>Caf\xe9</title></head><body><p>\x93Citt\xe0\x94 d\xe9j\xe0 \x80 5</p></body></html>")
	})
	mux.HandleFunc("/cp1252-bare.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>Caf\xe9</title></head><body><p>\x93Citt\xe0\x94 d\xe9j\xe0 \x80 5</p></body></html>")
	})
	mux.HandleFunc("/utf8-late.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>Late</title><style>"+strings.Repeat("/* padding */ ", 200)+"</style></head><body><p>“Città” déjà € 5</p></body></html>")
	})
	mux.HandleFunc("/gzip.html", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.Error(w, "gzip expected", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		fmt.Fprint(zw, page("Zipped", "", "", "", "Compressed body."))
		zw.Close()
	})
	mux.HandleFunc("/ua", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<html><head><title>%s</title></head><body></body></html>", r.UserAgent())
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

var fixedNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// newTestFetcher allows loopback (httptest listens there), lifts the host
// rate limit, skips retry sleeps and fixes the clock.
func newTestFetcher(cfg Config) *Fetcher {
	cfg.AllowPrivate = true
	if cfg.HostRate == 0 {
		cfg.HostRate = -1
	}
	f := New(cfg)
	f.now = func() time.Time { return fixedNow }
	f.sleep = func(context.Context, time.Duration) error { return nil }
	return f
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

type want struct {
	url, title, author string
	published          time.Time
	htmlHas            string
}

func checkArticles(t *testing.T, arts []article.Article, wants []want) {
	t.Helper()
	if len(arts) != len(wants) {
		t.Fatalf("%d articles, want %d: %+v", len(arts), len(wants), arts)
	}
	for i, w := range wants {
		a := arts[i]
		if a.URL != w.url || a.Title != w.title || a.Author != w.author {
			t.Errorf("article %d: url %q title %q author %q; want %q %q %q", i, a.URL, a.Title, a.Author, w.url, w.title, w.author)
		}
		if a.ID != article.DefaultID(w.url, "") {
			t.Errorf("article %d: id %q, want DefaultID of %q", i, a.ID, w.url)
		}
		if a.Source != "127.0.0.1" {
			t.Errorf("article %d: source %q", i, a.Source)
		}
		if a.Published == nil || !a.Published.Equal(w.published) {
			t.Errorf("article %d: published %v, want %v", i, a.Published, w.published)
		}
		if a.Fetched == nil || !a.Fetched.Equal(fixedNow) {
			t.Errorf("article %d: fetched %v", i, a.Fetched)
		}
		if !strings.Contains(a.HTML, w.htmlHas) {
			t.Errorf("article %d: HTML lacks %q", i, w.htmlHas)
		}
	}
}

func TestFetchFeeds(t *testing.T) {
	srv := newServer(t)
	u := srv.URL
	rss := []want{
		{u + "/a.html", "Feed title A", "Ada Feed", ts("2026-03-03T09:20:00Z"), "Alpha body."},
		{u + "/b.html", "Feed title B", "Bea Feed", ts("2026-03-04T08:00:00Z"), "Beta body."},
		// The entry has no author: the page's meta author fills in.
		{u + "/c.html", "Feed title C", "Cid Page", ts("2026-03-05T08:00:00Z"), "Gamma body."},
	}
	tests := []struct {
		name  string
		path  string
		cfg   Config
		wants []want
	}{
		{"rss", "/rss.xml", Config{}, rss},
		{"rss served as text/html", "/rss-as-html", Config{}, rss},
		{"rss capped by MaxItems", "/rss.xml", Config{MaxItems: 2}, rss[:2]},
		{"rss duplicate link dropped", "/dup.xml", Config{}, rss},
		{"atom", "/atom.xml", Config{}, []want{
			{u + "/a.html", "Atom A", "Ada Atom", ts("2026-03-03T09:20:00Z"), "Alpha body."},
			// No <published>: <updated> stands in.
			{u + "/b.html", "Atom B", "Bea Atom", ts("2026-03-04T08:00:00Z"), "Beta body."},
		}},
		{"json feed", "/feed.json", Config{}, []want{
			{u + "/a.html", "Json A", "Ada Json", ts("2026-03-03T09:20:00Z"), "Alpha body."},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, errs, err := newTestFetcher(tt.cfg).Fetch(context.Background(), u+tt.path)
			if err != nil || len(errs) != 0 {
				t.Fatalf("err %v, errs %v", err, errs)
			}
			checkArticles(t, arts, tt.wants)
		})
	}
}

func TestFetchFeedWithBrokenEntries(t *testing.T) {
	srv := newServer(t)
	arts, errs, err := newTestFetcher(Config{}).Fetch(context.Background(), srv.URL+"/broken.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 3 {
		t.Errorf("%d articles, want the 3 good entries", len(arts))
	}
	if len(errs) != 2 {
		t.Fatalf("errs %v, want 2", errs)
	}
	var se *StatusError
	if !errors.As(errs[0], &se) || se.StatusCode != http.StatusNotFound || !strings.Contains(errs[0].Error(), "/missing.html") {
		t.Errorf("errs[0] = %v, want a 404 naming the entry", errs[0])
	}
	if !errors.Is(errs[1], ErrNoLink) {
		t.Errorf("errs[1] = %v, want ErrNoLink", errs[1])
	}
}

func TestFetchPage(t *testing.T) {
	srv := newServer(t)
	u := srv.URL
	tests := []struct {
		name string
		path string
		want want
	}{
		{"canonical wins, tracking and fragment dropped", "/page.html",
			want{u + "/canonical/page.html", "Single", "Sam Single", ts("2026-03-06T11:00:00Z"), "Single body."}},
		{"redirect gives the final URL", "/moved",
			want{u + "/a.html", "Page A", "Ada Page", ts("2026-03-01T00:00:00Z"), "Alpha body."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, errs, err := newTestFetcher(Config{}).Fetch(context.Background(), u+tt.path)
			if err != nil || errs != nil {
				t.Fatalf("err %v, errs %v", err, errs)
			}
			checkArticles(t, arts, []want{tt.want})
		})
	}
}

func TestFetchPageDetails(t *testing.T) {
	srv := newServer(t)
	f := newTestFetcher(Config{})
	one := func(t *testing.T, path string) article.Article {
		t.Helper()
		arts, _, err := f.Fetch(context.Background(), srv.URL+path)
		if err != nil {
			t.Fatal(err)
		}
		return arts[0]
	}
	t.Run("home-page canonical ignored", func(t *testing.T) {
		if a := one(t, "/homecanon.html"); a.URL != srv.URL+"/homecanon.html" {
			t.Errorf("url %q", a.URL)
		}
	})
	t.Run("gzip", func(t *testing.T) {
		if a := one(t, "/gzip.html"); !strings.Contains(a.HTML, "Compressed body.") {
			t.Errorf("html %q", a.HTML)
		}
	})
	t.Run("user agent", func(t *testing.T) {
		if a := one(t, "/ua"); a.Title != DefaultUserAgent {
			t.Errorf("server saw %q", a.Title)
		}
	})
	for _, path := range []string{"/cp1252-header.html", "/cp1252-meta.html", "/cp1252-bare.html", "/utf8-late.html"} {
		t.Run("charset "+path, func(t *testing.T) {
			a := one(t, path)
			if !strings.Contains(a.HTML, "“Città” déjà € 5") {
				t.Errorf("html not decoded: %q", a.HTML)
			}
		})
	}
}

func TestFetchErrors(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name string
		url  string
		cfg  Config
		want error
	}{
		{"404", srv.URL + "/nope", Config{}, ErrStatus},
		{"over the limit", srv.URL + "/big", Config{MaxBodyBytes: 1024}, ErrTooLarge},
		{"over the limit, chunked", srv.URL + "/big-chunked", Config{MaxBodyBytes: 1024}, ErrTooLarge},
		{"redirect loop", srv.URL + "/loop", Config{}, ErrTooManyRedirects},
		{"redirect to ftp", srv.URL + "/to-ftp", Config{}, ErrScheme},
		{"ftp url", "ftp://example.com/feed.xml", Config{}, ErrScheme},
		{"relative url", "/feed.xml", Config{}, ErrScheme},
		{"no host", "http:///feed.xml", Config{}, ErrURL},
		{"broken feed", srv.URL + "/bad.xml", Config{}, ErrFeed},
		{"json that is no feed", srv.URL + "/api.json", Config{}, ErrUnsupported},
		{"image", srv.URL + "/image.png", Config{}, ErrUnsupported},
		{"timeout", srv.URL + "/slow", Config{Timeout: 200 * time.Millisecond}, ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, errs, err := newTestFetcher(tt.cfg).Fetch(context.Background(), tt.url)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if arts != nil || errs != nil {
				t.Errorf("arts %v errs %v alongside an error", arts, errs)
			}
		})
	}
	t.Run("404 status", func(t *testing.T) {
		_, _, err := newTestFetcher(Config{}).Fetch(context.Background(), srv.URL+"/nope")
		var se *StatusError
		if !errors.As(err, &se) || se.StatusCode != 404 || !strings.Contains(err.Error(), "404") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, _, err := newTestFetcher(Config{}).Fetch(ctx, srv.URL+"/a.html")
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

// TestFetchSampleSite reads the built-in sample site's feed end to end.
func TestFetchSampleSite(t *testing.T) {
	srv := httptest.NewServer(sample.Handler())
	defer srv.Close()
	pages, err := sample.Pages()
	if err != nil {
		t.Fatal(err)
	}
	outlets, err := sample.Outlets()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, o := range outlets {
		names[o.ID] = o.Name
	}
	byURL := map[string]sample.Page{}
	for _, p := range pages {
		byURL[article.CanonicalURL(srv.URL+"/"+p.Path)] = p
	}
	for _, feed := range []string{"/feed.xml", "/laboussole/feed.xml"} {
		t.Run(feed, func(t *testing.T) {
			arts, errs, err := New(Config{AllowPrivate: true, HostRate: -1}).Fetch(context.Background(), srv.URL+feed)
			if err != nil || len(errs) != 0 {
				t.Fatalf("err %v, errs %v", err, errs)
			}
			if feed == "/feed.xml" && len(arts) != len(pages) {
				t.Errorf("%d articles, want %d", len(arts), len(pages))
			}
			ids := map[string]bool{}
			for _, a := range arts {
				p, ok := byURL[a.URL]
				if !ok {
					t.Errorf("article URL %q is no sample page (canonical not applied?)", a.URL)
					continue
				}
				if ids[a.ID] {
					t.Errorf("duplicate id %s", a.ID)
				}
				ids[a.ID] = true
				if a.Title != p.Title || a.Author != p.Author || a.Published == nil || !a.Published.Equal(p.Published) {
					t.Errorf("%s: got %q %q %v, want %q %q %v", p.Path, a.Title, a.Author, a.Published, p.Title, p.Author, p.Published)
				}
				// Outlets share the host; og:site_name tells them apart.
				if !strings.Contains(a.HTML, "<article") || a.Source != names[p.Outlet] {
					t.Errorf("%s: source %q or HTML without <article>", p.Path, a.Source)
				}
			}
		})
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
