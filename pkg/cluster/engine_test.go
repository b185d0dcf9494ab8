package cluster

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/story"
)

func newExtractor(t testing.TB) *features.Extractor {
	t.Helper()
	fx, err := features.New()
	if err != nil {
		t.Fatalf("features.New: %v", err)
	}
	return fx
}

// assertOneStory checks that all the articles resolve to the same story and
// returns its id.
func assertOneStory(t *testing.T, e *Engine, as []article.Article) string {
	t.Helper()
	ids := map[string][]string{}
	for _, a := range as {
		sid, ok := e.StoryOf(a.ID)
		if !ok {
			t.Fatalf("article %s has no story", a.ID)
		}
		ids[sid] = append(ids[sid], a.ID)
	}
	if len(ids) != 1 {
		t.Fatalf("articles spread over %d stories, want 1: %v", len(ids), ids)
	}
	for sid := range ids {
		return sid
	}
	return ""
}

func at(h int) *time.Time {
	t := time.Date(2025, 12, 11, 8, 0, 0, 0, time.UTC).Add(time.Duration(h) * time.Hour)
	return &t
}

// stripBoilerplate cuts the seeds' trailing teaser blocks, to check that the
// seeds cluster on their own content too, as the extractor will hand them.
func stripBoilerplate(text string) string {
	for _, marker := range []string{"Ti è piaciuto", "En vedette", "Vous avez aimé"} {
		if i := strings.Index(text, marker); i > 0 {
			text = text[:i]
		}
	}
	return strings.TrimPrefix(text, "2 Remove Virus")
}

func TestSeedsFormOneStory(t *testing.T) {
	fx := newExtractor(t)
	for _, tc := range []struct {
		name  string
		clean bool
		order []int
	}{
		{"raw text, file order", false, []int{0, 1, 2, 3}},
		{"raw text, French first", false, []int{2, 3, 0, 1}},
		{"raw text, interleaved", false, []int{3, 0, 2, 1}},
		{"boilerplate removed", true, []int{0, 1, 2, 3}},
		{"boilerplate removed, French first", true, []int{3, 2, 1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seeds := loadSeeds(t)
			e := New(DefaultConfig(), fx)
			var added []article.Article
			for i, k := range tc.order {
				a := seeds[k]
				if tc.clean {
					a.Text = stripBoilerplate(a.Text)
				}
				a.Published = at(i)
				evs, err := e.Add(a)
				if err != nil {
					t.Fatal(err)
				}
				if len(evs) == 0 {
					t.Fatalf("no event for %s", a.ID)
				}
				added = append(added, a)
			}
			sid := assertOneStory(t, e, added)
			st, _ := e.Story(sid)
			if got := strings.Join(st.Languages, ","); got != "fr,it" {
				t.Errorf("languages = %q, want fr,it", got)
			}
			for _, m := range st.Members[1:] {
				t.Logf("%s joined with %.3f on %v", m.ArticleID, m.Score, m.Evidence)
			}
		})
	}
}

