package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// The pages in testdata are written for these tests.
func TestExtractHTML(t *testing.T) {
	tests := []struct {
		file      string
		title     string
		author    string
		published string // RFC 3339, "" for none
		keep      []string
		drop      []string
		// reasons that must appear among the removals
		reasons []string
	}{
		{
			file:      "article_en.html",
			title:     "Harbour bridge to close for six weeks of repairs",
			author:    "Mara Quinlan",
			published: "2025-03-04T07:30:00Z",
			keep: []string{
				"The swing bridge over Port Ellis harbour will close",
				"Drivers will be sent around the ring road",
				"Why the work cannot wait",
				"replacing the four main bearings of the swing span",
				"repainting the steelwork below the deck",
				"asked the council to help with signs pointing visitors to the market.",
			},
			drop: []string{
				"News", "Sport", "We use cookies", "Share on Facebook", "Advertisement", "Related stories",
				"Ferry operator adds evening crossings", "morning briefing", "About time", "All rights reserved",
				"Photo: Courier archive", "window.tracker", "font-family", "By Mara Quinlan",
			},
			reasons: []string{"element <header>", "figure caption", "class/id comments", "class/id ad"},
		},
		{
			file:      "blog_divs.html",
			title:     "Seed saving for beginners",
			author:    "Ines Varga, Tom Reyes",
			published: "2024-09-12T00:00:00Z",
			keep: []string{
				"Saving your own seeds is the cheapest way",
				"Start with tomatoes, beans and peas",
				"before storing them in labelled envelopes.",
			},
			drop:    []string{"Home", "Popular posts", "Building a cold frame", "2023", "hobby blog"},
			reasons: []string{"class/id menu", "outside main content"},
		},
		{
			file:   "article_fr_cp1252.html",
			title:  "Le marché couvert rouvre ses portes",
			author: "Étienne Roux",
			keep: []string{
				"le marché couvert de Bellerive a rouvert samedi matin",
				"« On retrouve enfin nos habitudes »",
				"La mairie prévoit une fête d’inauguration",
			},
			drop:    []string{"Accueil", "À lire aussi", "La rénovation de la gare", "Taille du texte", "tous droits réservés", "\uFFFD"},
			reasons: []string{"element <nav>", "repeats the title"},
		},
	}
	e := newTestExtractor(t)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			page, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Extract(Input{HTML: string(page)})
			if err != nil {
				t.Fatal(err)
			}
			if res.Title != tt.title {
				t.Errorf("title %q, want %q", res.Title, tt.title)
			}
			if res.Author != tt.author {
				t.Errorf("author %q, want %q", res.Author, tt.author)
			}
			switch {
			case tt.published == "" && res.Published != nil:
				t.Errorf("published %v, want none", res.Published)
			case tt.published != "":
				want, _ := time.Parse(time.RFC3339, tt.published)
				if res.Published == nil || !res.Published.Equal(want) {
					t.Errorf("published %v, want %v", res.Published, want)
				}
			}
			for _, s := range tt.keep {
				if !strings.Contains(res.Text, s) {
					t.Errorf("lost %q", s)
				}
			}
			for _, s := range tt.drop {
				if containsWord(res.Text, s) {
					t.Errorf("left %q", s)
				}
			}
			for _, want := range tt.reasons {
				found := false
				for _, r := range res.Removed {
					found = found || r.Reason == want
				}
				if !found {
					t.Errorf("no removal for %q", want)
				}
			}
			for _, r := range res.Removed {
				if r.Layer != layerLexicon && r.Layer != layerStructure || r.Reason == "" || r.Text == "" {
					t.Errorf("bad removal record %+v", r)
				}
			}
			if t.Failed() {
				t.Logf("text:\n%s", res.Text)
				for _, r := range res.Removed {
					t.Logf("removed [%s] %s: %q", r.Layer, r.Reason, clip(r.Text, 80))
				}
			}
		})
	}
}

