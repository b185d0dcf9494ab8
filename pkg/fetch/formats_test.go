package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// formatServer serves one page per path /p/<name>.html and the documents
// given, with %[1]s replaced by the server's URL.
func formatServer(t *testing.T, docs map[string]struct{ ctype, body string }) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d, ok := docs[r.URL.Path]; ok {
			w.Header().Set("Content-Type", d.ctype)
			if strings.Contains(d.body, "%[1]s") {
				fmt.Fprintf(w, d.body, srv.URL)
			} else {
				w.Write([]byte(d.body))
			}
			return
		}
		if name, ok := strings.CutPrefix(r.URL.Path, "/p/"); ok {
			name = strings.TrimSuffix(name, ".html")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><title>Page %s</title><meta property="og:site_name" content="Site %s"></head><body><p>Body of %s.</p></body></html>`, name, name, name)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFeedFormats(t *testing.T) {
	docs := map[string]struct{ ctype, body string }{
		"/rss091.xml": {"text/xml", `<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>%[1]s/</link><description>d</description><language>en</language>
<item><title>Ninety-one</title><link>%[1]s/p/one.html</link><description>x</description></item></channel></rss>`},
		"/rss092.xml": {"text/xml", `<?xml version="1.0"?><rss version="0.92"><channel><title>Old</title><link>%[1]s/</link><description>d</description>
<item><title>Ninety-two</title><link>%[1]s/p/one.html</link></item></channel></rss>`},
		"/rdf.xml": {"application/rdf+xml", `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="%[1]s/"><title>RDF</title><link>%[1]s/</link><description>d</description></channel>
<item rdf:about="%[1]s/p/one.html"><title>Resource</title><link>%[1]s/p/one.html</link><dc:creator>Dee Creator</dc:creator><dc:date>2026-03-02T10:00:00Z</dc:date></item>
</rdf:RDF>`},
		"/rss2.xml": {"application/rss+xml", `<rss version="2.0"><channel><title>Two</title><link>%[1]s/</link><description>d</description>
<item><title>Two oh</title><link>%[1]s/p/one.html</link><author>ann@example.org (Ann Author)</author><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>`},
		"/atom.xml": {"application/atom+xml", `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><updated>2026-03-02T10:00:00Z</updated>
<entry><title type="html">Atom &amp;amp; co</title><id>urn:1</id><link rel="alternate" type="text/html" href="/p/one.html"/><updated>2026-03-02T10:00:00Z</updated><author><name>Ava</name></author></entry></feed>`},
		"/json10.json": {"application/json", `{"version":"https://jsonfeed.org/version/1","title":"J","items":[
{"id":"1","url":"%[1]s/p/one.html","title":"Json one","author":{"name":"Jo"},"date_published":"2026-03-02T10:00:00Z"}]}`},
		"/json11.json": {"application/feed+json", "\ufeff" + `{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[
{"id":"1","url":"%[1]s/p/one.html","title":"Json one one","authors":[{"name":"Jo"}],"date_published":"2026-03-02T10:00:00Z"}]}`},
	}
	srv := formatServer(t, docs)
	march2 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		path, title, author string
		published           *time.Time
	}{
		{"/rss091.xml", "Ninety-one", "", nil},
		{"/rss092.xml", "Ninety-two", "", nil},
		{"/rdf.xml", "Resource", "Dee Creator", &march2},
		{"/rss2.xml", "Two oh", "Ann Author", &march2},
		{"/atom.xml", "Atom & co", "Ava", &march2},
		{"/json10.json", "Json one", "Jo", &march2},
		{"/json11.json", "Json one one", "Jo", &march2},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, err := newTestFetcher(Config{}).Do(context.Background(), Request{URL: srv.URL + tt.path})
			if err != nil {
				t.Fatal(err)
			}
			if res.Kind != KindFeed || len(res.Articles) != 1 || len(res.Errors) != 0 {
				t.Fatalf("kind %q, %d articles, errors %v", res.Kind, len(res.Articles), res.Errors)
			}
			a := res.Articles[0]
			if a.Title != tt.title || a.Author != tt.author || a.URL != srv.URL+"/p/one.html" || a.Source != "Site one" {
				t.Errorf("got title %q author %q url %q source %q", a.Title, a.Author, a.URL, a.Source)
			}
			if (a.Published == nil) != (tt.published == nil) || (a.Published != nil && !a.Published.Equal(*tt.published)) {
				t.Errorf("published %v, want %v", a.Published, tt.published)
			}
		})
	}
}

func TestFeedDuplicateAndMalformedEntries(t *testing.T) {
	srv := formatServer(t, map[string]struct{ ctype, body string }{
		"/messy.xml": {"application/rss+xml", `<rss version="2.0"><channel><title>Messy</title><link>%[1]s/</link><description>d</description>
<item><title>Good</title><link>%[1]s/p/good.html</link><pubDate>not a date</pubDate></item>
<item><title>Good again, tracked</title><link>%[1]s/p/good.html?utm_source=rss&amp;utm_medium=feed</link></item>
<item><title>Good again, fragment</title><link>%[1]s/p/good.html#comments</link></item>
<item><title>No link at all</title><description>x</description></item>
<item><title>Script link</title><link>javascript:alert(1)</link></item>
<item><title>Mail link</title><link>mailto:desk@example.org</link></item>
<item><title>Empty link</title><link>   </link></item>
<item><title>Image</title><link>%[1]s/logo.png</link></item>
<item><title>Gone</title><link>%[1]s/gone.html</link></item>
<item><title>Other</title><link>%[1]s/p/other.html</link></item>
<item><title>Unterminated &amp; odd &#xD800; chars</title><link>%[1]s/p/third.html</link></item>
</channel></rss>`},
		"/logo.png": {"image/png", "\x89PNG\r\n\x1a\nxxxx"},
	})
	res, err := newTestFetcher(Config{}).Do(context.Background(), Request{URL: srv.URL + "/messy.xml"})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, a := range res.Articles {
		titles = append(titles, a.Title)
	}
	if want := "Good|Other|Unterminated & odd \uFFFD chars"; strings.Join(titles, "|") != want {
		t.Errorf("articles %q, want %q", titles, want)
	}
	if res.Articles[0].Published != nil {
		t.Errorf("a bad date should leave published empty, got %v", res.Articles[0].Published)
	}
	if res.Entries != 11 || res.Malformed != 4 {
		t.Errorf("entries %d malformed %d, want 11 and 4", res.Entries, res.Malformed)
	}
	// 4 malformed, the image (unsupported) and the 404.
	if len(res.Errors) != 6 {
		t.Fatalf("errors %v", res.Errors)
	}
	var unsupported, notFound int
	for _, e := range res.Errors {
		var ee *EntryError
		if !errors.As(e, &ee) || ee.Retry {
			t.Errorf("%v: want a permanent *EntryError", e)
		}
		if errors.Is(e, ErrUnsupported) {
			unsupported++
		}
		var se *StatusError
		if errors.As(e, &se) && se.StatusCode == 404 {
			notFound++
		}
	}
	if unsupported != 1 || notFound != 1 || res.Incomplete {
		t.Errorf("unsupported %d, 404 %d, incomplete %v", unsupported, notFound, res.Incomplete)
	}
}

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func TestSitemaps(t *testing.T) {
	// fixedNow is 2026-03-10; SitemapMaxAge defaults to 7 days.
	plain := `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>%[1]s/p/old.html</loc><lastmod>2025-01-01</lastmod></url>
<url><loc>%[1]s/p/mid.html</loc><lastmod>2026-03-08T10:00:00+00:00</lastmod><image:image><image:loc>%[1]s/img.jpg</image:loc></image:image></url>
<url><loc>%[1]s/p/new.html</loc><lastmod>2026-03-09</lastmod></url>
<url><loc>%[1]s/p/undated.html</loc></url>
<url><loc>ftp://%[1]s/p/bad.html</loc></url>
</urlset>`
	news := `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>%[1]s/p/flood.html</loc>
 <news:news><news:publication><news:name>Valley Courier</news:name><news:language>en</news:language></news:publication>
 <news:publication_date>2026-03-09T18:30:00+01:00</news:publication_date><news:title>River floods the old town</news:title></news:news></url>
<url><loc>%[1]s/p/quake.html</loc>
 <news:news><news:publication><news:name>Valley Courier</news:name><news:language>en</news:language></news:publication>
 <news:publication_date>2026-03-09T20:00:00Z</news:publication_date><news:title>Small quake felt</news:title></news:news></url>
</urlset>`
	index := `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%[1]s/news.xml</loc><lastmod>2026-03-09</lastmod></sitemap>
<sitemap><loc>%[1]s/plain.xml.gz</loc><lastmod>2026-03-08</lastmod></sitemap>
<sitemap><loc>%[1]s/missing.xml</loc><lastmod>2020-01-01</lastmod></sitemap>
</sitemapindex>`
	var srv *httptest.Server
	docs := map[string]struct{ ctype, body string }{
		"/plain.xml": {"application/xml", plain},
		"/news.xml":  {"text/xml; charset=utf-8", news},
		"/index.xml": {"application/xml", index},
	}
	srv = formatServer(t, docs)
	docs["/plain.xml.gz"] = struct{ ctype, body string }{"application/x-gzip", gz(fmt.Sprintf(plain, srv.URL))}

	t.Run("plain, newest first, old and bad left out", func(t *testing.T) {
		res, err := newTestFetcher(Config{}).Do(context.Background(), Request{URL: srv.URL + "/plain.xml"})
		if err != nil {
			t.Fatal(err)
		}
		checkURLs(t, res, srv.URL, "new", "mid", "undated")
		if res.Kind != KindSitemap || res.Malformed != 1 {
			t.Errorf("kind %q malformed %d", res.Kind, res.Malformed)
		}
	})
	t.Run("news sitemap gives title, date and source", func(t *testing.T) {
		res, err := newTestFetcher(Config{}).Do(context.Background(), Request{URL: srv.URL + "/news.xml"})
		if err != nil {
			t.Fatal(err)
		}
		checkURLs(t, res, srv.URL, "quake", "flood")
		a := res.Articles[1]
		if a.Title != "River floods the old town" || a.Published == nil || !a.Published.Equal(time.Date(2026, 3, 9, 17, 30, 0, 0, time.UTC)) {
			t.Errorf("flood: %q %v", a.Title, a.Published)
		}
		// The page's og:site_name still wins: it names the template.
		if a.Source != "Site flood" {
			t.Errorf("source %q", a.Source)
		}
	})
	t.Run("index reads recent children, gzipped too", func(t *testing.T) {
		res, err := newTestFetcher(Config{MaxSitemapChildren: 2}).Do(context.Background(), Request{URL: srv.URL + "/index.xml"})
		if err != nil {
			t.Fatal(err)
		}
		checkURLs(t, res, srv.URL, "quake", "flood", "new", "mid", "undated")
	})
	t.Run("a failing child is an entry error", func(t *testing.T) {
		res, err := newTestFetcher(Config{}).Do(context.Background(), Request{URL: srv.URL + "/index.xml"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Articles) != 5 || len(res.Errors) != 2 { // missing.xml and the ftp URL
			t.Errorf("%d articles, errors %v", len(res.Articles), res.Errors)
		}
	})
	t.Run("capped", func(t *testing.T) {
		res, err := newTestFetcher(Config{}).Do(context.Background(), Request{URL: srv.URL + "/plain.xml", MaxItems: 1})
		if err != nil {
			t.Fatal(err)
		}
		checkURLs(t, res, srv.URL, "new")
	})
}

func checkURLs(t *testing.T, res *Result, base string, names ...string) {
	t.Helper()
	var got, want []string
	for _, a := range res.Articles {
		got = append(got, a.URL)
	}
	for _, n := range names {
		want = append(want, base+"/p/"+n+".html")
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("articles\n got %v\nwant %v", got, want)
	}
}

func TestDetectKind(t *testing.T) {
	tests := []struct {
		ctype, body string
		want        Kind
	}{
		{"text/html", "<!DOCTYPE html><html><head></head></html>", KindPage},
		{"", "\ufeff  <html><body>x</body></html>", KindPage},
		{"text/html", `<?xml version="1.0"?><rss version="2.0"></rss>`, KindFeed},
		{"text/plain", `<?xml version="1.0"?><!-- c --><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>`, KindSitemap},
		{"application/xml", `<sitemapindex></sitemapindex>`, KindSitemap},
		{"application/xml", `<feed xmlns="http://www.w3.org/2005/Atom"></feed>`, KindFeed},
		{"application/json", `{"version":"https://jsonfeed.org/version/1.1","items":[]}`, KindFeed},
		{"application/json", `{"status":"ok"}`, ""},
		{"application/xml", `<svg></svg>`, ""},
	}
	for _, tt := range tests {
		got, err := detectKind(&response{URL: mustURL("http://x.example/"), ContentType: tt.ctype, Body: []byte(tt.body)})
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("%.40q: %q, %v; want %q", tt.body, got, err, tt.want)
		}
	}
}