// unrelated are short articles written for this test about events that
// have nothing to do with the seeds' incident, some of them deliberately
// close in vocabulary (other cyber-attacks, other French news).
var unrelated = []article.Article{
	{ID: "u-football", Lang: "it", Title: "Calciomercato, l'Atalanta chiude per l'attaccante danese Sørensen",
		Text: "L'Atalanta ha raggiunto l'accordo con il Brøndby per il trasferimento dell'attaccante danese Mikkel Sørensen. " +
			"L'operazione, secondo indiscrezioni, vale 28 milioni di euro più bonus legati ai gol. " +
			"Il giocatore, ventitré anni, sosterrà le visite mediche a Bergamo lunedì e firmerà un contratto fino al 2030. " +
			"Il direttore sportivo ha spiegato che la squadra cercava da mesi una punta capace di attaccare la profondità. " +
			"Sørensen ha segnato quindici reti nell'ultima stagione del campionato danese."},
	{ID: "u-flood", Lang: "fr", Title: "Inondations dans le Var : des centaines de foyers évacués",
		Text: "De fortes pluies orageuses ont provoqué des crues soudaines dans le Var dans la nuit de mardi à mercredi. " +
			"La préfecture a placé le département en vigilance rouge et les pompiers ont procédé à plus de 300 interventions. " +
			"Plusieurs routes départementales restent coupées et près de 4 000 foyers sont privés d'électricité autour de Draguignan. " +
			"Les écoles de douze communes resteront fermées jeudi. Météo-France prévoit une accalmie en fin de semaine."},
	{ID: "u-bank", Lang: "en", Title: "Central bank holds rates steady as inflation cools",
		Text: "The central bank kept its benchmark interest rate unchanged at 3.25 percent on Wednesday, " +
			"saying that inflation had eased faster than expected over the autumn. " +
			"Governor Helena Marsh told reporters that the board saw no need to cut borrowing costs before spring, " +
			"while warning that wage growth remained strong. Bond yields fell slightly after the announcement " +
			"and the currency weakened against the dollar. Economists polled before the meeting had expected the decision."},
	{ID: "u-phone", Lang: "it", Title: "Presentato a Milano il nuovo smartphone pieghevole di Veltra",
		Text: "La società Veltra ha presentato a Milano il suo primo smartphone pieghevole, il Veltra Fold X. " +
			"Il dispositivo ha uno schermo interno da otto pollici, una batteria da 5.000 mAh e tre fotocamere posteriori. " +
			"Sarà in vendita dal prossimo mese a un prezzo di 1.499 euro. " +
			"L'amministratore delegato ha dichiarato che l'azienda punta a conquistare il dieci per cento del mercato europeo dei pieghevoli."},
	{ID: "u-hospital-fr", Lang: "fr", Title: "Cyberattaque contre l'hôpital de Cahors : les urgences en mode dégradé",
		Text: "Le centre hospitalier de Cahors a été victime d'une attaque par rançongiciel dans la nuit de dimanche. " +
			"Les logiciels de gestion des patients sont inaccessibles et les soignants travaillent sur papier. " +
			"La direction a porté plainte et l'ANSSI a dépêché une équipe sur place pour aider à restaurer les systèmes. " +
			"Les opérations non urgentes sont reportées et certains patients sont transférés vers Montauban. " +
			"Les pirates réclament une rançon que l'établissement refuse de payer."},
	{ID: "u-hospital-it", Lang: "it", Title: "Attacco ransomware all'ospedale di Lecco, pronto soccorso in difficoltà",
		Text: "L'azienda sanitaria di Lecco è stata colpita da un attacco ransomware che ha bloccato i sistemi informatici. " +
			"Le prenotazioni e i referti online non sono disponibili e il pronto soccorso lavora con procedure manuali. " +
			"La polizia postale sta indagando e il gruppo criminale avrebbe chiesto un riscatto in criptovaluta. " +
			"La Regione Lombardia ha assicurato che i dati dei pazienti sono al sicuro."},
	{ID: "u-wildfire", Lang: "en", Title: "Wildfire forces thousands to flee in southern Australia",
		Text: "A fast-moving bushfire has burned more than 12,000 hectares in South Australia, " +
			"forcing about 3,000 residents of the Adelaide Hills to leave their homes on Saturday. " +
			"Firefighters said strong northerly winds and temperatures above 40 degrees were driving the blaze. " +
			"Two houses have been destroyed and one firefighter was treated for burns."},
	{ID: "u-election", Lang: "fr", Title: "Municipales : la maire sortante de Rennes réélue dès le premier tour",
		Text: "La maire sortante de Rennes a été réélue dimanche dès le premier tour avec 52 % des voix. " +
			"Sa liste d'union de la gauche devance largement celle de la droite, arrivée deuxième avec 21 %. " +
			"La participation s'est établie à 41 %, en hausse de six points. " +
			"La maire a promis d'accélérer la rénovation des écoles et l'extension du réseau de tramway."},
}

