package extract

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/sample"
)

// The sample site's pages link other stories in every form a newsroom page
// does (rails, inline links, "Read more" lists with blurbs); none of another
// story's summary may survive in a page's clean text, or two unrelated
// stories share words they never wrote.
func TestSampleKeepsNoOtherStory(t *testing.T) {
	pages, err := sample.Pages()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sample.Handler())
	defer srv.Close()
	e := newTestExtractor(t)
	for _, p := range pages {
		t.Run(p.Path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + "/" + p.Path)
			if err != nil {
				t.Fatal(err)
			}
			page, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Extract(Input{HTML: string(page), URL: srv.URL + "/" + p.Path})
			if err != nil {
				t.Fatal(err)
			}
			if res.Text == "" {
				t.Fatal("no text")
			}
			for _, o := range pages {
				if o.Story != p.Story && o.Summary != "" && strings.Contains(res.Text, o.Summary) {
					t.Errorf("keeps the summary of %s: %q", o.Path, o.Summary)
				}
			}
		})
	}
}