func TestStripSite(t *testing.T) {
	tests := []struct {
		title, site string
		guess       bool
		want        string
	}{
		{"Harbour bridge to close | The Port Ellis Courier", "", true, "Harbour bridge to close"},
		{"Harbour bridge to close - Courier", "Courier", false, "Harbour bridge to close"},
		{"Courier - Harbour bridge to close", "Courier", false, "Harbour bridge to close"},
		{"Brexit - what happens next", "", true, "Brexit - what happens next"},
		{"Title only", "", true, "Title only"},
		{"Long enough article title here | Section | Site", "", true, "Long enough article title here"},
	}
	for _, tt := range tests {
		if got := stripSite(tt.title, tt.site, tt.guess); got != tt.want {
			t.Errorf("stripSite(%q, %q) = %q, want %q", tt.title, tt.site, got, tt.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	for _, s := range []string{
		"2025-03-04T08:30:00+01:00", "2025-03-04T07:30:00Z", "2025-03-04T07:30:00.000Z", "2025-03-04 07:30:00",
	} {
		got, ok := parseTime(s)
		if !ok || got.Format("2006-01-02T15") != "2025-03-04T07" {
			t.Errorf("parseTime(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "yesterday", "0001-01-01T00:00:00Z"} {
		if _, ok := parseTime(s); ok {
			t.Errorf("parseTime(%q) accepted", s)
		}
	}
}

// TestCollectedBlocks checks what extractHTML takes on trust from the
// collector: each block's text is already collapsed and its rune count is
// the text's.
func TestCollectedBlocks(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, "bench")
	for _, p := range pages {
		src := benchPage()
		if p != "bench" {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			src = strings.ToValidUTF8(string(b), "\uFFFD")
		}
		doc, err := html.Parse(strings.NewReader(src + "<p>\u00a0 tail \t\u2003end </p>"))
		if err != nil {
			t.Fatal(err)
		}
		for _, hb := range collect(findBody(doc)) {
			if collapseSpace(hb.text) != hb.text || hb.runes != utf8.RuneCountInString(hb.text) {
				t.Errorf("%s: block %q collected with %d runes", p, hb.text, hb.runes)
			}
		}
	}
}

// Teasers built as <a>headline</a><br><small>blurb</small> lose their
// headlines as links; after a related-stories marker their blurbs go too,
// while the article going on after a single inline link stays.
func TestBlurbsAfterRelatedMarker(t *testing.T) {
	const body = `<p>The county council voted on Tuesday to keep the night bus running through the winter, after a petition signed by more than four thousand residents asked it to reverse the cut announced in August.</p>
<p>The service links the hospital, the station and the three estates on the hill, and carried about 380 passengers a night last year, according to the council's own figures.</p>`
	tests := []struct {
		name string
		tail string
		keep []string
		drop []string
	}{
		{
			name: "list of teasers with blurbs",
			tail: `<section><h2>Read more</h2><ul>
<li><a href="/a">Harbour bridge to close for six weeks of repairs</a><br><small>The swing span needs new bearings before the spring tides.</small></li>
<li><a href="/b">Market hall reopens after two years</a><br><small>Traders returned on Saturday to a roof that no longer leaks.</small></li>
<li><a href="/c">Ferry operator adds evening crossings</a><br><small>Two extra sailings a day from March until the end of October.</small></li>
</ul></section>`,
			keep: []string{"night bus", "380 passengers"},
			drop: []string{"new bearings", "no longer leaks", "extra sailings"},
		},
		{
			name: "the article goes on after one inline link",
			tail: `<p>Read also</p><p><a href="/d">Night bus cut: what the council said in August</a></p>
<p>Drivers' union officials said the vote was welcome, but asked for a promise covering next year.</p>
<p>The council will publish a review of all evening routes in the spring, and said it would consult passengers before any further change to the timetable; the review will look at fares, the hours of the last departures from the station and the cost of running smaller buses on quieter nights, which some councillors have asked for since the summer.</p>`,
			keep: []string{"night bus", "Drivers' union officials", "review of all evening routes"},
		},
	}
	e := newTestExtractor(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<html><head><title>Night bus saved</title></head><body><article><h1>Night bus saved</h1>" + body + tt.tail + "</article></body></html>"
			res, err := e.Extract(Input{HTML: page})
			if err != nil {
				t.Fatal(err)
			}
			checkSnippets(t, res, tt.keep, tt.drop)
			if t.Failed() {
				t.Logf("text:\n%s", res.Text)
			}
		})
	}
}
