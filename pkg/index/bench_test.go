package index

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cputime"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// benchWords are real words per language, the ones the benchmark queries
// use; everything else in the corpus is made up.
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

// Shape of the generated corpus. Running text is made of two vocabularies
// per language: a large general one drawn with a Zipf law (most words are
// rare, a few are everywhere) and a smaller topical one from which each
// topic (a kind of event) takes its keywords. The real words sit in the
// topical vocabulary and, less often, in the general one, so a query
// matches the stories of a few topics plus scattered others, as a news
// search does, rather than nearly every story.
const (
	benchGeneralWords = 30000
	benchTopicalWords = 1500
	benchTopics       = 3000
	benchKeywords     = 8   // keywords per topic
	benchTextWords    = 250 // words per article body
	benchTitleWords   = 9
	benchTopicShare   = 0.12 // share of body words that are topic keywords
)

type benchGen struct {
	r        *rand.Rand
	general  map[string][]string
	topical  map[string][]string
	genZipf  *rand.Zipf
	topZipf  *rand.Zipf
	keywords [][]int // per topic, indexes into the topical vocabulary
}

// benchVocab makes n distinct made-up words of two to four syllables.
func benchVocab(r *rand.Rand, n int) []string {
	syll := strings.Fields("ba ca de fi go lu ma ne po ri sa te vo zu tra pen lor mis cal dor fen gri")
	seen := make(map[string]bool, n)
	out := make([]string, 0, n)
	for len(out) < n {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func newBenchGen(langs []string) *benchGen {
	r := rand.New(rand.NewPCG(1, 2))
	g := &benchGen{r: r, general: map[string][]string{}, topical: map[string][]string{}}
	for li, lang := range langs {
		vr := rand.New(rand.NewPCG(7, uint64(li)))
		gen := benchVocab(vr, benchGeneralWords)
		top := benchVocab(vr, benchTopicalWords)
		for i, w := range benchWords[lang] {
			// Spread over the topical vocabulary, and every fourth one a
			// fairly common general word too.
			top[(i*37+11)%len(top)] = w
			if i%4 == 0 {
				gen[400+i*60] = w
			}
		}
		g.general[lang], g.topical[lang] = gen, top
	}
	g.genZipf = rand.NewZipf(r, 1.05, 2, benchGeneralWords-1)
	g.topZipf = rand.NewZipf(r, 1.02, 8, benchTopics-1)
	g.keywords = make([][]int, benchTopics)
	for t := range g.keywords {
		for range benchKeywords {
			g.keywords[t] = append(g.keywords[t], r.IntN(benchTopicalWords))
		}
	}
	return g
}

func (g *benchGen) text(lang string, topic, n int) string {
	out := make([]string, n)
	for i := range out {
		if g.r.Float64() < benchTopicShare {
			kw := g.keywords[topic]
			out[i] = g.topical[lang][kw[g.r.IntN(len(kw))]]
		} else {
			out[i] = g.general[lang][g.genZipf.Uint64()]
		}
	}
	return strings.Join(out, " ")
}

// benchEvents makes created events of 1–4 articles each until there are at
// least articles articles; stories are a minute apart.
func benchEvents(articles int) []story.Event {
	g := newBenchGen(benchLangs)
	r := g.r
	var evs []story.Event
	total := 0
	for i := 0; total < articles; i++ {
		at := t0.Add(time.Duration(i) * time.Minute)
		topic := int(g.topZipf.Uint64())
		st := story.Story{ID: fmt.Sprintf("bench-%06d", i), FirstSeen: at, LastSeen: at, Version: 1}
		var arts []article.Article
		langs, srcs := map[string]bool{}, map[string]bool{}
		for j := range 1 + r.IntN(4) {
			lang := benchLangs[r.IntN(len(benchLangs))]
			src := fmt.Sprintf("source%02d.example", r.IntN(40))
			a := art(fmt.Sprintf("%s-a%d", st.ID, j), lang, src,
				g.text(lang, topic, benchTitleWords), g.text(lang, topic, benchTextWords))
			arts = append(arts, a)
			st.Members = append(st.Members, story.Member{ArticleID: a.ID, Title: a.Title, Source: src, Lang: lang, Added: at})
			langs[lang], srcs[src] = true, true
		}
		total += len(arts)
		st.Headline = arts[0].Title
		st.Languages, st.Sources = keys(langs), keys(srcs)
		evs = append(evs, story.Event{V: 1, Type: story.Created, Story: st, Articles: arts, At: at})
	}
	return evs
}

// benchBatch is the number of events per ApplyBatch when loading.
const benchBatch = 2000

func loadBench(b *testing.B, ix *Index, evs []story.Event) {
	b.Helper()
	for i := 0; i < len(evs); i += benchBatch {
		if err := ix.ApplyBatch(evs[i:min(i+benchBatch, len(evs))], uint64(i+1)); err != nil {
			b.Fatal(err)
		}
	}
}

// settle waits (at most two minutes) for the segment merges that follow a
// bulk load to end, so that searches measure the index a running replica
// has rather than one being rewritten beside them; it returns the number of
// segments.
func settle(ix *Index) string {
	state := func() (string, string) {
		m, _ := ix.idx.StatsMap()["index"].(map[string]any)
		return fmt.Sprint(m["TotFileMergeIntroductionsDone"], m["TotPersistedSegments"]), fmt.Sprint(m["TotFileSegmentsAtRoot"])
	}
	last, segs := state()
	for deadline, still := time.Now().Add(2*time.Minute), 0; still < 3 && time.Now().Before(deadline); {
		time.Sleep(time.Second)
		cur, n := state()
		if cur == last {
			still++
		} else {
			still = 0
		}
		last, segs = cur, n
	}
	return segs
}

// lastBatchSeq is the checkpoint loadBench leaves after n events.
func lastBatchSeq(n int) uint64 { return uint64((n-1)/benchBatch*benchBatch + 1) }

// benchQueries are searches with facets and highlighting: plain words (OR),
// required words, a phrase, a prefix, with and without filters and sorts.
var benchQueries = []SearchQuery{
	{Q: "attacchi ospedale"},
	{Q: "serveurs panne", Langs: []string{"fr"}},
	{Q: "+flood +roads", Sort: SortUpdated},
	{Q: "+train strike"},
	{Q: "incendi OR fires OR incendie", Size: 20},
	{Q: "+sciopero -treni"},
	{Q: "élection*"},
	{Q: "governo ministro police", Sources: []string{"source07.example", "source21.example"}},
	{Q: "tribunal court tribunale", Offset: 20},
}

// BenchmarkSearch measures searches with facets (language, source, date)
// and highlighting over 100,000 articles (about 40,000 stories) in the
// on-disk index a deployment uses, and reports the 50th and 99th
// percentile latency of one search. The corpus is loaded with ApplyBatch.
func BenchmarkSearch(b *testing.B) {
	start := time.Now()
	evs := benchEvents(100_000)
	arts := 0
	for _, ev := range evs {
		arts += len(ev.Articles)
	}
	gen := time.Since(start)
	// NEWSDEDUP_BENCH_INDEX names a directory that keeps the loaded index
	// between runs, for tuning searches without reloading every time.
	dir := os.Getenv("NEWSDEDUP_BENCH_INDEX")
	if dir == "" {
		dir = b.TempDir()
	}
	ix := mustOpen(b, dir)
	defer ix.Close()
	start = time.Now()
	// The last batch's checkpoint tells a complete cached index.
	if seq, err := ix.Checkpoint(); err != nil || seq != lastBatchSeq(len(evs)) {
		loadBench(b, ix, evs)
	}
	loaded := time.Since(start)
	segs := settle(ix)
	b.Logf("%d stories, %d articles: generated in %v, indexed in %v, merged into %s segments %v later",
		len(evs), arts, gen.Round(time.Millisecond), loaded.Round(time.Millisecond), segs,
		(time.Since(start) - loaded).Round(time.Millisecond))
	now := evs[len(evs)-1].At

	run := func(b *testing.B, queries []SearchQuery) {
		var wall, cpu []time.Duration
		for i := 0; b.Loop(); i++ {
			q := queries[i%len(queries)]
			q.Now = now
			t, c := time.Now(), cputime.Process()
			r, err := ix.Search(q)
			wall, cpu = append(wall, time.Since(t)), append(cpu, cputime.Process()-c)
			if err != nil {
				b.Fatal(err)
			}
			if r.Total == 0 || len(r.Facets[FacetLang]) == 0 {
				b.Fatalf("%+v: no hits or facets", q)
			}
		}
		ms := func(ds []time.Duration, p float64) float64 {
			slices.Sort(ds)
			return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Microseconds()) / 1000
		}
		b.ReportMetric(ms(wall, 0.50), "p50-ms")
		b.ReportMetric(ms(wall, 0.99), "p99-ms")
		// The process's CPU time during a search, all threads: the work a
		// search puts on the machine. It is not a latency: bleve reads the
		// segments' dictionaries in goroutines of their own, and the
		// index's merger and the collector run meanwhile (a search over
		// articles and stories used 69-79 ms of it at a p99 of 37-42 ms).
		b.ReportMetric(ms(cpu, 0.99), "p99-cpu-ms")
	}
	b.Run("query", func(b *testing.B) { run(b, benchQueries) })
	// Browsing, the page's first view: no words, every story counted.
	b.Run("browse", func(b *testing.B) { run(b, []SearchQuery{{Sort: SortUpdated}, {Sort: SortUpdated, Offset: 40}}) })
	// Browsing one language: the facets count over half the stories.
	b.Run("browse-lang", func(b *testing.B) {
		run(b, []SearchQuery{{Sort: SortUpdated, Langs: []string{"it"}}, {Sources: []string{"source03.example"}}})
	})
	// Related stories of a story page: the generated stories list no
	// names, so each asked for gets three from its first article's text,
	// the rarest across the corpus as a clusterer's names are: the pair of
	// neighbouring words whose commoner word is rarest, and the two rarest
	// other words.
	b.Run("related", func(b *testing.B) {
		df := map[string]int{}
		for _, ev := range evs {
			for _, a := range ev.Articles {
				seen := map[string]bool{}
				for _, w := range strings.Fields(a.Text) {
					if !seen[w] {
						seen[w] = true
						df[w]++
					}
				}
			}
		}
		var stories []story.Story
		for _, ev := range evs[:2000] {
			w := strings.Fields(ev.Articles[0].Text)
			if len(w) < 12 {
				continue
			}
			best := 1
			for i := 1; i < len(w); i++ {
				if max(df[w[i-1]], df[w[i]]) < max(df[w[best-1]], df[w[best]]) && w[i-1] != w[i] {
					best = i
				}
			}
			singles := slices.DeleteFunc(slices.Clone(w), func(x string) bool { return x == w[best-1] || x == w[best] })
			slices.SortFunc(singles, func(a, b string) int { return cmp.Compare(df[a], df[b]) })
			singles = slices.Compact(singles)
			if len(singles) < 2 {
				continue
			}
			s := ev.Story
			s.Entities = []story.Entity{{Name: w[best-1] + " " + w[best], Weight: 0.3}, {Name: singles[0], Weight: 0.2}, {Name: singles[1], Weight: 0.1}}
			stories = append(stories, s)
		}
		var wall []time.Duration
		found := 0
		for i := 0; b.Loop(); i++ {
			t := time.Now()
			hits, err := ix.relatedTo(context.Background(), stories[i%len(stories)], DefaultRelated)
			wall = append(wall, time.Since(t))
			if err != nil {
				b.Fatal(err)
			}
			found += len(hits)
		}
		slices.Sort(wall)
		b.ReportMetric(float64(wall[len(wall)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(wall[min(len(wall)-1, len(wall)*99/100)].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(found)/float64(b.N), "related/op")
	})
}

// BenchmarkApplyBatch measures loading created events in batches into an
// on-disk index; ns/op is per event.
func BenchmarkApplyBatch(b *testing.B) {
	evs := benchEvents(25_000)
	ix := mustOpen(b, b.TempDir())
	defer func() { _ = ix.Close() }()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		if n >= len(evs) {
			b.StopTimer()
			_ = ix.Close()
			ix = mustOpen(b, b.TempDir())
			n = 0
			b.StartTimer()
		}
		end := min(n+benchBatch, len(evs))
		if err := ix.ApplyBatch(evs[n:end], 0); err != nil {
			b.Fatal(err)
		}
		n = end
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchBatch), "ns/event")
}

// BenchmarkApply measures folding one created event into a 1,000-story
// on-disk index, each event persisted before Apply returns.
func BenchmarkApply(b *testing.B) {
	ix := mustOpen(b, b.TempDir())
	defer ix.Close()
	evs := benchEvents(60_000)
	loadBench(b, ix, evs[:1000])
	rest := evs[1000:]
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := ix.Apply(rest[i%len(rest)]); err != nil {
			b.Fatal(err)
		}
	}
}

// streamLangs are the languages of the replayed stream with their shares:
// the search corpus's three, four more with their own analyzers, and one
// without (indexed in text_other).
var streamLangs = []struct {
	lang  string
	share float64
}{{"en", .28}, {"fr", .14}, {"it", .14}, {"de", .14}, {"es", .12}, {"pt", .06}, {"nl", .06}, {"pl", .06}}

// Shape of the replayed stream.
const (
	streamNewStory  = 0.4   // share of articles that start a story
	streamDuplicate = 0.15  // share of joining articles that are near-copies of a member (wire copies)
	streamMerge     = 0.004 // share of articles followed by a merge of two stories
	streamWindow    = 3000  // a joining article picks among the stories of the latest articles
	streamOwnLang   = 0.7   // share of joining articles in their story's first language
	streamMinWords  = 300   // article bodies have 300–700 words (2–6 KB)
	streamMaxWords  = 700
	streamEvidences = 8 // evidence entries per member, as the clusterer gives
	streamEntities  = 10
)

// streamEvents replays what the clusterer emits for articles articles
// arriving one after the other: each one starts a story or joins a recent
// one, chosen in proportion to its size among the latest articles, so story
// sizes follow a power law (most stories stay small, a few grow to hundreds
// of members and keep being updated). Some joining articles are near-copies
// of a member, marked as its duplicates; now and then two stories merge.
// Every event carries the whole story and only the joining article, as the
// clusterer's do.
func streamEvents(articles int) []story.Event {
	langs := make([]string, len(streamLangs))
	for i, l := range streamLangs {
		langs[i] = l.lang
	}
	g := newBenchGen(langs)
	r := rand.New(rand.NewPCG(3, 4))
	pickLang := func() string {
		x := r.Float64()
		for _, l := range streamLangs {
			if x -= l.share; x < 0 {
				return l.lang
			}
		}
		return streamLangs[0].lang
	}
	s := newSim()
	topic := map[string]int{}
	home := map[string]string{} // a story's first language
	into := map[string]string{} // merged story → the one that absorbed it
	texts := map[string]article.Article{}
	live := func(id string) string {
		for into[id] != "" {
			id = into[id]
		}
		return id
	}
	recent := make([]string, 0, articles) // story of each article, in order
	pick := func() string { return live(recent[len(recent)-1-r.IntN(min(len(recent), streamWindow))]) }
	var evs []story.Event
	for i := range articles {
		at := t0.Add(time.Duration(i) * 2 * time.Second)
		var id, lang, dupOf string
		src := fmt.Sprintf("source%02d.example", r.IntN(40))
		var a article.Article
		switch {
		case len(recent) == 0 || r.Float64() < streamNewStory:
			id = fmt.Sprintf("st-%06d", i)
			lang = pickLang()
			topic[id], home[id] = int(g.topZipf.Uint64()), lang
		case r.Float64() < streamDuplicate:
			id = pick()
			ms := s.stories[id].Members
			orig := texts[ms[r.IntN(len(ms))].ArticleID]
			lang, dupOf = orig.Lang, orig.ID
			a = art(fmt.Sprintf("a-%06d", i), lang, src, orig.Title, orig.Text+" "+g.text(lang, topic[id], 20))
		default:
			id = pick()
			if lang = home[id]; r.Float64() >= streamOwnLang {
				lang = pickLang()
			}
		}
		if a.ID == "" {
			a = art(fmt.Sprintf("a-%06d", i), lang, src, g.text(lang, topic[id], benchTitleWords),
				g.text(lang, topic[id], streamMinWords+r.IntN(streamMaxWords-streamMinWords)))
		}
		texts[a.ID] = a
		ev := s.add(id, at, a)
		st := s.stories[id]
		st.Members[len(st.Members)-1].DuplicateOf = dupOf
		decorate(st, r)
		ev.Story = clone(st)
		evs = append(evs, ev)
		recent = append(recent, id)
		if r.Float64() < streamMerge {
			if x := pick(); x != id {
				ev := s.merge(id, at.Add(time.Second), x)
				evs = append(evs, ev)
				into[x] = id
			}
		}
	}
	return evs
}

// decorate gives st the entities and member evidence the clusterer fills
// in, which make up much of a real story's JSON.
func decorate(st *story.Story, r *rand.Rand) {
	st.Entities = make([]story.Entity, streamEntities)
	for i := range st.Entities {
		st.Entities[i] = story.Entity{Name: fmt.Sprintf("Entity %d", r.IntN(5000)), Weight: float64(r.IntN(1000)) / 1000}
	}
	for i := range st.Members {
		m := &st.Members[i]
		if m.Evidence != nil {
			continue
		}
		m.Score = float64(r.IntN(1000)) / 1000
		m.Evidence = make([]story.Evidence, streamEvidences)
		for j := range m.Evidence {
			m.Evidence[j] = story.Evidence{Feature: fmt.Sprintf("term:%s:w%d", m.Lang, r.IntN(20000)), Weight: float64(r.IntN(1000)) / 1000}
		}
	}
}

// settled waits until scorch has merged and persisted everything it plans
// to (the root epoch is both merged and persisted, and no file merge is
// running) and stays so for a while, at most limit.
func settled(ix *Index, limit time.Duration) bool {
	done := func() bool {
		m, _ := ix.idx.StatsMap()["index"].(map[string]any)
		n := func(k string) uint64 { v, _ := m[k].(uint64); return v }
		root := n("CurRootEpoch")
		return root == n("LastPersistedEpoch") && root == n("LastMergedEpoch") && n("TotFileMergeZapBeg") == n("TotFileMergeZapEnd")
	}
	for deadline, still := time.Now().Add(limit), 0; time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		if !done() {
			still = 0
		} else if still++; still == 5 {
			return true
		}
	}
	return false
}

