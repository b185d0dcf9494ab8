package index

import (
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// t0 is the clock of the test stream.
var t0 = time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)

func art(id, lang, source, title, text string) article.Article {
	return article.Article{
		ID: id, URL: "https://" + source + "/" + id, Source: source,
		Title: title, Text: text, Lang: lang, Extracted: true,
	}
}

// sim plays the clusterer: it keeps the stories and emits the events a
// real one would, with whole stories and only the joining articles.
type sim struct {
	stories map[string]*story.Story
}

func newSim() *sim { return &sim{stories: map[string]*story.Story{}} }

// add puts arts into story id (creating it) at time at.
func (s *sim) add(id string, at time.Time, arts ...article.Article) story.Event {
	st, ok := s.stories[id]
	typ := story.Updated
	if !ok {
		typ = story.Created
		st = &story.Story{ID: id, Headline: arts[0].Title, FirstSeen: at}
		s.stories[id] = st
	}
	for _, a := range arts {
		st.Members = append(st.Members, story.Member{
			ArticleID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Lang: a.Lang, Added: at,
		})
	}
	st.LastSeen = at
	st.Version++
	s.recount(st)
	return story.Event{V: 1, Type: typ, Story: clone(st), Articles: arts, At: at}
}

// merge moves the members of from into into.
func (s *sim) merge(into string, at time.Time, from ...string) story.Event {
	st := s.stories[into]
	for _, f := range from {
		g := s.stories[f]
		st.Members = append(st.Members, g.Members...)
		st.Aliases = append(st.Aliases, append([]string{f}, g.Aliases...)...)
		delete(s.stories, f)
	}
	// Members in the order they joined, as the clusterer keeps them.
	slices.SortStableFunc(st.Members, func(a, b story.Member) int { return a.Added.Compare(b.Added) })
	st.LastSeen = at
	st.Version++
	s.recount(st)
	return story.Event{V: 1, Type: story.Merged, Story: clone(st), Absorbed: from, At: at}
}

func (s *sim) recount(st *story.Story) {
	langs, srcs := map[string]bool{}, map[string]bool{}
	for _, m := range st.Members {
		langs[m.Lang], srcs[m.Source] = true, true
	}
	st.Languages, st.Sources = keys(langs), keys(srcs)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func clone(st *story.Story) story.Story {
	c := *st
	c.Members = append([]story.Member(nil), st.Members...)
	c.Aliases = append([]string(nil), st.Aliases...)
	c.Languages = append([]string(nil), st.Languages...)
	c.Sources = append([]string(nil), st.Sources...)
	return c
}

// corpus is a short stream: an Italian story that grows, a French one that
// is merged into it, and an unrelated English one.
func corpus() []story.Event {
	s := newSim()
	return []story.Event{
		s.add("st-verona", t0,
			art("it-1", "it", "corriere.example", "Attacco informatico all'ospedale di Verona",
				"Un attacco ransomware ha bloccato nella notte i sistemi dell'ospedale di Verona. I tecnici lavorano al ripristino.")),
		s.add("st-lyon", t0.Add(time.Hour),
			art("fr-1", "fr", "lemonde.example", "Panne du serveur de l'hôpital de Vérone",
				"Le serveur principal de l'hôpital de Vérone est tombé en panne après une intrusion, selon la direction.")),
		s.add("st-flood", t0.Add(2*time.Hour),
			art("en-1", "en", "bbc.example", "Flooding closes the river road",
				"Heavy rain flooded the river road near the old mill on Sunday; <b>drivers</b> were told to wait.")),
		s.add("st-verona", t0.Add(3*time.Hour),
			art("it-2", "it", "repubblica.example", "Verona, ospedale ancora offline",
				"Dopo l'attacco di ieri i servizi restano sospesi e le visite sono rinviate.")),
		s.merge("st-verona", t0.Add(4*time.Hour), "st-lyon"),
	}
}

func mustOpen(t testing.TB, dir string) *Index {
	t.Helper()
	ix, err := Open(dir)
	if err != nil {
		t.Fatalf("Open(%q): %v", dir, err)
	}
	return ix
}

func applyAll(t testing.TB, ix *Index, evs []story.Event) {
	t.Helper()
	for _, ev := range evs {
		if err := ix.Apply(ev); err != nil {
			t.Fatalf("Apply %s %s v%d: %v", ev.Type, ev.Story.ID, ev.Story.Version, err)
		}
	}
}

func ids(ss []story.Story) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}

func hitIDs(hs []Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Story.ID
	}
	return out
}

// applyInBatches applies evs to ix in consecutive batches of batch events,
// as an indexer reading a stream would.
func applyInBatches(t *testing.T, ix *Index, evs []story.Event, batch int) {
	t.Helper()
	for i := 0; i < len(evs); i += batch {
		if err := ix.ApplyBatch(evs[i:min(i+batch, len(evs))], 0); err != nil {
			t.Fatal(err)
		}
	}
}