func TestUnrelatedStayApart(t *testing.T) {
	fx := newExtractor(t)
	seeds := loadSeeds(t)
	e := New(DefaultConfig(), fx)
	// Alternate seeds and unrelated articles so every seed meets them.
	var stream []article.Article
	for i, u := range unrelated {
		stream = append(stream, u)
		if i%2 == 1 && i/2 < len(seeds) {
			stream = append(stream, seeds[i/2])
		}
	}
	for i, a := range stream {
		a.Published = at(i)
		if _, err := e.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	sid := assertOneStory(t, e, seeds)
	seen := map[string]string{}
	for _, u := range unrelated {
		got, _ := e.StoryOf(u.ID)
		if got == sid {
			t.Errorf("%s joined the seeds' story", u.ID)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("%s and %s share a story", u.ID, other)
		}
		seen[got] = u.ID
	}
	if n := e.Stats().ActiveStories; n != len(unrelated)+1 {
		t.Errorf("active stories = %d, want %d", n, len(unrelated)+1)
	}
}

func TestIdempotentByID(t *testing.T) {
	e := New(DefaultConfig(), newExtractor(t))
	a := unrelated[0]
	a.Published = at(0)
	evs, err := e.Add(a)
	if err != nil || len(evs) != 1 || evs[0].Type != story.Created {
		t.Fatalf("first add: %v, %v", evs, err)
	}
	before := e.Stats()
	first := evs[0].Story
	// A redelivery re-announces the story as it is, in case the first
	// events were never published, and changes nothing.
	a.Text = "something else entirely"
	evs, err = e.Add(a)
	if err != nil || len(evs) != 1 || evs[0].Type != story.Updated {
		t.Fatalf("second add = %v, %v; want one updated event", evs, err)
	}
	if got := evs[0].Story; got.ID != first.ID || got.Version != first.Version || len(got.Members) != 1 || !got.Members[0].Added.Equal(evs[0].At) {
		t.Errorf("second add announces %s v%d with %d members at %v; want %s v%d with 1",
			got.ID, got.Version, len(got.Members), evs[0].At, first.ID, first.Version)
	}
	if len(evs[0].Articles) != 1 || evs[0].Articles[0].ID != a.ID || !evs[0].Repeat || evs[0].Story.Members[0].ArticleID != a.ID {
		t.Errorf("second add carries articles %v, members %v, repeat %v", evs[0].Articles, evs[0].Story.Members, evs[0].Repeat)
	}
	if after := e.Stats(); after != before {
		t.Errorf("stats changed: %+v → %+v", before, after)
	}
	if _, err := e.Add(article.Article{Text: "no id"}); err == nil {
		t.Error("an article without id was accepted")
	}
}

func TestEventsCarryStoryAndArticle(t *testing.T) {
	e := New(DefaultConfig(), newExtractor(t))
	a := unrelated[1]
	a.Published = at(0)
	evs, _ := e.Add(a)
	ev := evs[0]
	if ev.Story.ID != StoryID(a.ID) || !strings.HasPrefix(ev.Story.ID, "s-") || len(ev.Story.ID) != 14 {
		t.Errorf("story id %q, want %q", ev.Story.ID, StoryID(a.ID))
	}
	if len(ev.Articles) != 1 || ev.Articles[0].Text != a.Text {
		t.Errorf("event articles = %v", ev.Articles)
	}
	if !ev.At.Equal(*a.Published) || ev.Story.Version != 1 || ev.Story.Headline != a.Title {
		t.Errorf("event at %v version %d headline %q", ev.At, ev.Story.Version, ev.Story.Headline)
	}
	if _, err := story.Encode(ev); err != nil {
		t.Errorf("encode: %v", err)
	}
	// A second article that reports the same flood joins and bumps the version.
	b := article.Article{ID: "flood-2", Lang: "fr", Source: "b.example", Published: at(1),
		Title: "Var : crues soudaines et vigilance rouge, des milliers de foyers sans électricité",
		Text: "Les crues soudaines provoquées par les pluies orageuses dans le Var ont privé 4 000 foyers d'électricité autour de Draguignan. " +
			"La préfecture maintient la vigilance rouge et les pompiers ont mené plus de 300 interventions dans la nuit de mardi à mercredi."}
	evs, _ = e.Add(b)
	if len(evs) != 1 || evs[0].Type != story.Updated || evs[0].Story.Version != 2 {
		t.Fatalf("second article events: %+v", evs)
	}
	// The event carries the header and the joining member only.
	if len(evs[0].Story.Members) != 1 || evs[0].Story.MemberCount != 2 || evs[0].Story.Size() != 2 {
		t.Fatalf("second event lists %d members, count %d; want the joining one of 2", len(evs[0].Story.Members), evs[0].Story.MemberCount)
	}
	if m := evs[0].Story.Members[0]; m.ArticleID != b.ID || m.Score < e.cfg.Threshold || len(m.Evidence) == 0 {
		t.Errorf("member score %.3f evidence %v", m.Score, m.Evidence)
	}
	if got := evs[0].Story.Sources; len(got) != 1 || got[0] != "b.example" {
		t.Errorf("sources = %v", got)
	}
}

func TestWindowEviction(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Window = 24 * time.Hour
	e := New(cfg, newExtractor(t))
	a := unrelated[1]
	a.Published = at(0)
	e.Add(a)
	if n := e.Stats().ActiveStories; n != 1 {
		t.Fatalf("active = %d", n)
	}
	// Three days later the flood story is out of the window: the same
	// report again (new id) founds a new story instead of joining.
	b := a
	b.ID = "flood-later"
	b.Published = at(72)
	evs, _ := e.Add(b)
	if len(evs) != 1 || evs[0].Type != story.Created {
		t.Fatalf("late article events: %+v", evs)
	}
	s := e.Stats()
	if s.ActiveStories != 1 || s.RetiredStories != 1 {
		t.Errorf("stats after eviction: %+v", s)
	}
	// The retired story is still resolvable for a while...
	if sid, ok := e.StoryOf(a.ID); !ok || sid != StoryID(a.ID) {
		t.Errorf("StoryOf retired = %q, %v", sid, ok)
	}
	// ...and forgotten after retention, so memory stays bounded.
	c := unrelated[2]
	c.Published = at(200)
	e.Add(c)
	s = e.Stats()
	if s.ActiveStories != 1 || s.RetiredStories != 1 || s.Known != 2 {
		t.Errorf("stats after retention: %+v", s)
	}
	if _, ok := e.StoryOf(a.ID); ok {
		t.Error("forgotten article still resolves")
	}
}

// wire is a longer article, written for this test, that sites republish
// with small edits.
var wire = article.Article{ID: "wire-1", Lang: "en", Source: "wire.example",
	Title: "Ferry operator suspends night crossings after engine fire",
	Text: "The ferry operator Northline suspended all night crossings between Port Avel and the island of Skerra on Tuesday, " +
		"a day after an engine fire forced the evacuation of 214 passengers from one of its vessels. " +
		"No one was seriously hurt in the fire, which broke out shortly after midnight in the engine room of the Skerra Star " +
		"and was put out by the crew within forty minutes. Passengers were transferred to two lifeboats and a fishing vessel " +
		"that happened to be nearby, and were brought back to Port Avel before dawn. " +
		"The company said the suspension would last at least until the end of the week while inspectors examine the two other ships " +
		"of the fleet, which were built in the same yard and share the same engines. Day crossings will continue, with extra sailings " +
		"on Friday and Saturday to absorb the demand. The maritime safety agency has opened an investigation and sent two inspectors " +
		"to the island. Local businesses warned that the suspension would hurt the islands' winter trade, " +
		"which depends on the late crossing for deliveries of fresh food and for workers who commute to the mainland. " +
		"The mayor of Skerra asked the regional government to charter a replacement vessel if the inspections take longer than planned."}

func TestNearDuplicateMarked(t *testing.T) {
	e := New(DefaultConfig(), newExtractor(t))
	orig := wire
	orig.Published = at(0)
	e.Add(orig)
	dup := orig
	dup.ID = "wire-copy"
	dup.Source = "syndicated.example"
	dup.Published = at(1)
	dup.Title = "Northline suspends night ferry crossings after engine fire"
	dup.Text = strings.Replace(dup.Text, "on Tuesday", "on Tuesday morning", 1)
	dup.Text = strings.Replace(dup.Text, "within forty minutes", "within 40 minutes", 1)
	evs, _ := e.Add(dup)
	if len(evs) != 1 || evs[0].Story.ID != StoryID(orig.ID) {
		t.Fatalf("copy events: %+v", evs)
	}
	m := evs[0].Story.Members[len(evs[0].Story.Members)-1]
	if m.ArticleID != dup.ID || m.DuplicateOf != orig.ID {
		t.Errorf("member %s duplicate_of %q, want %q", m.ArticleID, m.DuplicateOf, orig.ID)
	}
	// A rewritten report of the same event joins but is no duplicate.
	other := article.Article{ID: "wire-other", Lang: "en", Published: at(2),
		Title: "Skerra Star fire: Northline halts night ferries to the island",
		Text: "Night ferries to Skerra are halted after fire broke out in the engine room of the Skerra Star, " +
			"whose 214 passengers were evacuated to lifeboats. Northline says inspectors will check its two other ships, " +
			"and the maritime safety agency has opened an investigation. The mayor of Skerra wants a replacement vessel."}
	evs, _ = e.Add(other)
	last := evs[0].Story.Members[len(evs[0].Story.Members)-1]
	if evs[0].Story.ID != StoryID(orig.ID) || last.DuplicateOf != "" {
		t.Errorf("rewritten article in %s, duplicate of %q", evs[0].Story.ID, last.DuplicateOf)
	}
}

func TestMergeAliasResolves(t *testing.T) {
	// Two reports of different sides of one event found two stories; a
	// report that covers both bridges them and they converge. The merge bar
	// is lowered so that three short articles suffice: a centroid of two
	// articles resembles a third far less than the articles do each other.
	cfg := DefaultConfig()
	cfg.MergeThreshold, cfg.MergeOneLang = 0.2, -1
	e := New(cfg, newExtractor(t))
	half1 := article.Article{ID: "m1", Lang: "en", Published: at(0), Title: "Quarry wall collapses near Tarvel",
		Text: "A quarry wall collapsed near the village of Tarvel on Monday, burying two excavators. " +
			"The operator, Brennock Stone, halted all blasting and evacuated the pit."}
	half2 := article.Article{ID: "m2", Lang: "en", Published: at(1), Title: "Rescuers search for three missing workers",
		Text: "Rescue teams with sniffer dogs searched through the night for three missing workers, " +
			"said regional fire chief Dana Whitcombe, who asked residents to keep away from the roads."}
	both := article.Article{ID: "m3", Lang: "en", Published: at(2), Title: half1.Title + ": " + half2.Title,
		Text: half1.Text + " " + half2.Text}
	var all []story.Event
	for _, a := range []article.Article{half1, half2, both} {
		evs, err := e.Add(a)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, evs...)
	}
	var merged *story.Event
	for i := range all {
		if all[i].Type == story.Merged {
			merged = &all[i]
		}
	}
	if merged == nil {
		var types []string
		for _, ev := range all {
			types = append(types, fmt.Sprintf("%s:%s(%d)", ev.Type, ev.Story.ID, len(ev.Story.Members)))
		}
		t.Fatalf("no merge; events %v", types)
	}
	if len(merged.Absorbed) != 1 || merged.Articles != nil {
		t.Errorf("merge event absorbed %v, %d articles", merged.Absorbed, len(merged.Articles))
	}
	survivor := merged.Story.ID
	if survivor != StoryID(half1.ID) || merged.Absorbed[0] != StoryID(half2.ID) {
		t.Errorf("survivor %s absorbed %v, want the older %s absorbing %s", survivor, merged.Absorbed, StoryID(half1.ID), StoryID(half2.ID))
	}
	for _, id := range []string{"m1", "m2", "m3"} {
		if sid, _ := e.StoryOf(id); sid != survivor {
			t.Errorf("StoryOf(%s) = %s, want %s", id, sid, survivor)
		}
	}
	st, ok := e.Story(merged.Absorbed[0])
	if !ok || st.ID != survivor || len(st.Members) != 3 || len(st.Aliases) != 1 {
		t.Errorf("Story(alias) = %s with %d members, aliases %v", st.ID, len(st.Members), st.Aliases)
	}
	if e.Stats().ActiveStories != 1 {
		t.Errorf("active stories = %d, want 1", e.Stats().ActiveStories)
	}
}

