package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/fetch"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/ingest"
	"github.com/newsdedup/newsdedup/pkg/sample"
	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
	"github.com/newsdedup/newsdedup/services/fetcher"
)

// chromiumPath finds Debian's Chromium (installed by `make deps`).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("Chromium is not installed (run `make deps`, or `apt-get install chromium`); skipping the browser test")
	return ""
}

// artifactDir is where the browser test leaves its screenshots: t.TempDir
// is deleted when the test ends, and a screenshot is for looking at later.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "newsdedup-ui")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// storyOf returns the id of the story holding article id, from the API.
func storyOf(base, id string) (string, bool, error) {
	var page index.Page
	if err := getJSON(base, "/api/stories?limit=100", &page); err != nil {
		return "", false, err
	}
	for _, s := range page.Stories {
		for _, m := range s.Members {
			if m.ArticleID == id {
				return s.ID, true, nil
			}
		}
	}
	return "", false, nil
}

// liveArticle is an original short report that joins no other story; the
// test imports it while the page is open to see it appear without a reload.
const liveArticle = `{"id":"live-ponte","url":"https://cronaca.example/ponte-pavia","source":"cronaca.example",` +
	`"title":"Pavia, riaperto il ponte sul Ticino dopo i lavori","lang":"it",` +
	`"text":"Il ponte coperto sul Ticino è stato riaperto al traffico pedonale questa mattina, dopo otto mesi di lavori ` +
	`di consolidamento dei piloni. Il cantiere, finanziato dal comune e dalla regione, ha sostituito le travi danneggiate ` +
	`dalla piena dello scorso autunno. I commercianti del Borgo Ticino chiedono ora di prolungare l'orario della ` +
	`navetta serale, sospesa durante il cantiere. L'assessore ai lavori pubblici ha annunciato che la pista ciclabile ` +
	`sul lato nord sarà completata entro la primavera."}`

// wireCopy is copy i of an original wire report, edited a little as
// outlets republish it.
func wireCopy(i int) string {
	return "A storm closed the Harbour Bridge at Velmont on Tuesday night, after gusts of 130 km/h tore two cables " +
		"from the northern pylon. The harbour authority diverted lorries to the ring road and suspended the night ferry. " +
		"Engineers will inspect the deck at first light; the bridge stays shut until they sign it off. " +
		fmt.Sprintf("Republished by desk %d.", i)
}

