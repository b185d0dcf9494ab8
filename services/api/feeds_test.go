package api

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// TestFeeds reads both feeds as a feed reader would (gofeed) and checks
// the members each specification requires.
func TestFeeds(t *testing.T) {
	srv := newTestServer(t, nil)
	tests := []struct {
		name, path, ctype string
		want              []string // story ids, in order
	}{
		{"json", "/feed.json", "application/feed+json", []string{"rail", "fog"}},
		{"atom", "/feed.atom", "application/atom+xml", []string{"rail", "fog"}},
		{"json by language", "/feed.json?lang=en", "application/feed+json", []string{"fog"}},
		{"atom by query", "/feed.atom?q=treni", "application/atom+xml", []string{"rail"}},
		{"atom limit", "/feed.atom?limit=1", "application/atom+xml", []string{"rail"}},
		{"empty", "/feed.json?source=nobody.example", "application/feed+json", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, "GET", tc.path)
			if r.status != 200 || !strings.HasPrefix(r.ctype, tc.ctype) {
				t.Fatalf("%s = %d %s: %s", tc.path, r.status, r.ctype, r.body)
			}
			f, err := gofeed.NewParser().ParseString(r.body)
			if err != nil {
				t.Fatalf("gofeed: %v\n%s", err, r.body)
			}
			var got []string
			for _, it := range f.Items {
				id, ok := strings.CutPrefix(it.GUID, "urn:newsdedup:story:")
				if !ok || it.Link != srv.URL+"/#/story/"+id || it.Title == "" || it.Content == "" {
					t.Errorf("item guid %q link %q title %q", it.GUID, it.Link, it.Title)
				}
				got = append(got, id)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("items = %v, want %v", got, tc.want)
			}
			if f.FeedLink != srv.URL+tc.path && f.Link != srv.URL+"/" {
				t.Errorf("feed links %q / %q", f.FeedLink, f.Link)
			}
			if strings.Contains(r.body, "<script") {
				t.Errorf("raw script tag in the feed")
			}
			if tc.name == "json" {
				checkJSONFeed(t, r.body)
			}
			if tc.name == "atom" {
				checkAtom(t, r.body)
			}
		})
	}
}

func checkJSONFeed(t *testing.T, body string) {
	t.Helper()
	var doc struct {
		Version string `json:"version"`
		Title   string `json:"title"`
		Items   []struct {
			ID          string `json:"id"`
			ContentHTML string `json:"content_html"`
			ContentText string `json:"content_text"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "https://jsonfeed.org/version/1.1" || doc.Title == "" || doc.Items == nil {
		t.Errorf("feed version %q title %q items %v", doc.Version, doc.Title, doc.Items)
	}
	for _, it := range doc.Items {
		if it.ID == "" || it.ContentHTML == "" && it.ContentText == "" {
			t.Errorf("item %+v lacks id or content", it)
		}
	}
}

func checkAtom(t *testing.T, body string) {
	t.Helper()
	var doc struct {
		XMLName xml.Name
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Links   []struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.NewDecoder(bytes.NewReader([]byte(body))).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.XMLName.Space != "http://www.w3.org/2005/Atom" || doc.ID == "" || doc.Title == "" || doc.Updated == "" {
		t.Errorf("feed %v id %q title %q updated %q", doc.XMLName, doc.ID, doc.Title, doc.Updated)
	}
	for _, e := range doc.Entries {
		if e.ID == "" || e.Title == "" || e.Updated == "" || len(e.Links) == 0 || e.Links[0].Rel != "alternate" {
			t.Errorf("entry %+v lacks a required element", e)
		}
	}
}

func TestFeedErrorsAndCaching(t *testing.T) {
	srv := newTestServer(t, nil)
	for _, path := range []string{"/feed.json?q=%2B", "/feed.atom?limit=0", "/feed.atom?from=soon"} {
		if r := do(t, srv, "GET", path); r.status != http.StatusBadRequest {
			t.Errorf("%s = %d, want 400: %s", path, r.status, r.body)
		}
	}
	r := do(t, srv, "GET", "/feed.atom")
	etag := r.header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req, _ := http.NewRequest("GET", srv.URL+"/feed.atom", nil)
	req.Header.Set("If-None-Match", etag)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET = %d, want 304", res.StatusCode)
	}
}