// streamArticles is the length of the replayed stream.
const streamArticles = 10_000

// BenchmarkStream replays a realistic story stream (see streamEvents) into an
// on-disk index the way the API's indexer does, in batches of a given size
// (about what 100 ms of events hold at 100 and at 1,500 articles/s), and
// reports the process CPU time per event from the first batch until
// scorch's merges and persistence have settled: the cost of indexing
// including the background merging it causes. The machine being shared,
// CPU time is the figure to compare, not wall time.
func BenchmarkStream(b *testing.B) {
	v1 := streamEvents(streamArticles)
	// The clusterer writes version 2 events (header and joining member);
	// NEWSDEDUP_BENCH_SCHEMA=1 replays the whole-story events of version 1.
	evs := toV2(v1)
	if os.Getenv("NEWSDEDUP_BENCH_SCHEMA") == "1" {
		evs = v1
	}
	var bytes int
	for _, ev := range evs {
		js, err := story.Encode(ev)
		if err != nil {
			b.Fatal(err)
		}
		bytes += len(js)
	}
	b.Logf("%d events of schema %d, %.1f MB encoded", len(evs), max(1, evs[0].V), float64(bytes)/1e6)
	// NEWSDEDUP_BENCH_SCORCH replaces the scorch configuration with a JSON
	// object, for comparing others ("{}" is bleve's defaults).
	config := scorchConfig
	if js := os.Getenv("NEWSDEDUP_BENCH_SCORCH"); js != "" {
		config = func() map[string]any {
			var m map[string]any
			if err := json.Unmarshal([]byte(js), &m); err != nil {
				b.Fatalf("NEWSDEDUP_BENCH_SCORCH: %v", err)
			}
			return m
		}
		b.Logf("scorch configuration %s", js)
	}
	for _, size := range []int{10, 150} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			var cpu, wall time.Duration
			var segs string
			for b.Loop() {
				b.StopTimer()
				ix, err := open(b.TempDir(), config)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				t, c := time.Now(), cputime.Process()
				for i := 0; i < len(evs); i += size {
					end := min(i+size, len(evs))
					if err := ix.ApplyBatch(evs[i:end], uint64(end)); err != nil {
						b.Fatal(err)
					}
				}
				if !settled(ix, 5*time.Minute) {
					b.Fatal("merges did not settle within 5 minutes")
				}
				cpu, wall = cpu+cputime.Process()-c, wall+time.Since(t)
				m, _ := ix.idx.StatsMap()["index"].(map[string]any)
				segs = fmt.Sprintf("%v segments at the end; %v segments persisted, %v in-memory merges, %v file merges of %v segments",
					m["TotFileSegmentsAtRoot"], m["TotPersistedSegments"], m["TotMemMergeDone"], m["TotFileMergeZapEnd"], m["TotFileMergeSegments"])
				b.StopTimer()
				if err := ix.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			n := float64(b.N * len(evs))
			b.ReportMetric(float64(cpu.Microseconds())/n, "cpu-us/event")
			b.ReportMetric(float64(wall.Microseconds())/n, "wall-us/event")
			b.Logf("%d events: %s", len(evs), segs)
		})
	}
}

