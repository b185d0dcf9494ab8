package cluster

import (
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

func TestCompareIsPureAndAgreesWithAdd(t *testing.T) {
	e := New(DefaultConfig(), newExtractor(t))
	a := unrelated[1] // the Var floods
	b := article.Article{ID: "flood-2", Lang: "fr", Title: "Var : crues soudaines et vigilance rouge",
		Text: "Les crues soudaines provoquées par les pluies orageuses dans le Var ont privé 4 000 foyers d'électricité autour de Draguignan. " +
			"La préfecture maintient la vigilance rouge et les pompiers ont mené plus de 300 interventions."}
	c := unrelated[3] // a phone launch in Milan
	before := e.Stats()
	same := e.Compare(a, b)
	other := e.Compare(a, c)
	if after := e.Stats(); after != before {
		t.Errorf("Compare changed the engine: %+v → %+v", before, after)
	}
	if !same.Same || same.Score < e.Threshold() || len(same.Evidence) == 0 {
		t.Errorf("same event: %+v", same)
	}
	if other.Same || other.Score >= same.Score {
		t.Errorf("unrelated: %+v against %+v", other, same)
	}
	if got := e.Similarity(a, b); got != same.Score {
		t.Errorf("Similarity %v, Compare %v", got, same.Score)
	}
	// Observing a background stream changes document frequencies, not the
	// verdict on a clear pair.
	for _, u := range unrelated {
		e.Observe(u)
	}
	if s := e.Stats(); s.Articles != 0 || s.ActiveStories != 0 {
		t.Errorf("Observe clustered: %+v", s)
	}
	if !e.Compare(a, b).Same {
		t.Error("the pair split after observing a background")
	}
	// The engine joins b to a's story exactly when Compare says so.
	a.Published, b.Published = at(0), at(1)
	e.Add(a)
	e.Add(b)
	sa, _ := e.StoryOf(a.ID)
	sb, _ := e.StoryOf(b.ID)
	if sa != sb {
		t.Errorf("Compare said same, Add split them")
	}
}

func TestCompareAcrossLanguages(t *testing.T) {
	seeds := loadSeeds(t)
	e := New(DefaultConfig(), newExtractor(t))
	// The Italian 000 and the French 003 meet on names, the channel, the
	// country and cognates.
	c := e.Compare(seeds[0], seeds[3])
	if !c.Same {
		t.Errorf("it/fr seeds: %+v", c)
	}
}

// observed is an engine of cfg that has observed the unrelated articles,
// so that document frequencies are not those of an empty stream.
func observed(t *testing.T, cfg Config) *Engine {
	t.Helper()
	e := New(cfg, newExtractor(t))
	for _, u := range unrelated {
		e.Observe(u)
	}
	return e
}

func TestPinBonus(t *testing.T) {
	base := article.Article{ID: "p-a", Lang: "en", Title: "Storm floods the coast",
		Text: "Heavy rain flooded the coastal towns overnight and rescuers evacuated 1,372 residents, officials said on Monday."}
	for _, tc := range []struct {
		name  string
		text  string
		bonus float64
		more  bool // scores above the same text without the figure
	}{
		{"a shared rare figure", "Rescuers evacuated 1,372 residents after heavy rain flooded coastal towns, officials said.", 0.1, true},
		{"bonus disabled", "Rescuers evacuated 1,372 residents after heavy rain flooded coastal towns, officials said.", -1, false},
		{"another figure", "Rescuers evacuated 2,914 residents after heavy rain flooded coastal towns, officials said.", 0.1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.PinBonus = tc.bonus
			e := observed(t, cfg)
			b := article.Article{ID: "p-b", Lang: "en", Text: tc.text}
			plain := b
			plain.Text = "Rescuers evacuated residents after heavy rain flooded coastal towns, officials said."
			got, without := e.Compare(base, b).Score, e.Compare(base, plain).Score
			if more := got > without+0.05; more != tc.more {
				t.Errorf("score %.3f, without the figure %.3f: want a bonus %v", got, without, tc.more)
			}
		})
	}
}