// TestBrowserSearchUI drives headless Chromium against the running
// pipeline, fed with the four seeds and the sample site: a user types
// "Beauvau", sees one story with Italian and French articles, opens it,
// filters it by language, goes back and filters the results, and a story
// imported meanwhile appears without a reload.
func TestBrowserSearchUI(t *testing.T) {
	chromium := chromiumPath(t)
	seeds := seedFiles(t)
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	siteURL, err := sample.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	natsURL := embeddedNATS(t, dir)
	httpAddr := freeAddr(t)
	log := testLog(t)
	// A second feed where nothing listens: the sources page lists it failing.
	deadFeed := "http://" + freeAddr(t) + "/feed.xml"
	// An editor may correct stories from the page (POST /api/corrections).
	editors := filepath.Join(dir, "editors")
	const editorToken = "browser-test-token-5f3a9c"
	if err := os.WriteFile(editors, []byte("# token, then name\n"+editorToken+" copy desk\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pf := pipelineFlags{dataDir: dir, httpAddr: httpAddr, concurrency: 2, langs: "it,fr,en,de,es", replicas: 1,
		poll: time.Hour, feeds: listFlag{siteURL + "/feed.xml", deadFeed}, allowPrivate: true, editorsFile: editors}
	done := make(chan error, 1)
	go func() { done <- runStages(ctx, natsURL, allStages, pf, log, func(string) {}) }()
	base := "http://" + httpAddr

	// The seeds one at a time, in file order, each indexed before the next:
	// the clustering engine is still sensitive to arrival order.
	for i, f := range seeds {
		arts, _, err := ingest.ReadFile(f)
		if err != nil || len(arts) != 1 {
			t.Fatalf("read seed %s: %v", f, err)
		}
		if err := cmdImport(ctx, []string{f, "--nats", natsURL, "--quiet"}, io.Discard, log); err != nil {
			t.Fatal(err)
		}
		waitFor(t, fmt.Sprintf("seed %d (%s) indexed", i+1, filepath.Base(f)), 60*time.Second, func() (bool, string) {
			_, ok, err := storyOf(base, arts[0].ID)
			if err != nil {
				return false, err.Error()
			}
			return ok, "not in any story yet"
		})
	}
	pages, err := sample.Pages()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, p := range pages {
		want[article.CanonicalURL(siteURL+"/"+p.Path)] = true
	}
	waitFor(t, "the sample site's pages in stories", 90*time.Second, func() (bool, string) {
		var page index.Page
		if err := getJSON(base, "/api/stories?limit=100", &page); err != nil {
			return false, err.Error()
		}
		n := 0
		for _, s := range page.Stories {
			for _, m := range s.Members {
				if want[m.URL] {
					n++
				}
			}
		}
		return n == len(pages), fmt.Sprintf("%d of %d sample pages", n, len(pages))
	})

	// The browser: the flags Debian's Chromium needs in a container, and a
	// profile of its own.
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	bctx, bcancel := chromedp.NewContext(actx)
	stopBrowser := func() { bcancel(); acancel() }
	defer stopBrowser()
	if err := chromedp.Do(bctx); err != nil { // starts the browser, with no deadline
		t.Fatalf("start Chromium: %v", err)
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 45*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(what, js string, v any) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 45*time.Second)
		defer cancel()
		raw, err := chromedp.Run(sctx, chromedp.Evaluate[[]byte](js))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("%s: %v (%s)", what, err, raw)
		}
	}
	// waitJS waits until the expression is truthy.
	waitJS := func(what, js string) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 45*time.Second)
		defer cancel()
		if _, err := chromedp.Run(sctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
			var state string
			eval("page state", `document.querySelector('#content').innerText.slice(0, 600) +
				((document.querySelector('#content .edit-box') || {}).innerText || '')`, &state)
			t.Fatalf("%s: %v\npage shows: %s", what, err, state)
		}
	}
	shots := artifactDir(t)
	screenshot := func(name string) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 45*time.Second)
		defer cancel()
		png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		path := filepath.Join(shots, name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}

	// A user types "Beauvau" and searches.
	step("open the search page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	waitJS("the live badge", `document.getElementById('live').classList.contains('on')`)
	step("type Beauvau", chromedp.SendKeys(chromedp.ID("q"), "Beauvau"), chromedp.Click(chromedp.CSS("#search-form button[type=submit]")))
	waitJS("results for Beauvau", `(() => { const s = document.querySelector('#content .summary');
		return s && s.textContent.includes('Beauvau') && document.querySelectorAll('#content .story').length > 0; })()`)

	var card struct {
		Stories      int      `json:"stories"`
		Langs        []string `json:"langs"`
		MemberLangs  []string `json:"memberLangs"`
		Marks        []string `json:"marks"`
		SummaryTotal string   `json:"summaryTotal"`
		Titles       []string `json:"titles"`
	}
	eval("read the result", `(() => {
		const cards = document.querySelectorAll('#content .story');
		const c = cards[0];
		return {
			stories: cards.length,
			langs: [...c.querySelectorAll('.badges .badge')].map((b) => b.dataset.lang),
			memberLangs: [...c.querySelectorAll('.members li .badge')].map((b) => b.dataset.lang),
			marks: [...c.querySelectorAll('.snippet mark')].map((m) => m.textContent),
			summaryTotal: document.querySelector('#content .summary strong').textContent,
			titles: [...c.querySelectorAll('.members li .title')].map((t) => t.textContent),
		};
	})()`, &card)
	slices.Sort(card.Langs)
	slices.Sort(card.MemberLangs)
	if card.Stories != 1 || card.SummaryTotal != "1" {
		t.Errorf("Beauvau finds %d stories (summary says %s), want 1", card.Stories, card.SummaryTotal)
	}
	if !slices.Equal(card.Langs, []string{"fr", "it"}) {
		t.Errorf("story languages %v, want fr and it", card.Langs)
	}
	if !slices.Equal(card.MemberLangs, []string{"fr", "fr", "it", "it"}) {
		t.Errorf("member articles' languages %v, want fr fr it it", card.MemberLangs)
	}
	// The seeds are plain text files without titles: each is named by the
	// opening words of its text, not as an untitled article.
	for _, title := range card.Titles {
		if strings.Contains(title, "Untitled") || len([]rune(title)) < 20 {
			t.Errorf("member titles %q: want each seed's opening words", card.Titles)
			break
		}
	}
	if len(card.Marks) == 0 || !strings.EqualFold(card.Marks[0], "Beauvau") {
		t.Errorf("snippet highlights %v, want Beauvau", card.Marks)
	}
	screenshot("search-beauvau.png")

	// It opens the story: every member with its cleaned text.
	step("open the story", chromedp.Click(chromedp.CSS("#content .story h2 a")))
	waitJS("the story page", `document.querySelectorAll('#content .view .article').length > 0`)
	var view struct {
		Articles, Dups, WithText int
		Langs                    []string
		Evidence                 bool
		// Unlabelled are evidence features shown without a kind ("gl:…").
		Unlabelled []string
		// Names are the entity features shown, as labelled.
		Names    []string
		Timeline int
		// Starters are the sources of the cards that say they started
		// the story, First the source the timeline names first;
		// Scores the similarities shown.
		Starters []string
		First    string
		Scores   []float64
	}
	eval("read the story", `(() => {
		const arts = [...document.querySelectorAll('#content .view .article')];
		return {
			Articles: arts.length,
			Dups: document.querySelectorAll('#content .view .dup').length,
			WithText: arts.filter((a) => a.querySelector('.text p:not(.notext)')).length,
			Langs: arts.map((a) => a.getAttribute('lang')),
			Evidence: !!document.querySelector('.side .evidence .ent, .side .evidence .feat'),
			Unlabelled: [...document.querySelectorAll('.side .evidence .feat .label')].filter((l) => !l.querySelector('.kind')).map((l) => l.textContent),
			Names: [...document.querySelectorAll('.side .evidence .feat .label')].filter((l) => (l.querySelector('.kind') || {}).textContent === 'entity')
				.map((l) => l.lastChild.textContent),
			Timeline: document.querySelectorAll('.side .timeline li').length,
			Starters: arts.filter((a) => [...a.querySelectorAll('.meta .joined')].some((s) => s.textContent === 'started the story'))
				.map((a) => a.querySelector('.meta span:not(.badge)').textContent),
			First: (document.querySelector('.side .timeline li.first strong') || {}).textContent || '',
			Scores: arts.flatMap((a) => [...a.querySelectorAll('.meta .score')].map((s) => parseFloat(s.textContent.replace('similarity ', '')))),
		};
	})()`, &view)
	if view.Articles+view.Dups != 4 || view.WithText != view.Articles {
		t.Errorf("story page shows %d articles + %d near-duplicates, %d with text; want 4 in all, each with text", view.Articles, view.Dups, view.WithText)
	}
	if len(view.Unlabelled) > 0 {
		t.Errorf("evidence shown without its kind, as raw keys: %q", view.Unlabelled)
	}
	// Names shared show as the articles write them, where the story lists
	// them: the minister with his tilde, not as the folded key.
	if !slices.Contains(view.Names, "Laurent Nuñez") || slices.Contains(view.Names, "laurent nunez") {
		t.Errorf("shared names shown as %q, want Laurent Nuñez as written", view.Names)
	}
	if !view.Evidence || view.Timeline < 4 {
		t.Errorf("story page lacks grouping evidence (%v) or a timeline (%d entries)", view.Evidence, view.Timeline)
	}
	// One article started the story, the one the timeline starts with.
	if len(view.Starters) != 1 || view.Starters[0] != view.First {
		t.Errorf("cards saying they started the story: %q; the timeline starts with %q", view.Starters, view.First)
	}
	for _, sc := range view.Scores {
		if !(sc > 0 && sc <= 1) {
			t.Errorf("a card shows similarity %v, want one in (0, 1]", sc)
		}
	}

	// It shows only the French articles.
	step("filter French", chromedp.Click(chromedp.CSS(`.langtabs button[data-lang="fr"]`)))
	waitJS("French articles only", `(() => { const arts = [...document.querySelectorAll('#content .view .article')];
		return arts.length > 0 && arts.every((a) => a.getAttribute('lang') === 'fr'); })()`)
	var frCount int
	eval("count French", `document.querySelectorAll('#content .view .article').length`, &frCount)
	if frCount != 2 {
		t.Errorf("French filter shows %d articles, want 2", frCount)
	}
	screenshot("story-french.png")

	// Back to the results, filtered by the French facet: the story stays.
	step("back to results", chromedp.Click(chromedp.CSS("#content a.back")))
	waitJS("results again", `document.querySelectorAll('#content .story').length > 0 && !!document.querySelector('#facets [data-facet="lang"]')`)
	step("facet French", chromedp.Click(chromedp.CSS(`#facets [data-facet="lang"] input[value="fr"]`)))
	waitJS("results filtered by French", `location.hash.includes('lang=fr') && !!document.querySelector('#content .summary .chip')`)
	var filtered int
	eval("count filtered", `document.querySelectorAll('#content .story').length`, &filtered)
	if filtered != 1 {
		t.Errorf("Beauvau in French: %d stories, want 1", filtered)
	}

	// An editor pastes the link of a page as shared (tracking parameters, a
	// fragment): the page opens its story, with that article marked.
	page := siteURL + "/" + pages[0].Path
	step("paste a link", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), page+"?utm_source=newsletter#comments"),
		chromedp.Click(chromedp.CSS("#search-form button[type=submit]")))
	waitJS("the story of the link", `location.hash.startsWith('#/story/') && !!document.querySelector('#content .looked-up')`)
	var looked struct {
		Link string `json:"link"`
		Note string `json:"note"`
	}
	eval("read the article looked up", `(() => { const n = document.querySelector('#content .looked-up');
		return { link: n.querySelector('h2 a, h4 a').href, note: n.querySelector('.lookup-note').textContent }; })()`, &looked)
	if article.CanonicalURL(looked.Link) != article.CanonicalURL(page) || looked.Note == "" {
		t.Errorf("the article marked links to %q (note %q), want %s", looked.Link, looked.Note, page)
	}
	screenshot("link-lookup.png")
	step("back from the link's story", chromedp.Click(chromedp.CSS("#content a.back")))
	waitJS("the stories again, not the lookup once more", `!location.hash.startsWith('#/story/') && document.querySelectorAll('#content .story').length > 0`)
	// A link the index does not know (a page that moved) offers a search
	// for its slug's words, which finds the story.
	step("paste an unknown link", chromedp.Navigate(base+"/#/?q="+url.QueryEscape(siteURL+"/moved/2026/frana-colle-del-sereno.html")))
	waitJS("the lookup's answer", `(document.querySelector('#content .error') || {}).textContent?.includes('No story holds an article from this address')`)
	step("search the link's words", chromedp.Click(chromedp.CSS("#content .error a")))
	waitJS("stories for the link's words", `(() => { const h = document.querySelector('#content .story h2');
		return location.hash.includes('q=frana+colle+del+sereno') && !!h && h.textContent.includes('Frana'); })()`)
	// The query syntax as people type it: a source by its name in capitals,
	// then a pattern that stands for too many words, refused in words.
	step("search by source", chromedp.Navigate(base+"/#/?q="+url.QueryEscape("+source:IMPORT +Beauvau")))
	waitJS("the seeds' story by its source", `(() => { const hs = [...document.querySelectorAll('#content .story h2')];
		return hs.length === 1 && hs[0].textContent.includes('Enquête ouverte'); })()`)
	// A browser's address bar searches through the page's OpenSearch
	// description: its template, filled in, is a query-string link, which
	// opens the same search as the #/ form and then shows that form.
	octx, ocancel := context.WithTimeout(bctx, 45*time.Second)
	template, err := chromedp.Run(octx, chromedp.Evaluate[string](`fetch(document.querySelector('link[rel=search]').href).then(r => r.text()).then(x =>
		new DOMParser().parseFromString(x, 'application/xml').querySelector('Url[type="text/html"]').getAttribute('template'))`, chromedp.EvalAwaitPromise))
	ocancel()
	if err != nil {
		t.Fatalf("read the OpenSearch template: %v", err)
	}
	if !strings.HasPrefix(template, base+"/?q=") {
		t.Errorf("the OpenSearch template is %q, want %s/?q={searchTerms}", template, base)
	}
	step("search from the address bar", chromedp.Navigate(strings.Replace(template, "{searchTerms}", url.QueryEscape("+source:IMPORT +Beauvau"), 1)+"&lang=fr"))
	waitJS("the seeds' story from a query-string link", `(() => { const hs = [...document.querySelectorAll('#content .story h2')];
		return hs.length === 1 && hs[0].textContent.includes('Enquête ouverte') && location.search === '' &&
			location.hash.includes('lang=fr') && document.querySelector('#q').value === '+source:IMPORT +Beauvau'; })()`)
	step("search a pattern too wide", chromedp.Navigate(base+"/#/?q="+url.QueryEscape("?*")))
	waitJS("the pattern refused", `(document.querySelector('#content .error') || {}).textContent?.includes('give more letters')`)

	// The sources page: the sample site's feed healthy with its articles,
	// the dead one failing and listed first, with its error; last, a feed
	// an earlier configuration polled and this one does not (its state
	// left in the bucket, its next poll long past), marked as not polled.
	gone := "http://gone.example/feed.xml"
	nc, js, err := bus.Connect(ctx, natsURL, "browser-test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	kvs, err := fetcher.OpenState(ctx, js, fetcher.StateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := kvs.Save(ctx, fetch.State{URL: gone, Kind: fetch.KindFeed, Failures: 1, LastError: "connection refused", Articles: 3,
		LastAttempt: time.Now().Add(-3 * time.Hour), NextPoll: time.Now().Add(-2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	step("open the sources", chromedp.Navigate(base+"/#/sources"))
	waitJS("the sources table", `document.querySelectorAll('#content table.sources tbody tr').length === 3`)
	var rows []struct {
		URL      string `json:"url"`
		State    string `json:"state"`
		Articles int    `json:"articles"`
		Problem  string `json:"problem"`
	}
	eval("read the sources", `[...document.querySelectorAll('#content table.sources tbody tr')].map((r) => ({
		url: r.dataset.url, state: r.querySelector('.badge').textContent,
		articles: parseInt(r.querySelector('td:last-child').textContent, 10),
		problem: (r.querySelector('.problem') || {}).textContent || '' }))`, &rows)
	if len(rows) != 3 || rows[0].URL != deadFeed || rows[0].State == "healthy" || !strings.Contains(rows[0].Problem, "failed fetch") ||
		rows[1].URL != siteURL+"/feed.xml" || rows[1].State != "healthy" || rows[1].Articles != len(pages) ||
		rows[2].URL != gone || rows[2].State != "not polled" || !strings.Contains(rows[2].Problem, "no fetcher made it") {
		t.Errorf("sources page rows %+v; want %s failing first, then %s/feed.xml healthy with %d articles, then %s not polled",
			rows, deadFeed, siteURL, len(pages), gone)
	}
	var stats string
	eval("read the sources' counts", `[...document.querySelectorAll('#content .view-head .stat')].map((s) => s.querySelector('.v').textContent + ' ' + s.querySelector('.k').textContent).join(', ')`, &stats)
	if !strings.Contains(stats, "1 failing") || !strings.Contains(stats, "1 not polled") {
		t.Errorf("sources counts %q; want 1 failing and 1 not polled (the feed no longer polled is not counted failing)", stats)
	}
	screenshot("sources.png")

	// Related stories: a later event naming the chess story's champion and
	// its town, published on the stories stream as the clusterer would, is
	// listed beside the chess story and leads to its own page.
	var found struct {
		Hits []struct {
			Story story.Story `json:"story"`
		} `json:"hits"`
	}
	if err := getJSON(base, "/api/search?q="+url.QueryEscape(`"Léa Marchetti"`), &found); err != nil || len(found.Hits) == 0 {
		t.Fatalf("the chess story: %d hits, %v", len(found.Hits), err)
	}
	chess := found.Hits[0].Story.ID
	at := time.Now().UTC()
	follow := article.Article{ID: "followup-1", URL: "https://news.example/marchetti-again", Source: "news.example", Lang: "en",
		Title: "Léa Marchetti takes the Riviera blitz title", Extracted: true,
		Text: "A month after her win in Sanremo, Léa Marchetti took the Riviera blitz title in Menton without losing a game."}
	ev := story.Event{V: 2, Type: story.Created, At: at, Articles: []article.Article{follow}, Story: story.Story{
		ID: "s-followup", Headline: follow.Title, Languages: []string{"en"}, Sources: []string{follow.Source},
		FirstSeen: at, LastSeen: at, Version: 1, MemberCount: 1,
		Members:  []story.Member{{ArticleID: follow.ID, Title: follow.Title, URL: follow.URL, Source: follow.Source, Lang: "en", Added: at}},
		Entities: []story.Entity{{Name: "Léa Marchetti", Weight: 0.3}, {Name: "Menton", Weight: 0.2}, {Name: "Sanremo", Weight: 0.1}}}}
	data, err := story.Encode(ev)
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Publish(ctx, js, bus.Out{Subject: bus.StoriesSubject(ev.Type), Data: data}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the follow-up indexed", 30*time.Second, func() (bool, string) {
		_, ok, err := storyOf(base, follow.ID)
		return ok && err == nil, fmt.Sprint(err)
	})
	step("open the chess story", chromedp.Navigate(base+"/#/story/"+chess))
	waitJS("its related stories", `[...document.querySelectorAll('#content .related-box:not([hidden]) li')].some((li) => li.dataset.storyId === 's-followup')`)
	screenshot("related.png")
	step("open the related story", chromedp.Click(chromedp.CSS(`#content .related-box li[data-story-id="s-followup"] a`)))
	waitJS("the related story's page", `(document.querySelector('#content .view') || {}).dataset?.storyId === 's-followup'`)

	// An editor merges another story of the sample into the chess story
	// (`newsdedup stories merge`, through the clustering stage): the chess
	// story's timeline says who did it and why.
	var all index.Page
	if err := getJSON(base, "/api/stories?limit=100", &all); err != nil {
		t.Fatal(err)
	}
	other := ""
	var otherArticles []string
	for _, s := range all.Stories {
		if s.ID != chess && s.ID != "s-followup" && len(s.Languages) == 1 {
			other, otherArticles = s.ID, nil
			for _, m := range s.Members {
				otherArticles = append(otherArticles, m.ArticleID)
			}
		}
	}
	if other == "" {
		t.Fatal("no other story to merge")
	}
	var merged bytes.Buffer
	if err := cmdStories(ctx, []string{"merge", other, chess, "--nats", natsURL, "--by", "night desk", "--note", "browser test: <b>one</b> story"}, &merged, log); err != nil {
		t.Fatalf("stories merge: %v", err)
	}
	survivor := chess
	if !strings.Contains(merged.String(), " into "+chess) {
		survivor = other
	}
	step("open the merged story", chromedp.Navigate(base+"/#/story/"+survivor))
	waitJS("the editor's merge on its timeline", `[...document.querySelectorAll('#content .timeline li.edit')].some((li) =>
		li.textContent.includes('Merged by night desk: 1 story taken in') && li.textContent.includes('browser test: <b>one</b> story')) &&
		!document.querySelector('#content .timeline li.merge:not(.edit)')`)
	screenshot("edited.png")
	// Each article card shows the id an editor gives `stories split`.
	var shownIDs []string
	eval("read the article ids", `[...document.querySelectorAll('#content article.article')].map((c) => c.dataset.articleId === c.querySelector('.aid').textContent ? c.dataset.articleId : 'mismatch')`, &shownIDs)
	for _, id := range otherArticles {
		if !slices.Contains(shownIDs, id) {
			t.Errorf("the merged story's cards show the ids %v, not %s", shownIDs, id)
		}
	}

	// Another editor takes those articles out again from the page: signs
	// in with their token (a wrong one first), ticks the articles and
	// moves them. The timeline says so and leads to the story they now
	// make, whose own timeline leads back.
	waitJS("the editing panel", `!!document.querySelector('#content .edit-box input[name=token]')`)
	step("sign in with a wrong token", chromedp.SendKeys(chromedp.CSS(`#content .edit-box input[name=token]`), "not-the-token-at-all"),
		chromedp.Click(chromedp.CSS(`#content .edit-box form button[type=submit]`)))
	waitJS("the move offered", `!!document.querySelector('#content .edit-box .split-btn')`)
	step("tick the first article", chromedp.Click(chromedp.CSS(`#content .edit-box input[type=checkbox][value=`+strconv.Quote(otherArticles[0])+`]`)),
		chromedp.Click(chromedp.CSS(`#content .edit-box .split-btn`)))
	waitJS("the wrong token refused", `[...document.querySelectorAll('#content .edit-box .edit-msg.error')].some((p) => p.textContent.includes('not accepted')) &&
		!!document.querySelector('#content .edit-box input[name=token]')`)
	step("sign in", chromedp.SendKeys(chromedp.CSS(`#content .edit-box input[name=token]`), editorToken),
		chromedp.Click(chromedp.CSS(`#content .edit-box form button[type=submit]`)))
	// What was ticked before the token was refused stays ticked.
	waitJS("the move offered again, the article still ticked", `!!document.querySelector('#content .edit-box .split-btn') &&
		document.querySelector('#content .edit-box input[type=checkbox][value=`+strconv.Quote(otherArticles[0])+`]').checked`)
	step("say why", chromedp.SendKeys(chromedp.CSS(`#content .edit-box input[name=note]`), "two events after all"))
	// The merged story is big enough for the list to offer a search: the
	// next article is found by its id, and the one ticked stays ticked
	// while hidden.
	lastOther := otherArticles[len(otherArticles)-1]
	step("find an article", chromedp.SendKeys(chromedp.CSS(`#content .edit-box input[name=find]`), lastOther))
	waitJS("only it shown, the first still ticked", `(() => {
		const shown = [...document.querySelectorAll('#content .edit-box .edit-list li')].filter((li) => !li.hidden);
		return shown.length === 1 && shown[0].querySelector('input').value === `+strconv.Quote(lastOther)+` &&
			document.querySelector('#content .edit-box input[type=checkbox][value=`+strconv.Quote(otherArticles[0])+`]').checked;
	})()`)
	for _, id := range otherArticles[1:] {
		step("tick "+id, chromedp.Click(chromedp.CSS(`#content .edit-box input[type=checkbox][value=`+strconv.Quote(id)+`]`)))
	}
	waitJS("the count of ticked articles", `document.querySelector('#content .edit-box .edit-count').textContent === `+strconv.Quote(strconv.Itoa(len(otherArticles))+" ticked"))
	step("move them", chromedp.Click(chromedp.CSS(`#content .edit-box .split-btn`)))
	waitJS("the move applied", `[...document.querySelectorAll('#content .edit-box .edit-msg.ok')].some((p) => p.textContent.includes('into the new story s-'))`)
	// The search found an article that has left: the list shows all that
	// are left, not none.
	waitJS("the articles left listed", `(() => {
		const items = [...document.querySelectorAll('#content .edit-box .edit-list li')];
		return items.length > 0 && items.every((li) => !li.hidden) && !items.some((li) => li.querySelector('input').value === `+strconv.Quote(lastOther)+`);
	})()`)
	waitJS("the split on its timeline", `[...document.querySelectorAll('#content .timeline li.edit[data-edit-type="split"]')].some((li) =>
		li.textContent.includes('Split by copy desk: ') && li.textContent.includes('two events after all'))`)
	screenshot("split-editor.png")
	step("follow it to the split-out story", chromedp.Click(chromedp.CSS(`#content .timeline li.edit[data-edit-type="split"] a`)))
	waitJS("the split-out story's page", `(document.querySelector('#content .view') || {}).dataset?.storyId !== `+strconv.Quote(survivor)+` &&
		[...document.querySelectorAll('#content .timeline li.edit[data-edit-type="created"]')].some((li) => li.textContent.includes('Split out by copy desk from another story'))`)
	screenshot("split.png")
	// The editor puts them back with the merge box, naming the story by
	// its page link; the story seen first survives.
	var splitID string
	eval("the split-out story's id", `document.querySelector('#content .view').dataset.storyId`, &splitID)
	step("name the story to merge", chromedp.SendKeys(chromedp.CSS(`#content .edit-box input[name=other]`), base+"/#/story/"+survivor),
		chromedp.Click(chromedp.CSS(`#content .edit-box .merge-btn`)))
	// The story seen first survives: here the split-out one, whose oldest
	// article is older than the others; the page shows the survivor.
	waitJS("the merge applied", `[...document.querySelectorAll('#content .edit-box .edit-msg.ok')].some((p) => {
		const id = document.querySelector('#content .view').dataset.storyId;
		const a = `+strconv.Quote(splitID)+`, b = `+strconv.Quote(survivor)+`;
		return (id === a || id === b) && p.textContent.includes('merged ' + (id === a ? b : a) + ' into ' + id + ': 5 articles');
	})`)
	waitJS("the merge on the survivor's timeline", `[...document.querySelectorAll('#content .timeline li.edit[data-edit-type="merged"]')].some((li) => li.textContent.includes('Merged by copy desk: 1 story taken in'))`)
	// The corrections log lists the three, newest first (the wrong
	// token's attempt was never sent), and leads to a moved article's
	// story.
	step("open the corrections log", chromedp.Click(chromedp.CSS(`.top-links a[href="#/corrections"]`)))
	waitJS("the corrections log", `[...document.querySelectorAll('#content table.corrections tbody tr')].map((tr) =>
		tr.cells[1].textContent + ' ' + tr.cells[2].textContent.split(' ')[0] + ' ' + tr.dataset.outcome).join('; ') ===
		'copy desk Merged applied; copy desk Moved applied; night desk Merged applied'`)
	screenshot("corrections.png")
	step("follow a moved article", chromedp.Click(chromedp.CSS(`#content table.corrections tbody tr:nth-child(2) a.aid`)))
	waitJS("its story", `!!document.querySelector('#content .view[data-story-id]') &&
		!!document.querySelector('#content article.looked-up[data-article-id=`+strconv.Quote(otherArticles[0])+`]')`)

	// A long story: its page shows the texts of its latest 100 articles,
	// and the earlier ones on demand.
	long := filepath.Join(t.TempDir(), "long.jsonl")
	var lines strings.Builder
	for i := 1; i <= 105; i++ {
		fmt.Fprintf(&lines, `{"id":"wire-%03d","url":"https://wire%03d.example/velmont-bridge","source":"wire%03d.example",`+
			`"title":"Storm closes the Harbour Bridge at Velmont","lang":"en","text":%q}`+"\n", i, i, i, wireCopy(i))
	}
	if err := os.WriteFile(long, []byte(lines.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := cmdImport(ctx, []string{long, "--nats", natsURL, "--quiet"}, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	var longID string
	waitFor(t, "the wire copies in one story", 90*time.Second, func() (bool, string) {
		id, ok, err := storyOf(base, "wire-105")
		if err != nil || !ok {
			return false, fmt.Sprint("not yet: ", err)
		}
		var v index.StoryView
		if err := getJSON(base, "/api/stories/"+id, &v); err != nil {
			return false, err.Error()
		}
		longID = id
		return len(v.Members) == 105, fmt.Sprintf("%d members", len(v.Members))
	})
	step("open the long story", chromedp.Navigate(base+"/#/story/"+longID))
	waitJS("its latest articles", `!!document.querySelector('#content .articles button.earlier') &&
		document.querySelector('#content .articles button.earlier').textContent.includes('5 earlier articles') &&
		!document.querySelector('#content [data-article-id="wire-001"]') &&
		!!document.querySelector('#content [data-article-id="wire-105"]')`)
	// The story's last updates may still be announced (a story this big is
	// re-indexed at most every few seconds), and each redraws the page:
	// a button found, then clicked, can be gone in between. These clicks
	// find and click in one step, again until the page shows the result.
	clickUntil := func(what, button, done string) {
		t.Helper()
		waitJS(what, `(() => { const b = document.querySelector(`+strconv.Quote(button)+`);
			if (b) { b.click(); return false; }
			return `+done+`; })()`)
	}
	clickUntil("the earliest article", "#content .articles button.earlier",
		`!!document.querySelector('#content [data-article-id="wire-001"]')`)
	// Its timeline lists the first 5 and the latest 20 of the 105, and
	// the 80 between on demand.
	waitJS("a cut timeline", `document.querySelectorAll('.side .timeline li:not(.merge)').length === 26 &&
		document.querySelector('.side .timeline li.more button').textContent === '80 more articles'`)
	clickUntil("the whole timeline", ".side .timeline li.more button",
		`document.querySelectorAll('.side .timeline li:not(.merge)').length === 105 &&
		!document.querySelector('.side .timeline li.more')`)
	screenshot("long-story.png")

	// Live: browsing the latest stories, a story imported now appears
	// without a reload (the marker set on the window survives).
	step("browse latest", chromedp.Navigate(base+"/#/?sort=updated"))
	waitJS("the latest stories", `document.querySelectorAll('#content .story').length > 0 && document.getElementById('live').classList.contains('on')`)
	var ok bool
	eval("mark the page", `(window.__noReload = true)`, &ok)
	jsonl := filepath.Join(t.TempDir(), "live.jsonl")
	if err := os.WriteFile(jsonl, []byte(liveArticle+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := cmdImport(ctx, []string{jsonl, "--nats", natsURL, "--quiet"}, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	waitJS("the new story on the open page", `window.__noReload === true &&
		[...document.querySelectorAll('#content .story')].some((c) => c.textContent.includes('Ticino'))`)
	screenshot("latest-live.png")

	stopBrowser()
	stopPipeline(t, "pipeline", cancel, done)
}
