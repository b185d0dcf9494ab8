package api

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/story"
)

const evilTitle = `<script>alert("x")</script> Sciopero dei treni`

var t0 = time.Date(2025, 5, 2, 9, 0, 0, 0, time.UTC)

func testArticle(id, lang, source, title, text string) article.Article {
	return article.Article{ID: id, URL: "https://" + source + "/" + id, Source: source, Title: title, Text: text, Lang: lang, Extracted: true}
}

func member(a article.Article, at time.Time) story.Member {
	return story.Member{ArticleID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Lang: a.Lang, Added: at}
}

// testEvents: an Italian story with a hostile title, a French story later
// merged into it, and an English story.
func testEvents() []story.Event {
	it1 := testArticle("it-1", "it", "giornale.example", evilTitle,
		"Lo sciopero dei treni regionali ha fermato i pendolari. <script>alert(1)</script> I sindacati chiedono nuovi contratti.")
	fr1 := testArticle("fr-1", "fr", "journal.example", "Grève des trains en Italie",
		"Les trains régionaux italiens sont restés à quai pendant la grève des cheminots.")
	en1 := testArticle("en-1", "en", "paper.example", "Harbour ships delayed by fog",
		"Thick fog delayed ships in the harbour for most of the morning.")
	rail := story.Story{ID: "rail", Headline: evilTitle, Languages: []string{"it"}, Sources: []string{"giornale.example"},
		FirstSeen: t0, LastSeen: t0, Members: []story.Member{member(it1, t0)}, Version: 1}
	greve := story.Story{ID: "greve", Headline: fr1.Title, Languages: []string{"fr"}, Sources: []string{"journal.example"},
		FirstSeen: t0.Add(time.Hour), LastSeen: t0.Add(time.Hour), Members: []story.Member{member(fr1, t0.Add(time.Hour))}, Version: 1}
	fog := story.Story{ID: "fog", Headline: en1.Title, Languages: []string{"en"}, Sources: []string{"paper.example"},
		FirstSeen: t0.Add(2 * time.Hour), LastSeen: t0.Add(2 * time.Hour), Members: []story.Member{member(en1, t0.Add(2*time.Hour))}, Version: 1}
	merged := rail
	merged.Members = append([]story.Member{}, rail.Members[0], greve.Members[0])
	merged.Languages = []string{"fr", "it"}
	merged.Sources = []string{"giornale.example", "journal.example"}
	merged.LastSeen = t0.Add(3 * time.Hour)
	merged.Aliases = []string{"greve"}
	merged.Version = 2
	// Names as the clusterer lists them; "Thick fog" is in the English
	// story, so the rail story has one related story.
	merged.Entities = []story.Entity{{Name: "Thick Fog", Weight: 0.2}, {Name: "Trenitalia", Weight: 0.1}}
	return []story.Event{
		{V: 1, Type: story.Created, Story: rail, Articles: []article.Article{it1}, At: t0},
		{V: 1, Type: story.Created, Story: greve, Articles: []article.Article{fr1}, At: t0.Add(time.Hour)},
		{V: 1, Type: story.Created, Story: fog, Articles: []article.Article{en1}, At: t0.Add(2 * time.Hour)},
		{V: 1, Type: story.Merged, Story: merged, Absorbed: []string{"greve"}, At: t0.Add(3 * time.Hour)},
	}
}

func newTestServer(t *testing.T, ready func() error) *httptest.Server {
	t.Helper()
	ix, err := index.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	for _, ev := range testEvents() {
		if err := ix.Apply(ev); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(NewHandler(ix, ready, nil))
	t.Cleanup(srv.Close)
	return srv
}

type response struct {
	status int
	ctype  string
	header http.Header
	body   string
}

func do(t *testing.T, srv *httptest.Server, method, path string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, ctype: res.Header.Get("Content-Type"), header: res.Header, body: string(b)}
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("body is not JSON (%v): %s", err, r.body)
	}
	return v
}