// BenchmarkStreamRefresh replays the stream of BenchmarkStream as if its
// events arrived at 1,000 a second, applied in batches of 250 (a 250 ms
// flush gap), on a clock that moves 250 ms a batch, with and without a
// refresh interval: what the interval saves the indexer when the hot
// stories are updated several times a second. The last case is the
// indexer's busy gap: batches of a second's events (1,000).
func BenchmarkStreamRefresh(b *testing.B) {
	evs := toV2(streamEvents(streamArticles))
	for _, c := range []struct {
		size    int
		step    time.Duration
		refresh time.Duration
	}{
		{250, 250 * time.Millisecond, 0},
		{250, 250 * time.Millisecond, time.Second},
		{250, 250 * time.Millisecond, 2 * time.Second},
		{1000, time.Second, time.Second},
	} {
		size, step, refresh := c.size, c.step, c.refresh
		b.Run(fmt.Sprintf("batch=%d/refresh=%v", size, refresh), func(b *testing.B) {
			var cpu time.Duration
			var writes, textBytes, deferred int
			for b.Loop() {
				b.StopTimer()
				ix, err := Open(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				clock := t0
				ix.now = func() time.Time { return clock }
				ix.SetRefresh(refresh)
				b.StartTimer()
				c := cputime.Process()
				for i := 0; i < len(evs); i += size {
					end := min(i+size, len(evs))
					seqs := make([]uint64, 0, end-i)
					for j := i; j < end; j++ {
						seqs = append(seqs, uint64(j+1))
					}
					if _, err := ix.ApplyStream(evs[i:end], seqs, uint64(end)); err != nil {
						b.Fatal(err)
					}
					deferred += len(ix.deferred)
					clock = clock.Add(step)
				}
				if _, err := ix.Refresh(time.Time{}); err != nil {
					b.Fatal(err)
				}
				if !settled(ix, 5*time.Minute) {
					b.Fatal("merges did not settle within 5 minutes")
				}
				cpu += cputime.Process() - c
				writes, textBytes = writes+ix.written.docs, textBytes+ix.written.textBytes
				b.StopTimer()
				if err := ix.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			n := float64(b.N * len(evs))
			b.ReportMetric(float64(cpu.Microseconds())/1000/n, "cpu-ms/event")
			b.ReportMetric(float64(writes)/n, "story-writes/event")
			b.ReportMetric(float64(textBytes)/n, "text-B/event")
			b.ReportMetric(float64(deferred)/float64(b.N*((len(evs)+size-1)/size)), "deferred/batch")
		})
	}
}

// BenchmarkPrune builds an index from the realistic story stream of
// BenchmarkStream (10,000 articles) and prunes every story of it, as a
// retention policy's first prune of an index kept too long would: the
// cost per story removed, with its articles and aliases.
func BenchmarkPrune(b *testing.B) {
	evs := toV2(streamEvents(streamArticles))
	var stories int
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		ix, err := Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(evs); i += 1000 {
			if err := ix.ApplyBatch(evs[i:min(i+1000, len(evs))], uint64(min(i+1000, len(evs)))); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		c := cputime.Process()
		n, err := ix.Prune(time.Now().Add(100 * 365 * 24 * time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		cpu += cputime.Process() - c
		stories += n
		b.StopTimer()
		if left, _ := ix.idx.DocCount(); left != 0 {
			b.Fatalf("%d documents left after pruning everything", left)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(stories)/float64(b.N), "stories/op")
	b.ReportMetric(float64(cpu.Microseconds())/float64(stories), "cpu-us/story")
}
