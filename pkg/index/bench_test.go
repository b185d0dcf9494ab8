package index

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// benchWords are small made-up vocabularies, enough for realistic postings.
var benchWords = map[string][]string{
	"it": strings.Fields("attacco attacchi ospedale ospedali sindaco comune elezioni governo ministro scuola scuole " +
		"treno treni sciopero incendio incendi pioggia alluvione strada strade polizia indagine indagini mercato " +
		"prezzi energia gas squadra partita vittoria sconfitta tribunale sentenza porto nave navi accordo"),
	"fr": strings.Fields("serveur serveurs panne pannes mairie maire élection élections gouvernement ministre école " +
		"écoles train trains grève incendie incendies pluie inondation route routes police enquête enquêtes marché " +
		"prix énergie équipe match victoire défaite tribunal jugement port navire accord"),
	"en": strings.Fields("server servers outage outages council mayor election elections government minister school " +
		"schools train trains strike fire fires rain flood road roads police inquiry market prices energy team match " +
		"victory defeat court ruling harbour ship ships agreement"),
}

var benchLangs = []string{"it", "fr", "en"}

// benchVocab gives each language a Zipf-like vocabulary: generated filler
// words around the real ones (placed at middling frequency ranks), so that
// a query matches a realistic share of stories rather than all of them.
func benchVocab() map[string][]string {
	syll := strings.Fields("ba ca de fi go lu ma ne po ri sa te vo zu tra pen lor mis cal")
	out := make(map[string][]string, len(benchWords))
	for lang, real := range benchWords {
		r := rand.New(rand.NewPCG(7, uint64(len(lang))))
		var ws []string
		for i := 0; len(ws) < 3000; i++ {
			if i >= 20 && (i-20)%25 == 0 && (i-20)/25 < len(real) {
				ws = append(ws, real[(i-20)/25])
				continue
			}
			ws = append(ws, syll[r.IntN(len(syll))]+syll[r.IntN(len(syll))]+syll[r.IntN(len(syll))])
		}
		out[lang] = ws
	}
	return out
}

type benchGen struct {
	r     *rand.Rand
	zipf  *rand.Zipf
	vocab map[string][]string
}

func newBenchGen() *benchGen {
	r := rand.New(rand.NewPCG(1, 2))
	return &benchGen{r: r, zipf: rand.NewZipf(r, 1.1, 2, 2999), vocab: benchVocab()}
}

func (g *benchGen) sentence(lang string, n int) string {
	ws := g.vocab[lang]
	out := make([]string, n)
	for i := range out {
		out[i] = ws[g.zipf.Uint64()]
	}
	return strings.Join(out, " ")
}

// benchEvents makes n created events of 1–4 articles each.
func benchEvents(n int) []story.Event {
	g := newBenchGen()
	r := g.r
	evs := make([]story.Event, 0, n)
	for i := range n {
		at := t0.Add(time.Duration(i) * time.Minute)
		st := story.Story{ID: fmt.Sprintf("bench-%05d", i), FirstSeen: at, LastSeen: at, Version: 1}
		var arts []article.Article
		langs, srcs := map[string]bool{}, map[string]bool{}
		for j := range 1 + r.IntN(4) {
			lang := benchLangs[r.IntN(len(benchLangs))]
			src := fmt.Sprintf("source%02d.example", r.IntN(30))
			a := art(fmt.Sprintf("%s-a%d", st.ID, j), lang, src, g.sentence(lang, 8), g.sentence(lang, 300))
			arts = append(arts, a)
			st.Members = append(st.Members, story.Member{ArticleID: a.ID, Title: a.Title, Source: src, Lang: lang, Added: at})
			langs[lang], srcs[src] = true, true
		}
		st.Headline = arts[0].Title
		st.Languages, st.Sources = keys(langs), keys(srcs)
		evs = append(evs, story.Event{V: story.SchemaVersion, Type: story.Created, Story: st, Articles: arts, At: at})
	}
	return evs
}

// BenchmarkSearch measures a search with facets and highlighting over 5,000
// stories (about 12,500 articles), the size of a few days of coverage, in
// the on-disk index a deployment uses (the in-memory one is another engine).
func BenchmarkSearch(b *testing.B) {
	ix := mustOpen(b, b.TempDir())
	defer ix.Close()
	start := time.Now()
	applyAll(b, ix, benchEvents(5000))
	b.Logf("indexed 5000 stories in %v", time.Since(start))

	queries := []SearchQuery{
		{Q: "attacchi ospedale"},
		{Q: "serveurs panne", Langs: []string{"fr"}},
		{Q: "+flood +roads", Sort: SortUpdated},
		{Q: "+train strike"},
		{Q: "incendi OR fires OR incendie", Size: 20},
		{Sort: SortUpdated}, // browsing: every story counted in the facets
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r, err := ix.Search(queries[i%len(queries)])
		if err != nil {
			b.Fatal(err)
		}
		if r.Total == 0 || len(r.Facets["lang"]) == 0 {
			b.Fatalf("query %d: no hits or facets", i%len(queries))
		}
	}
}

// BenchmarkApply measures folding one created event into a 1,000-story
// on-disk index, each event persisted before Apply returns.
func BenchmarkApply(b *testing.B) {
	ix := mustOpen(b, b.TempDir())
	defer ix.Close()
	evs := benchEvents(1000 + 20000)
	applyAll(b, ix, evs[:1000])
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := ix.Apply(evs[1000+i%20000]); err != nil {
			b.Fatal(err)
		}
	}
}
