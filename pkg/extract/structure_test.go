package extract

import (
	"strings"
	"testing"
)

func TestIsDateLine(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Updated 3:27 am PST, Wednesday, November 20, 2019", true},
		{"Published 11:34 PM EST Nov 19, 2019", true},
		{"Nov. 20, 2019, 9:28 AM UTC", true},
		{"Jose Altoveros 2019-11-20 14:35:08", true},
		{"By Louis Jacobson on Monday, November 18th, 2019 at 11:04 a.m.", true},
		{"Aggiornato alle 18:40 del 12 marzo 2025", true},
		{"Publié le 4 février 2025 à 09h15", true},
		{"Aktualisiert am 3. April 2025, 14:20 Uhr", true},
		{"Actualizado el 21 de mayo de 2025 a las 10:05", true},
		{"23 Nov 2017", true},
		{"5 min read", true},
		{"Lesezeit 3 Minuten", false}, // a label first: the lexicon's job
		// Dates inside the text stay.
		{"July 2 -- Mohegan Sun Arena, Uncasville, CT", false},
		{"29 November 2018 | 20 January 2019", false},
		{"9.30 A.M. / 7.00 P.M.", false},
		{"— Robert Maguire (@RobertMaguire_) November 18, 2019", false},
		{"The council met on 12 March 2025 and voted for the plan.", false},
		{"Elections of November 2019", false},
	}
	for _, tt := range tests {
		b := newBlock(tt.line)
		if got := isDateLine(&b); got != tt.want {
			t.Errorf("isDateLine(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestTitleVariants(t *testing.T) {
	bs := []block{
		newBlock("Le marché couvert fête ses cent ans"),
		newBlock(para),
	}
	title := repeats(bs, "L'Écho des Vallées - Le marché couvert fête ses cent ans")
	if title != "Le marché couvert fête ses cent ans" || bs[0].reason != "repeats the title" || bs[1].removed() {
		t.Errorf("title %q, reasons %q %q", title, bs[0].reason, bs[1].reason)
	}
}

// The pages below are written for these tests: each shows one structural
// signal of an HTML page.
func TestHTMLStructure(t *testing.T) {
	article := `<h1>Night buses return</h1><p class="summary">Buses will run every hour between the station and the villages from Friday.</p>` +
		`<div class="body"><p>` + para + `</p><p>The transport authority said the service had been suspended for two years because of a shortage of drivers, and that twelve new drivers had now been trained.</p></div>`
	tests := []struct {
		name   string
		page   string
		keep   []string
		drop   []string
		reason string
	}{
		{
			name: "teaser cards after the article",
			page: `<body><article>` + article + `</article><section><h2>More stories</h2>` +
				strings.Repeat(`<div class="card"><a href="/s"><img src="x.jpg"></a><h3><a href="/s">A long teaser headline about something else</a></h3><p>A blurb that goes on for a while about another story entirely, as teasers do.</p></div>`, 6) +
				`</section></body>`,
			keep:   []string{"keep the library open", "twelve new drivers"},
			drop:   []string{"teaser headline", "A blurb"},
			reason: "teaser card of another story",
		},
		{
			name:   "a standfirst beside the body's container",
			page:   `<body><div class="story">` + article + `</div><ul class="links"><li><a href="/a">Home</a></li><li><a href="/b">News</a></li></ul></body>`,
			keep:   []string{"Buses will run every hour", "keep the library open"},
			drop:   []string{"Home"},
			reason: "outside main content",
		},
		{
			name: "a quoted post in a social embed stays",
			page: `<body><article>` + article + `<div class="social-embed"><blockquote class="twitter-tweet"><p>The first night bus left on time, well done to the drivers!</p>— Valley Transport (@valleybus) May 2, 2025</blockquote></div></article>` +
				`<div class="social-share"><a href="#">Facebook</a> <a href="#">X</a></div></body>`,
			keep:   []string{"The first night bus left on time", "(@valleybus)"},
			drop:   []string{"Facebook"},
			reason: "class/id social",
		},
		{
			name: "an address cited in full stays, a byline and a date line go",
			page: `<body><article>` + article + `<p><a href="https://valley.example/timetable">https://valley.example/timetable</a></p>` +
				`<p>Updated 9:15 am, Friday, May 2, 2025</p><p class="byline">By Mara Quinlan</p><p>© 2025 Valley Gazette. All rights reserved.</p></article></body>`,
			keep:   []string{"https://valley.example/timetable"},
			drop:   []string{"Updated 9:15", "Mara Quinlan", "Valley Gazette"},
			reason: "date or byline line",
		},
		{
			name: "a newsletter pitch in other words",
			page: `<body><article>` + article + `<p>Sign up to the Gazette newsletter and get the valley's news every morning.</p></article></body>`,
			keep: []string{"twelve new drivers"},
			drop: []string{"Sign up"},
		},
	}
	e := newTestExtractor(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.Extract(Input{HTML: tt.page})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.keep {
				if !strings.Contains(res.Text, s) {
					t.Errorf("lost %q", s)
				}
			}
			for _, s := range tt.drop {
				if strings.Contains(res.Text, s) {
					t.Errorf("left %q", s)
				}
			}
			found := tt.reason == ""
			for _, r := range res.Removed {
				found = found || r.Reason == tt.reason
			}
			if !found {
				t.Errorf("no removal for %q", tt.reason)
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