func TestConcurrentAdd(t *testing.T) {
	e := New(DefaultConfig(), newExtractor(t))
	s := newSynth(20)
	done := make(chan bool)
	for g := range 4 {
		go func() {
			defer func() { done <- true }()
			for i := range 25 {
				a := s.articleFor(fmt.Sprintf("g%d-%d", g, i), (g*25+i)%20)
				if _, err := e.Add(a); err != nil {
					t.Error(err)
				}
				e.StoryOf(a.ID)
				e.Stats()
			}
		}()
	}
	for range 4 {
		<-done
	}
	if s := e.Stats(); s.Known != 100 || s.Articles != 100 {
		t.Errorf("stats %+v", s)
	}
}

// TestDotsNormsMatches checks the one-walk scoring of a stale story against
// the two walks it replaces, to the bit: assignment must not depend on
// which of them a story's staleness picks.
func TestDotsNormsMatches(t *testing.T) {
	e := New(DefaultConfig(), newExtractor(t))
	for i, a := range unrelated {
		a.Published = at(i)
		if _, err := e.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	var stories []*storyState
	for _, st := range e.slots {
		if st != nil {
			stories = append(stories, st)
		}
	}
	if len(stories) < 2 {
		t.Fatalf("%d stories, want several", len(stories))
	}
	for i, article := range stories {
		av := article.vector()
		e.q.spread(e.dict, av)
		for j, st := range stories {
			dot, n := e.q.dotsNorms(e.dict, st.vector())
			if want := e.q.dots(st.vector()); dot != want {
				t.Errorf("story %d against %d: dots %+v, want %+v", j, i, dot, want)
			}
			if want := e.dict.norms(st.vector()); n != want {
				t.Errorf("story %d: norms %+v, want %+v", j, n, want)
			}
		}
		e.q.clear(av)
	}
}

// Articles of weeks past fetched now (a new source's backfill) arrive in
// any order: a story stays open while its articles keep arriving, however
// far the newest article's date has moved the clock, but only to articles
// dated within a window of its own. Fetched a window apart, the same
// articles find it retired.
func TestBackfillKeepsStoriesOpen(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Window = 24 * time.Hour
	fetched := func(h float64) *time.Time {
		t := at(1000).Add(time.Duration(h * float64(time.Hour)))
		return &t
	}
	tests := []struct {
		name         string
		fetchedLater float64 // hours after the first article that the others are fetched
		published    int     // hour the same report again is dated
		joins        bool
		snapshot     bool // restore the engine from a snapshot before the last article
	}{
		{"fetched together", 0.05, 2, true, false},
		{"fetched together, across a snapshot", 0.05, 2, true, true},
		{"fetched a window apart", 48, 2, false, false},
		// The same words dated three weeks on are another event.
		{"dated three weeks apart", 0.05, 21 * 24, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(cfg, newExtractor(t))
			a := unrelated[1]
			a.Published, a.Fetched = at(0), fetched(0)
			if _, err := e.Add(a); err != nil {
				t.Fatal(err)
			}
			// A story dated nine days later moves the clock past the window.
			c := unrelated[2]
			c.Published, c.Fetched = at(200), fetched(tt.fetchedLater)
			if _, err := e.Add(c); err != nil {
				t.Fatal(err)
			}
			if tt.snapshot {
				r := New(cfg, e.fx)
				if err := r.ReadSnapshot(bytes.NewReader(snapshotOf(t, e))); err != nil {
					t.Fatal(err)
				}
				e = r
			}
			// Another report of the flood (not a near-copy, which would
			// join its original whatever its date), fetched hours later
			// still: the engine sweeps again first.
			b := a
			b.ID, b.Published, b.Fetched = "flood-again", at(tt.published), fetched(tt.fetchedLater+4)
			b.Title = "Var : après les crues, des centaines de foyers toujours évacués"
			b.Text = "Dans le Var, les crues soudaines ont forcé l'évacuation de centaines de foyers autour de Draguignan. " +
				"La préfecture maintient la vigilance rouge ; les pompiers comptent plus de 300 interventions. " +
				"Près de 4 000 foyers restent sans électricité et plusieurs routes départementales sont coupées."
			if _, err := e.Add(b); err != nil {
				t.Fatal(err)
			}
			sa, _ := e.StoryOf(a.ID)
			sb, _ := e.StoryOf(b.ID)
			if (sa == sb) != tt.joins {
				t.Errorf("stories %s and %s, want joined %v (stats %+v)", sa, sb, tt.joins, e.Stats())
			}
		})
	}
}

