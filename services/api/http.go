package api

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/pkg/feedout"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/services/corrections"
)

// uiFiles is the search page: plain HTML, CSS and JavaScript, no build step.
//
//go:embed ui/index.html ui/app.js ui/style.css ui/favicon.svg
var uiFiles embed.FS

// Option adjusts the handler built by NewHandler.
type Option func(*handler)

// WithBaseURL sets the absolute URL the service is reached at (e.g.
// "https://news.example/"), used for the links inside feeds. Without it
// they are made from each request's Host.
func WithBaseURL(u string) Option {
	return func(h *handler) { h.baseURL = strings.TrimRight(u, "/") }
}

// WithHeartbeat sets how often an idle event stream sends a keep-alive
// comment (default 15s), so proxies do not close it.
func WithHeartbeat(d time.Duration) Option {
	return func(h *handler) {
		if d > 0 {
			h.heartbeat = d
		}
	}
}

// NewHandler serves the read API over ix, the feeds, the live event stream
// and the search page. ready tells whether the replica has caught up (for
// /readyz); nil means always ready.
func NewHandler(ix *index.Index, ready func() error, log *slog.Logger, opts ...Option) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if ready == nil {
		ready = func() error { return nil }
	}
	h := &handler{ix: ix, ready: ready, log: log, heartbeat: defaultHeartbeat, streams: newStreams()}
	for _, o := range opts {
		o(h)
	}
	static, err := fs.Sub(uiFiles, "ui")
	if err != nil {
		// The embed pattern above guarantees the directory exists.
		panic(fmt.Sprintf("api: embedded ui: %v", err))
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", h.healthz)
	mux.HandleFunc("GET /readyz", h.readyz)
	mux.HandleFunc("GET /api/stories", h.listStories)
	mux.HandleFunc("GET /api/stories/{id}", h.getStory)
	mux.HandleFunc("GET /api/stories/{id}/related", h.relatedStories)
	mux.HandleFunc("GET /api/search", h.search)
	mux.HandleFunc("GET /api/articles", h.articleByURL)
	mux.HandleFunc("GET /api/articles/{id}", h.getArticle)
	mux.HandleFunc("GET /api/events", h.events)
	mux.HandleFunc("GET /api/editing", h.editingState)
	mux.HandleFunc("POST /api/corrections", h.correct)
	mux.HandleFunc("GET /api/corrections", h.correctionLog)
	mux.HandleFunc("GET /feed.json", h.feed(feedout.JSON, feedout.JSONFeedType))
	mux.HandleFunc("GET /feed.atom", h.feed(feedout.Atom, feedout.AtomType))
	mux.HandleFunc("GET /opensearch.xml", h.openSearch)
	mux.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
	})
	mux.Handle("GET /", http.FileServerFS(static))
	return securityHeaders(mux)
}

type handler struct {
	ix        *index.Index
	ready     func() error
	log       *slog.Logger
	baseURL   string // no trailing slash; "" = from the request
	heartbeat time.Duration
	streams   *streams
	edit      *editing // nil: corrections are off
	// corrLog lists the latest corrections (nil: none to list).
	corrLog func(ctx context.Context, limit int) ([]corrections.Entry, error)
}

// securityHeaders keeps the page from running anything but its own script,
// a second line of defence behind building the DOM from text.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Content-Security-Policy",
			"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

func (h *handler) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok"))
}

func (h *handler) readyz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := h.ready(); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready: " + err.Error()))
		return
	}
	_, _ = w.Write([]byte("ready"))
}