func TestRoutes(t *testing.T) {
	srv := newTestServer(t, nil)
	type check func(t *testing.T, r response)
	jsonError := func(want string) check {
		return func(t *testing.T, r response) {
			e := decode[map[string]string](t, r)
			if !strings.Contains(e["error"], want) {
				t.Errorf("error = %q, want it to mention %q", e["error"], want)
			}
		}
	}
	storyIDs := func(want ...string) check {
		return func(t *testing.T, r response) {
			p := decode[index.Page](t, r)
			var got []string
			for _, s := range p.Stories {
				got = append(got, s.ID)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("stories = %v, want %v", got, want)
			}
		}
	}
	hitIDs := func(want ...string) check {
		return func(t *testing.T, r response) {
			res := decode[searchResponse](t, r)
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Story.ID)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("hits = %v, want %v", got, want)
			}
		}
	}
	articleIn := func(article, story string, members int) check {
		return func(t *testing.T, r response) {
			v := decode[index.ArticleView](t, r)
			if v.Article.ID != article || v.Article.Text == "" || v.Story.ID != story || len(v.Story.Members) != members {
				t.Errorf("article %s (text %d bytes) in story %s of %d members, want %s in %s of %d",
					v.Article.ID, len(v.Article.Text), v.Story.ID, len(v.Story.Members), article, story, members)
			}
		}
	}
	// storyArticles checks a window of a story's articles: of its members
	// (all listed), the articles from member from on.
	storyArticles := func(members, from int, ids ...string) check {
		return func(t *testing.T, r response) {
			v := decode[index.StoryView](t, r)
			var got []string
			for _, a := range v.Articles {
				got = append(got, a.ID)
			}
			if len(v.Members) != members || v.ArticlesFrom != from || !slices.Equal(got, ids) {
				t.Errorf("story of %d members with articles %v from %d, want %d members, %v from %d", len(v.Members), got, v.ArticlesFrom, members, ids, from)
			}
		}
	}
	relatedIDs := func(want ...string) check {
		return func(t *testing.T, r response) {
			res := decode[struct {
				Related []index.Hit `json:"related"`
			}](t, r)
			var got []string
			for _, h := range res.Related {
				got = append(got, h.Story.ID)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("related = %v, want %v", got, want)
			}
		}
	}
	const jsonCT = "application/json"
	tests := []struct {
		name, method, path string
		status             int
		ctype              string
		check              check
	}{
		{"healthz", "GET", "/healthz", 200, "text/plain", func(t *testing.T, r response) {
			if r.body != "ok" {
				t.Errorf("body = %q", r.body)
			}
		}},
		{"readyz", "GET", "/readyz", 200, "text/plain", nil},
		{"list", "GET", "/api/stories", 200, jsonCT, storyIDs("rail", "fog")},
		{"list by language", "GET", "/api/stories?lang=en", 200, jsonCT, storyIDs("fog")},
		{"list by languages", "GET", "/api/stories?lang=en,fr", 200, jsonCT, storyIDs("rail", "fog")},
		{"list by source", "GET", "/api/stories?source=paper.example", 200, jsonCT, storyIDs("fog")},
		{"list by day", "GET", "/api/stories?from=2025-05-02&to=2025-05-02", 200, jsonCT, storyIDs("rail", "fog")},
		{"list before", "GET", "/api/stories?to=" + url.QueryEscape(t0.Add(150*time.Minute).Format(time.RFC3339)), 200, jsonCT, storyIDs("fog")},
		{"list limit", "GET", "/api/stories?limit=1", 200, jsonCT, func(t *testing.T, r response) {
			if p := decode[index.Page](t, r); len(p.Stories) != 1 || p.Next == "" || p.Total != 2 {
				t.Errorf("page = %d stories, next %q, total %d", len(p.Stories), p.Next, p.Total)
			}
		}},
		{"list bad limit", "GET", "/api/stories?limit=lots", 400, jsonCT, jsonError("limit")},
		{"list bad date", "GET", "/api/stories?from=yesterday", 400, jsonCT, jsonError("from")},
		{"list bad cursor", "GET", "/api/stories?cursor=zzz", 400, jsonCT, jsonError("cursor")},
		{"story", "GET", "/api/stories/fog", 200, jsonCT, func(t *testing.T, r response) {
			v := decode[index.StoryView](t, r)
			if v.ID != "fog" || len(v.Articles) != 1 || v.Articles[0].Text == "" {
				t.Errorf("story = %s with %d articles", v.ID, len(v.Articles))
			}
		}},
		{"story by alias", "GET", "/api/stories/greve", 200, jsonCT, func(t *testing.T, r response) {
			v := decode[index.StoryView](t, r)
			if v.ID != "rail" || len(v.Articles) != 2 {
				t.Errorf("alias resolved to %s with %d articles, want rail with 2", v.ID, len(v.Articles))
			}
		}},
		{"story, its latest article", "GET", "/api/stories/greve?articles=1", 200, jsonCT, storyArticles(2, 1, "fr-1")},
		{"story, the article before", "GET", "/api/stories/rail?articles=1&articles_before=1", 200, jsonCT, storyArticles(2, 0, "it-1")},
		{"story without articles", "GET", "/api/stories/rail?articles=0", 200, jsonCT, storyArticles(2, 2)},
		{"story, too many articles", "GET", "/api/stories/rail?articles=5000", 400, jsonCT, jsonError("articles")},
		{"story, bad window", "GET", "/api/stories/rail?articles_before=-1", 400, jsonCT, jsonError("articles_before")},
		{"unknown story", "GET", "/api/stories/nope", 404, jsonCT, jsonError("nope")},
		{"article", "GET", "/api/articles/en-1", 200, jsonCT, articleIn("en-1", "fog", 1)},
		{"article of a merged story", "GET", "/api/articles/fr-1", 200, jsonCT, articleIn("fr-1", "rail", 2)},
		{"article by url", "GET", "/api/articles?url=" + url.QueryEscape("https://journal.example/fr-1?utm_medium=social#comments"), 200, jsonCT, articleIn("fr-1", "rail", 2)},
		{"unknown article", "GET", "/api/articles/nope", 404, jsonCT, jsonError("nope")},
		{"related stories", "GET", "/api/stories/rail/related", 200, jsonCT, relatedIDs("fog")},
		{"related stories by alias", "GET", "/api/stories/greve/related?limit=3", 200, jsonCT, relatedIDs("fog")},
		{"related stories of a story without names", "GET", "/api/stories/fog/related", 200, jsonCT, func(t *testing.T, r response) {
			if !strings.Contains(r.body, `"related":[]`) {
				t.Errorf("body %s, want an empty list", r.body)
			}
		}},
		{"related stories of an unknown story", "GET", "/api/stories/nope/related", 404, jsonCT, jsonError("nope")},
		{"related stories, bad limit", "GET", "/api/stories/rail/related?limit=0", 400, jsonCT, jsonError("limit")},
		{"article by unknown url", "GET", "/api/articles?url=" + url.QueryEscape("https://journal.example/fr-2"), 404, jsonCT, jsonError("fr-2")},
		{"article without url", "GET", "/api/articles", 400, jsonCT, jsonError("url is required")},
		{"search", "GET", "/api/search?q=scioperi", 200, jsonCT, func(t *testing.T, r response) {
			res := decode[searchResponse](t, r)
			if len(res.Hits) != 1 || res.Hits[0].Story.ID != "rail" || len(res.Hits[0].Snippets) == 0 {
				t.Fatalf("search = %+v", res)
			}
			if res.Page != 1 || res.Size != index.DefaultSearchSize || res.Total != 1 {
				t.Errorf("page %d size %d total %d", res.Page, res.Size, res.Total)
			}
		}},
		{"search french inflection", "GET", "/api/search?q=gr%C3%A8ves", 200, jsonCT, hitIDs("rail")},
		{"search language filter", "GET", "/api/search?q=trains+ships&lang=en", 200, jsonCT, hitIDs("fog")},
		{"search facets", "GET", "/api/search?sort=updated", 200, jsonCT, func(t *testing.T, r response) {
			res := decode[searchResponse](t, r)
			got := map[string]int{}
			for _, f := range res.Facets["lang"] {
				got[f.Term] = f.Count
			}
			if got["it"] != 1 || got["fr"] != 1 || got["en"] != 1 || len(got) != 3 {
				t.Errorf("lang facet = %v", res.Facets["lang"])
			}
		}},
		{"search page 2", "GET", "/api/search?sort=updated&size=1&page=2", 200, jsonCT, hitIDs("fog")},
		{"search bad query", "GET", "/api/search?q=%2B", 400, jsonCT, jsonError("bad query")},
		{"search bad regexp", "GET", "/api/search?q=%2F%5Bz-%2F", 400, jsonCT, jsonError("bad query")},
		{"search bad sort", "GET", "/api/search?q=treni&sort=random", 400, jsonCT, jsonError("sort")},
		{"search bad page", "GET", "/api/search?q=treni&page=0", 400, jsonCT, jsonError("page")},
		{"search bad size", "GET", "/api/search?q=treni&size=1000", 400, jsonCT, jsonError("size")},
		{"unknown api path", "GET", "/api/nothing", 404, jsonCT, jsonError("no such endpoint")},
		{"wrong method", "POST", "/api/search?q=treni", 405, "", nil},
		{"page", "GET", "/", 200, "text/html", func(t *testing.T, r response) {
			for _, want := range []string{`<form id="search-form"`, `src="app.js"`, `href="style.css"`} {
				if !strings.Contains(r.body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
		}},
		{"script", "GET", "/app.js", 200, "text/javascript", nil},
		{"style", "GET", "/style.css", 200, "text/css", nil},
		{"icon", "GET", "/favicon.svg", 200, "image/svg+xml", nil},
		{"search date facet", "GET", "/api/search?sort=updated", 200, jsonCT, func(t *testing.T, r response) {
			// Whenever the test runs, the widest non-empty bucket holds both stories.
			res := decode[searchResponse](t, r)
			if d := res.Facets["date"]; len(d) == 0 || d[len(d)-1].Count != 2 {
				t.Errorf("date facet = %+v, want its last bucket to count both stories", d)
			}
		}},
		{"missing file", "GET", "/nope.html", 404, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, tc.method, tc.path)
			if r.status != tc.status {
				t.Fatalf("%s %s = %d, want %d: %s", tc.method, tc.path, r.status, tc.status, r.body)
			}
			if tc.ctype != "" && !strings.HasPrefix(r.ctype, tc.ctype) {
				t.Errorf("Content-Type = %q, want %s", r.ctype, tc.ctype)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestReadyzNotReady(t *testing.T) {
	srv := newTestServer(t, func() error { return errors.New("catching up") })
	r := do(t, srv, "GET", "/readyz")
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "catching up") {
		t.Errorf("readyz = %d %q, want 503", r.status, r.body)
	}
}

// TestScriptTitleIsEscaped checks that a hostile title and text stay text:
// escaped in the JSON, escaped inside snippets, and never parsed as HTML by
// the page.
func TestScriptTitleIsEscaped(t *testing.T) {
	srv := newTestServer(t, nil)

	for _, path := range []string{"/api/stories/rail", "/api/stories", "/api/search?q=treni"} {
		r := do(t, srv, "GET", path)
		if r.status != 200 {
			t.Fatalf("%s = %d", path, r.status)
		}
		if strings.Contains(r.body, "<script") {
			t.Errorf("%s returns a raw <script> tag: %s", path, r.body)
		}
		if !strings.Contains(r.body, `\u003cscript\u003e`) {
			t.Errorf("%s lost the title: %s", path, r.body)
		}
	}
	v := decode[index.StoryView](t, do(t, srv, "GET", "/api/stories/rail"))
	if v.Headline != evilTitle || v.Articles[0].Title != evilTitle {
		t.Errorf("title altered: %q / %q", v.Headline, v.Articles[0].Title)
	}

	res := decode[searchResponse](t, do(t, srv, "GET", "/api/search?q=alert"))
	if len(res.Hits) != 1 {
		t.Fatalf("search alert: %d hits", len(res.Hits))
	}
	for _, sn := range res.Hits[0].Snippets {
		rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(sn)
		if strings.ContainsAny(rest, "<>") {
			t.Errorf("snippet holds markup besides <mark>: %q", sn)
		}
		if !strings.Contains(sn, "&lt;script&gt;") {
			t.Errorf("snippet %q does not show the escaped tag", sn)
		}
	}

	// The page puts content in as text: its script never hands a string to
	// the HTML parser, and there is no inline script for injected markup to
	// join.
	js, err := fs.ReadFile(uiFiles, "ui/app.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser", "eval("} {
		if strings.Contains(string(js), sink) {
			t.Errorf("app.js uses %s", sink)
		}
	}
	if !strings.Contains(string(js), "textContent") && !strings.Contains(string(js), ".append(") {
		t.Error("app.js builds no text nodes")
	}
	page := do(t, srv, "GET", "/")
	if strings.Count(page.body, "<script") != 1 || strings.Contains(page.body, "<script>") {
		t.Errorf("page has inline scripts: %s", page.body)
	}
}

func TestDateRange(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tests := []struct {
		query    string
		from, to time.Time
		err      string
	}{
		{"", time.Time{}, time.Time{}, ""},
		{"from=2026-03-23", day("2026-03-23"), time.Time{}, ""},
		{"to=2026-03-23", time.Time{}, day("2026-03-24"), ""},
		{"from=2026-03-23&to=2026-03-23", day("2026-03-23"), day("2026-03-24"), ""},
		{"from=2026-03-23T10:00:00Z&to=2026-03-23T11:00:00Z", day("2026-03-23").Add(10 * time.Hour), day("2026-03-23").Add(11 * time.Hour), ""},
		{"from=yesterday", time.Time{}, time.Time{}, `from must be a date (YYYY-MM-DD) or an RFC 3339 time, not "yesterday"`},
		{"from=2026-03-24&to=2026-03-23", time.Time{}, time.Time{}, "from 2026-03-24 is not before to 2026-03-23"},
		{"from=2026-03-23T10:00:00Z&to=2026-03-23T10:00:00Z", time.Time{}, time.Time{}, "from 2026-03-23T10:00:00Z is not before to 2026-03-23T10:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			from, to, err := dateRange(q)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("dateRange(%s) err = %v, want %q", tc.query, err, tc.err)
				}
				return
			}
			if err != nil || !from.Equal(tc.from) || !to.Equal(tc.to) {
				t.Errorf("dateRange(%s) = %v, %v, %v; want %v, %v", tc.query, from, to, err, tc.from, tc.to)
			}
		})
	}
}