// TestDotFullMatches checks refresh's dot product against the full sum of
// dots it replaces, to the bit, between the stories' centroids and their
// members' vectors, and on vectors with nothing in common or nothing at all.
func TestDotFullMatches(t *testing.T) {
	e := New(DefaultConfig(), newExtractor(t))
	for i, a := range append(slices.Clone(unrelated), unrelated...) {
		a.ID = fmt.Sprintf("%s-%d", a.ID, i)
		a.Published = at(i)
		if _, err := e.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	var vs []vec
	joined := false
	for _, st := range e.slots {
		if st == nil {
			continue
		}
		joined = joined || len(st.members) > 1
		vs = append(vs, st.vector())
		for _, m := range st.members {
			vs = append(vs, m.vec)
		}
	}
	if !joined {
		t.Fatal("the repeated articles should join their stories")
	}
	vs = append(vs, nil, vec{{id: uint32(len(e.dict.keys) - 1), w: 0.5}})
	for i, a := range vs {
		for j, b := range vs {
			if got, want := e.dict.dotFull(a, b), e.dict.dots(a, b).full; got != want {
				t.Errorf("vectors %d and %d: dotFull %v, dots %v", i, j, got, want)
			}
		}
	}
}

// TestUntitledMembersHaveALead: a member without a title shows the first
// words of its text, which the story's headline would take, and keeps them
// through a snapshot, which does not store them twice.
func TestUntitledMembersHaveALead(t *testing.T) {
	fx := newExtractor(t)
	e := New(DefaultConfig(), fx)
	long := strings.Repeat("Il ministero conferma l'attacco ai server di posta elettronica ", 4)
	as := []article.Article{
		{ID: "titled", Lang: "it", Title: "Attacco ai server del ministero", Text: "Il ministero conferma l'attacco ai server di posta.", Published: at(0)},
		{ID: "untitled", Lang: "it", Text: "\n  Il ministero conferma l'attacco ai server di posta.\nSeconda riga.", Published: at(1)},
		{ID: "long", Lang: "it", Text: long, Published: at(2)},
	}
	for _, a := range as {
		if _, err := e.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		"titled":   "",
		"untitled": "Il ministero conferma l'attacco ai server di posta.",
		"long":     headlineOf(as[2]),
	}
	if !strings.HasSuffix(want["long"], "…") || len([]rune(want["long"])) > 141 {
		t.Fatalf("long headline %q: want it cut near 140 characters with an ellipsis", want["long"])
	}
	check := func(e *Engine, when string) {
		t.Helper()
		for id, lead := range want {
			sid, ok := e.StoryOf(id)
			if !ok {
				t.Fatalf("%s: %s has no story", when, id)
			}
			s, _ := e.Story(sid)
			for _, m := range s.Members {
				if m.ArticleID == id && m.Lead != lead {
					t.Errorf("%s: lead of %s = %q, want %q", when, id, m.Lead, lead)
				}
			}
		}
	}
	check(e, "live")
	r, _ := throughSnapshot(t, e, fx)
	check(r, "restored")
}

// TestTitleBeatsLeadForHeadline: a story of untitled articles (plain text
// files) and titled ones takes its headline from a title, whichever came
// first and however central the untitled ones are, in small stories and in
// big ones, where only the newest member challenges the headline.
func TestTitleBeatsLeadForHeadline(t *testing.T) {
	const text = "Il ministero dell'Interno conferma l'attacco informatico ai server di posta elettronica. " +
		"Laurent Nuñez ha parlato di attività sospette, la procura di Parigi indaga sui messaggi."
	for _, n := range []int{3, 40} {
		t.Run(fmt.Sprintf("%d articles", n), func(t *testing.T) {
			e := New(DefaultConfig(), newExtractor(t))
			add := func(a article.Article) {
				t.Helper()
				if _, err := e.Add(a); err != nil {
					t.Fatal(err)
				}
			}
			// Untitled copies first: the story's headline is their lead.
			for i := 0; i < n-2; i++ {
				add(article.Article{ID: fmt.Sprintf("u%d", i), Lang: "it", Text: text, Published: at(i)})
			}
			add(article.Article{ID: "titled", Lang: "it", Title: "Attacco ai server del Viminale", Text: text + " Fonti del governo.", Published: at(n)})
			// A later untitled copy, as central as ever, does not take it back.
			add(article.Article{ID: "late", Lang: "it", Text: text, Published: at(n + 1)})
			sid := assertOneStory(t, e, []article.Article{{ID: "u0"}, {ID: "titled"}, {ID: "late"}})
			s, _ := e.Story(sid)
			if s.Headline != "Attacco ai server del Viminale" {
				t.Errorf("headline %q, want the titled article's", s.Headline)
			}
		})
	}
}
