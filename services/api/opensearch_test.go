package api

import (
	"encoding/xml"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/index"
)

func TestOpenSearchDescription(t *testing.T) {
	ix, err := index.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	fromHost := httptest.NewServer(NewHandler(ix, nil, nil))
	t.Cleanup(fromHost.Close)
	configured := httptest.NewServer(NewHandler(ix, nil, nil, WithBaseURL("https://news.example/desk/")))
	t.Cleanup(configured.Close)

	for _, tc := range []struct {
		name string
		srv  *httptest.Server
		base string
	}{{"from the request", fromHost, fromHost.URL}, {"configured base URL", configured, "https://news.example/desk"}} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, tc.srv, "GET", "/opensearch.xml")
			if r.status != 200 || !strings.HasPrefix(r.ctype, OpenSearchType) {
				t.Fatalf("= %d %s: %s", r.status, r.ctype, r.body)
			}
			var d struct {
				XMLName   xml.Name
				ShortName string
				URLs      []struct {
					Type     string `xml:"type,attr"`
					Template string `xml:"template,attr"`
				} `xml:"Url"`
			}
			if err := xml.Unmarshal([]byte(r.body), &d); err != nil {
				t.Fatal(err)
			}
			if d.XMLName.Space != "http://a9.com/-/spec/opensearch/1.1/" || d.XMLName.Local != "OpenSearchDescription" || d.ShortName == "" {
				t.Errorf("description %+v", d)
			}
			want := map[string]string{
				"text/html":            tc.base + "/?q={searchTerms}",
				"application/atom+xml": tc.base + "/feed.atom?q={searchTerms}",
				OpenSearchType:         tc.base + "/opensearch.xml",
			}
			for _, u := range d.URLs {
				if want[u.Type] != u.Template {
					t.Errorf("%s template %q, want %q", u.Type, u.Template, want[u.Type])
				}
				delete(want, u.Type)
			}
			if len(want) > 0 {
				t.Errorf("missing templates: %v", want)
			}
		})
	}
	// The page points browsers at it.
	if r := do(t, fromHost, "GET", "/"); !strings.Contains(r.body, `rel="search" type="`+OpenSearchType+`" title="newsdedup stories" href="opensearch.xml"`) {
		t.Error("the search page does not link its OpenSearch description")
	}
}