// listStories: GET /api/stories?lang=&source=&from=&to=&limit=&cursor=
func (h *handler) listStories(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, err := dateRange(q)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	limit, err := intParam(q, "limit", 0, 1, index.MaxPageSize)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	page, err := h.ix.List(index.ListQuery{
		Langs: multi(q, "lang"), Sources: multi(q, "source"),
		From: from, To: to, Limit: limit, Cursor: q.Get("cursor"),
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// A story's articles come a window at a time (GET /api/stories/{id}): a
// story that stays open for months has thousands.
const (
	defaultStoryArticles = 100
	maxStoryArticles     = 1000
)

// getStory: GET /api/stories/{id}; an alias id gives the surviving story,
// with the articles of its latest members (?articles=, ?articles_before=).
func (h *handler) getStory(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	q := r.URL.Query()
	n, err := intParam(q, "articles", defaultStoryArticles, 0, maxStoryArticles)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	before, err := intParam(q, "articles_before", -1, 0, math.MaxInt32)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	v, ok, err := h.ix.StoryWindow(id, before, n)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no story %q", id))
		return
	}
	// The fetched page is of no use to a reader and may be large.
	for i := range v.Articles {
		v.Articles[i].HTML = ""
	}
	writeJSON(w, http.StatusOK, v)
}

// relatedStories: GET /api/stories/{id}/related?limit=; other stories
// naming the same people, places and organisations, best first.
func (h *handler) relatedStories(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	limit, err := intParam(r.URL.Query(), "limit", index.DefaultRelated, 1, index.MaxPageSize)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	hits, ok, err := h.ix.Related(r.Context(), id, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no story %q", id))
		return
	}
	if hits == nil {
		hits = []index.Hit{}
	}
	writeJSON(w, http.StatusOK, struct {
		Related []index.Hit `json:"related"`
	}{hits})
}

// getArticle: GET /api/articles/{id}; the article and the story it is in.
func (h *handler) getArticle(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, ok, err := h.ix.Article(id)
	h.writeArticle(w, r, v, ok, err, fmt.Sprintf("no article %q in a story", id))
}

// articleByURL: GET /api/articles?url=; the article published at that
// address (compared canonically) and the story it is in.
func (h *handler) articleByURL(w http.ResponseWriter, r *http.Request) {
	u := strings.TrimSpace(r.URL.Query().Get("url"))
	if u == "" {
		writeError(w, http.StatusBadRequest, "url is required: GET /api/articles?url=<the article's address>, or /api/articles/<id>")
		return
	}
	v, ok, err := h.ix.ArticleByURL(u)
	h.writeArticle(w, r, v, ok, err, fmt.Sprintf("no article from %q in a story", u))
}

func (h *handler) writeArticle(w http.ResponseWriter, r *http.Request, v index.ArticleView, ok bool, err error, missing string) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ok {
		writeError(w, http.StatusNotFound, missing)
		return
	}
	v.Article.HTML = "" // the fetched page: of no use to a reader, and may be large
	writeJSON(w, http.StatusOK, v)
}

// searchResponse is the body of GET /api/search.
type searchResponse struct {
	Query  string                   `json:"query"`
	Page   int                      `json:"page"`
	Size   int                      `json:"size"`
	Total  uint64                   `json:"total"`
	TookMS float64                  `json:"took_ms"`
	Hits   []index.Hit              `json:"hits"`
	Facets map[string][]index.Facet `json:"facets"`
}

// search: GET /api/search?q=&lang=&source=&from=&to=&sort=&page=&size=
func (h *handler) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, err := dateRange(q)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	size, err := intParam(q, "size", index.DefaultSearchSize, 1, index.MaxPageSize)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	page, err := intParam(q, "page", 1, 1, index.MaxSearchDepth)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	text := q.Get("q")
	res, err := h.ix.Search(index.SearchQuery{
		Q: text, Langs: multi(q, "lang"), Sources: multi(q, "source"),
		From: from, To: to, Sort: q.Get("sort"),
		Size: size, Offset: (page - 1) * size,
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, searchResponse{
		Query: text, Page: page, Size: size, Total: res.Total,
		TookMS: float64(res.Took.Microseconds()) / 1000,
		Hits:   res.Hits, Facets: res.Facets,
	})
}

// fail answers an index error: the caller's fault is a 400 with the index's
// explanation, anything else a logged 500 that reveals nothing.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, index.ErrBadQuery) || errors.Is(err, index.ErrBadCursor) {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	h.log.Error("api: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "internal error")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v) // escapes <, > and & inside strings
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// multi reads a filter given as repeated parameters, comma lists, or both.
func multi(q url.Values, key string) []string {
	var out []string
	for _, v := range q[key] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func intParam(q url.Values, key string, def, lo, hi int) (int, error) {
	s := strings.TrimSpace(q.Get(key))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s must be a whole number from %d to %d, not %q", key, lo, hi, s)
	}
	return n, nil
}

// dateRange reads from and to as RFC 3339 times or YYYY-MM-DD days; a day
// given as to includes the whole of that day.
func dateRange(q url.Values) (from, to time.Time, err error) {
	parse := func(key string, endOfDay bool) (time.Time, error) {
		s := strings.TrimSpace(q.Get(key))
		if s == "" {
			return time.Time{}, nil
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, nil
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s must be a date (YYYY-MM-DD) or an RFC 3339 time, not %q", key, s)
		}
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if from, err = parse("from", false); err != nil {
		return
	}
	if to, err = parse("to", true); err != nil {
		return
	}
	// Said here in the caller's own words: the index would name the day
	// after a "to" day, the exclusive bound it searches up to.
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		err = fmt.Errorf("from %s is not before to %s", strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to")))
	}
	return
}
