package fetch

import (
	"context"
	"testing"
)

func TestWindows1252Feed(t *testing.T) {
	srv := formatServer(t, map[string]struct{ ctype, body string }{
		// The XML declaration names the encoding; the server says nothing.
		"/declared.xml": {"application/rss+xml", "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n" +
			"<rss version=\"2.0\"><channel><title>C</title><link>%[1]s/</link><description>d</description>" +
			"<item><title>Caf\xe9 \x93cr\xe8me\x94 \x80</title><link>%[1]s/p/cafe.html</link></item></channel></rss>"},
		// No declaration: the header's charset applies.
		"/header.xml": {"text/xml; charset=iso-8859-15", "<rss version=\"2.0\"><channel><title>C</title><link>%[1]s/</link><description>d</description>" +
			"<item><title>Caf\xe9 \xa4</title><link>%[1]s/p/cafe.html</link></item></channel></rss>"},
	})
	for path, want := range map[string]string{"/declared.xml": "Café “crème” €", "/header.xml": "Café €"} {
		res, err := newTestFetcher(Config{}).Do(context.Background(), Request{URL: srv.URL + path})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Articles) != 1 || res.Articles[0].Title != want {
			t.Errorf("%s: %+v, want title %q", path, res.Articles, want)
		}
	}
}
