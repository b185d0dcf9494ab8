package api

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/pkg/feedout"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// defaultFeedSize is the number of stories in a feed unless limit says.
const defaultFeedSize = 50

// feed serves GET /feed.json and /feed.atom: the most recently updated
// stories, optionally narrowed by q (search words), lang, source, from, to.
// The ETag lets a consumer that polls get 304 when nothing changed.
func (h *handler) feed(render func(feedout.Feed, []story.Story) ([]byte, error), ctype string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		from, to, err := dateRange(q)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		limit, err := intParam(q, "limit", defaultFeedSize, 1, index.MaxPageSize)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		langs, sources := multi(q, "lang"), multi(q, "source")
		var stories []story.Story
		if text := strings.TrimSpace(q.Get("q")); text != "" {
			res, err := h.ix.Search(index.SearchQuery{Q: text, Langs: langs, Sources: sources, From: from, To: to,
				Sort: index.SortUpdated, Size: limit})
			if err != nil {
				h.fail(w, r, err)
				return
			}
			for _, hit := range res.Hits {
				stories = append(stories, hit.Story)
			}
		} else {
			page, err := h.ix.List(index.ListQuery{Langs: langs, Sources: sources, From: from, To: to, Limit: limit})
			if err != nil {
				h.fail(w, r, err)
				return
			}
			stories = page.Stories
		}

		base := h.base(r)
		f := feedout.Feed{
			Title:       feedTitle(q),
			Description: "Stories clustered across languages and sources by newsdedup, most recently updated first.",
			HomeURL:     base + "/",
			FeedURL:     base + r.URL.RequestURI(),
			Link:        func(id string) string { return base + "/#/story/" + url.PathEscape(id) },
		}
		if len(stories) == 0 {
			f.Updated = time.Now()
		}
		body, err := render(f, stories)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		sum := sha256.Sum256(body)
		etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
		w.Header().Set("ETag", etag)
		w.Header().Set("Cache-Control", "no-cache")
		if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", ctype)
		_, _ = w.Write(body)
	}
}

// feedTitle names the feed after its filters, so a reader subscribed to
// several can tell them apart.
func feedTitle(q url.Values) string {
	var parts []string
	if s := strings.TrimSpace(q.Get("q")); s != "" {
		parts = append(parts, "“"+s+"”")
	}
	if l := multi(q, "lang"); len(l) > 0 {
		parts = append(parts, "in "+strings.Join(l, ", "))
	}
	if s := multi(q, "source"); len(s) > 0 {
		parts = append(parts, "from "+strings.Join(s, ", "))
	}
	if len(parts) == 0 {
		return "newsdedup: latest stories"
	}
	return "newsdedup: stories " + strings.Join(parts, " ")
}

// base is the service's absolute URL without a trailing slash.
func (h *handler) base(r *http.Request) string {
	if h.baseURL != "" {
		return h.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