func TestWordBonus(t *testing.T) {
	fire := func(place string) string {
		return "A huge blaze destroyed the supermarket in " + place + " overnight; arson investigators found accelerant near the loading bay, police said."
	}
	for _, tc := range []struct {
		name   string
		a, b   string
		bonus  bool // scores above the same pair without the word bonus
		reason string
	}{
		{"shared rare words", "A huge blaze destroyed the supermarket overnight; arson investigators found accelerant, police said.",
			"Arson investigators found accelerant after a blaze destroyed the supermarket overnight.", true, "rare words shared"},
		{"one place", fire("Banstead"), fire("Banstead"), true, "the same town"},
		{"one side names a place", fire("Banstead"), "Arson investigators found accelerant after a blaze destroyed the supermarket.", true, "nothing contradicts"},
		{"places differ", fire("Banstead"), fire("Wellington"), false, "two fires of one kind"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			score := func(bonus float64) float64 {
				cfg := DefaultConfig()
				cfg.WordBonus = bonus
				e := observed(t, cfg)
				return e.Compare(article.Article{ID: "w-a", Lang: "en", Text: tc.a}, article.Article{ID: "w-b", Lang: "en", Text: tc.b}).Score
			}
			with, without := score(0.15), score(-1)
			if got := with > without+0.02; got != tc.bonus {
				t.Errorf("%s: score %.3f, without the word bonus %.3f: want a bonus %v", tc.reason, with, without, tc.bonus)
			}
		})
	}
}

func TestCrossSupport(t *testing.T) {
	for _, tc := range []struct {
		name   string
		a, b   article.Article
		same   bool // judged one story by default
		scaled bool // scores lower than without the support rule
	}{
		{
			"one shared acronym",
			article.Article{ID: "s-de", Lang: "de", Title: "NRW: Besuchsverbot in Gefängnissen verlängert",
				Text: "Die Justizvollzugsanstalten in NRW bleiben bis zum 30. April für Besucher geschlossen, teilte Justizminister Peter Biesenbach in Düsseldorf mit. Die 36 Anstalten erlauben den Häftlingen stattdessen längere Telefonate."},
			article.Article{ID: "s-en", Lang: "en", Title: "NRW shares jump on earnings upgrade",
				Text: "Shares in the Perth mining contractor NRW rose 31 per cent after chief executive Jules Pemberton lifted its full-year earnings guidance and brought forward a $10.7 million dividend to March."},
			false, true,
		},
		{
			"one event, many shared features",
			article.Article{ID: "b-de", Lang: "de", Title: "Görlitz: Anna Kowalczyk eröffnet neue Neißebrücke",
				Text: "Bürgermeisterin Anna Kowalczyk hat am Montag in Görlitz die neue Brücke über die Neiße eröffnet. Der Bau kostete 14,5 Millionen Euro und dauerte 27 Monate; Zgorzelec auf der polnischen Seite feierte mit."},
			article.Article{ID: "b-en", Lang: "en", Title: "Görlitz opens new Neisse bridge",
				Text: "Mayor Anna Kowalczyk opened the new bridge over the Neisse in Görlitz on Monday. It cost 14.5 million euros and took 27 months to build; Zgorzelec on the Polish side joined the celebration."},
			true, false,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			score := func(support float64) Comparison {
				cfg := DefaultConfig()
				cfg.CrossSupport = support
				e := observed(t, cfg)
				return e.Compare(tc.a, tc.b)
			}
			with, without := score(0), score(-1)
			t.Logf("score %.3f, without the rule %.3f; evidence %v", with.Score, without.Score, with.Evidence)
			if with.Same != tc.same {
				t.Errorf("same story %v, want %v (score %.3f)", with.Same, tc.same, with.Score)
			}
			if scaled := with.Score < without.Score-0.02; scaled != tc.scaled {
				t.Errorf("score %.3f, without the rule %.3f: want it scaled down %v", with.Score, without.Score, tc.scaled)
			}
		})
	}
}
