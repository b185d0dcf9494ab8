package cluster

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/evalmetrics"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/lexicon"
)

// figures are named quality measurements, each in [0, 1] (or [-1, 1] for
// correlations).
type figures map[string]float64

// judge lets evalmetrics judge pairs with an engine.
type judge struct{ *Engine }

func (j judge) Judge(a, b article.Article) (float64, bool) {
	c := j.Compare(a, b)
	return c.Score, c.Same
}

// evalSets is the shared evaluation data, read once.
type evalSets struct {
	semeval, italian []evalmetrics.Pair
	rpm2, ecb        []evalmetrics.Item
	seeds            []article.Article
}

func loadEvalSets(t testing.TB) *evalSets {
	t.Helper()
	var s evalSets
	var err error
	read := func(name string) string {
		p := filepath.Join(evalDir, name)
		if _, err := os.Stat(p); err != nil {
			t.Skipf("evaluation set %s not found in %s (the shared folder beside the checkout): %v", name, evalDir, err)
		}
		return p
	}
	if s.semeval, err = evalmetrics.ReadPairsFile(read("semeval2022-pairs-dev.jsonl")); err != nil {
		t.Fatal(err)
	}
	if s.italian, err = evalmetrics.ReadPairsFile(read("italian-story-pairs-dev.jsonl")); err != nil {
		t.Fatal(err)
	}
	if s.rpm2, err = evalmetrics.ReadItemsFile(read("rpm2-fr-clusters-dev.jsonl")); err != nil {
		t.Fatal(err)
	}
	if s.ecb, err = evalmetrics.ReadItemsFile(read("ecbplus-en-clusters-dev.jsonl")); err != nil {
		t.Fatal(err)
	}
	s.seeds = loadSeeds(t)
	return &s
}

// measure computes every figure with one configuration, as the eval
// commands do (without the extractor's cleaning, which changes these plain
// texts by less than a point).
func measure(t testing.TB, sets *evalSets, fx *features.Extractor, cfg Config) figures {
	t.Helper()
	f := figures{}
	for _, ps := range []struct {
		name  string
		pairs []evalmetrics.Pair
	}{{"semeval", sets.semeval}, {"italian", sets.italian}} {
		e := New(cfg, fx)
		rep := evalmetrics.ScorePairs(evalmetrics.RunPairs(ps.pairs, judge{e}, nil), e.Threshold())
		f[ps.name+".pearson"] = rep.All.Pearson
		f[ps.name+".spearman"] = rep.All.Spearman
		f[ps.name+".f1"] = rep.All.SameStory.F1
		if rep.Cross.Pairs > 0 {
			f[ps.name+".cross.pearson"] = rep.Cross.Pearson
			f[ps.name+".cross.f1"] = rep.Cross.SameStory.F1
			f[ps.name+".mono.pearson"] = rep.Mono.Pearson
			f[ps.name+".mono.f1"] = rep.Mono.SameStory.F1
		}
		for lp, st := range rep.ByLang {
			f["info."+ps.name+"."+lp+".pearson"] = st.Pearson
			f["info."+ps.name+"."+lp+".f1"] = st.SameStory.F1
		}
		f["seeds.in."+ps.name] = seedsMixedIn(t, fx, cfg, evalmetrics.Articles(ps.pairs), sets.seeds)
	}
	for _, cs := range []struct {
		name  string
		items []evalmetrics.Item
	}{{"rpm2", sets.rpm2}, {"ecbplus", sets.ecb}} {
		e := New(cfg, fx)
		var arts []article.Article
		for _, it := range cs.items {
			arts = append(arts, it.Article)
		}
		found := clusterStream(t, e, arts)
		rep := evalmetrics.ScoreItems(cs.items, found)
		f[cs.name+".story.b3"] = rep.Story.BCubed.F1
		f[cs.name+".story.pairwise"] = rep.Story.Pairwise.F1
		if rep.Topic != nil {
			f[cs.name+".topic.b3"] = rep.Topic.BCubed.F1
		}
		f["seeds.in."+cs.name] = seedsMixedIn(t, fx, cfg, arts, sets.seeds)
	}
	f["seeds.alone"] = seedsMixedIn(t, fx, cfg, nil, sets.seeds)
	return f
}

// clusterStream adds the articles in order, a minute apart, and returns
// each one's story.
func clusterStream(t testing.TB, e *Engine, arts []article.Article) map[string]string {
	t.Helper()
	base := time.Date(2025, 12, 11, 8, 0, 0, 0, time.UTC)
	for i, a := range arts {
		at := base.Add(time.Duration(i) * time.Minute)
		a.Published = &at
		if _, err := e.Add(a); err != nil {
			t.Fatalf("add %s: %v", a.ID, err)
		}
	}
	found := make(map[string]string, len(arts))
	for _, a := range arts {
		found[a.ID], _ = e.StoryOf(a.ID)
	}
	return found
}

// seedsMixedIn spreads the seeds through a stream (one early, one a third
// in, two later) and returns 1 when they end in one story that no other
// article joined, 0.5 when one story holds them with others, else 0.
func seedsMixedIn(t testing.TB, fx *features.Extractor, cfg Config, stream, seeds []article.Article) float64 {
	t.Helper()
	var all []article.Article
	at := map[int]int{0: 0, len(stream) / 3: 1, len(stream) / 2: 2, 2 * len(stream) / 3: 3}
	for i := 0; i <= len(stream); i++ {
		if k, ok := at[i]; ok {
			all = append(all, seeds[k])
		}
		if i < len(stream) {
			all = append(all, stream[i])
		}
	}
	// Short streams put several seeds at one place; add the missing ones.
	have := map[string]bool{}
	for _, a := range all {
		have[a.ID] = true
	}
	for _, s := range seeds {
		if !have[s.ID] {
			all = append(all, s)
		}
	}
	found := clusterStream(t, New(cfg, fx), all)
	sid := found[seeds[0].ID]
	for _, s := range seeds[1:] {
		if found[s.ID] != sid {
			return 0
		}
	}
	isSeed := map[string]bool{}
	for _, s := range seeds {
		isSeed[s.ID] = true
	}
	for id, s := range found {
		if s == sid && !isSeed[id] {
			return 0.5
		}
	}
	return 1
}

func (f figures) String() string {
	var keys []string
	for k := range f {
		if !strings.HasPrefix(k, "info.") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%.3f ", k, f[k])
	}
	return b.String()
}

// TestSweep compares configurations; it runs only with NEWSDEDUP_SWEEP set.
func TestSweep(t *testing.T) {
	if os.Getenv("NEWSDEDUP_SWEEP") == "" {
		t.Skip("set NEWSDEDUP_SWEEP=1 to compare configurations")
	}
	sets := loadEvalSets(t)
	// One lexicon for all variants: reading German's dictionary takes a
	// second or two.
	lex, err := features.NewLexicon(lexicon.DefaultDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range sweepVariants() {
		fx, err := features.New(append([]features.Option{features.WithLexicon(lex)}, v.opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		f := measure(t, sets, fx, v.cfg)
		t.Logf("%-24s %s", v.name, f)
		var info []string
		for k, x := range f {
			if strings.HasPrefix(k, "info.semeval.") && strings.HasSuffix(k, ".pearson") {
				info = append(info, fmt.Sprintf("%s=%.3f", strings.TrimSuffix(strings.TrimPrefix(k, "info.semeval."), ".pearson"), x))
			}
		}
		sort.Strings(info)
		t.Logf("%-24s %s", "", strings.Join(info, " "))
	}
}

type variant struct {
	name string
	cfg  Config
	opts []features.Option
}

func sweepVariants() []variant {
	vs := []variant{{name: "default", cfg: DefaultConfig()}}
	vs = append(vs, variant{name: "no lexicon", cfg: DefaultConfig(), opts: []features.Option{features.WithLexicon(nil)}})
	c := DefaultConfig()
	c.MemberLinks = -1
	vs = append(vs, variant{name: "centroid only", cfg: c})
	c = DefaultConfig()
	c.MergeThreshold, c.MergeOneLang = 0.645, -1
	vs = append(vs, variant{name: "merge bar 0.645", cfg: c})
	c = DefaultConfig()
	c.CrossLingual = 1.3
	c.KindWeights = map[string]float64{}
	for k, v := range DefaultConfig().KindWeights {
		c.KindWeights[k] = v
	}
	c.KindWeights[features.KindCognate] = 0.6
	vs = append(vs, variant{name: "cognates 0.6, cross 1.3", cfg: c})
	for _, b := range []float64{-1, 0.15} {
		c = DefaultConfig()
		c.PinBonus = b
		vs = append(vs, variant{name: fmt.Sprintf("pin bonus %.2f", b), cfg: c})
	}
	for _, b := range []float64{-1, 0.1, 0.2} {
		c = DefaultConfig()
		c.WordBonus = b
		vs = append(vs, variant{name: fmt.Sprintf("word bonus %.2f", b), cfg: c})
	}
	for _, w := range []float64{-1, 0.5} {
		c = DefaultConfig()
		c.NameWeight = w
		vs = append(vs, variant{name: fmt.Sprintf("name weight %.2f", w), cfg: c})
	}
	// Without place marks no two sides name places, so none differ.
	c = DefaultConfig()
	c.KindWeights = map[string]float64{}
	for k, v := range DefaultConfig().KindWeights {
		c.KindWeights[k] = v
	}
	c.KindWeights[features.KindLoc] = 0
	vs = append(vs, variant{name: "no place marks", cfg: c})
	return vs
}

// recorded are the figures docs/quality.md reports for the default
// configuration, as this test measures them, with the FreeDict dictionaries
// the Makefile's deps target installs. TestQuality fails when one drops
// more than qualitySlack below; raise them when quality improves.
var recorded = figures{
	"semeval.pearson":        0.709,
	"semeval.spearman":       0.715,
	"semeval.f1":             0.762,
	"semeval.mono.pearson":   0.716,
	"semeval.mono.f1":        0.763,
	"semeval.cross.pearson":  0.698,
	"semeval.cross.f1":       0.759,
	"italian.pearson":        0.641,
	"italian.spearman":       0.653,
	"italian.f1":             0.629,
	"rpm2.story.b3":          0.679,
	"rpm2.story.pairwise":    0.615,
	"rpm2.topic.b3":          0.905,
	"ecbplus.story.b3":       0.858,
	"ecbplus.story.pairwise": 0.812,
	"ecbplus.topic.b3":       0.812,
	"seeds.alone":            1,
	"seeds.in.semeval":       1,
	"seeds.in.italian":       1,
	"seeds.in.rpm2":          1,
	"seeds.in.ecbplus":       1,
}

// qualitySlack is how far (in F1 or correlation points of 100) a figure may
// fall below its record before TestQuality fails.
const qualitySlack = 0.02

// TestQuality recomputes every recorded figure from ../shared/eval with the
// default configuration and fails on a regression. It skips when the
// FreeDict dictionaries are not installed: the figures count on them.
func TestQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("quality figures take several seconds; skipped under -short")
	}
	// The figures count on the glosses of the bilingual dictionaries:
	// without them SemEval's F1 is 2 points lower, cross-lingual F1 7.
	if missing := lexicon.Open(lexicon.Options{}).Missing(); len(missing) > 0 {
		t.Skipf("the recorded figures need the FreeDict dictionaries in %s and CC-CEDICT at %s; missing %s ('make deps' installs them)",
			lexicon.DefaultDir, lexicon.DefaultCEDICT, strings.Join(missing, " "))
	}
	sets := loadEvalSets(t)
	got := measure(t, sets, newExtractor(t), DefaultConfig())
	t.Logf("measured: %s", got)
	keys := make([]string, 0, len(recorded))
	for k := range recorded {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, ok := got[k]
		if !ok {
			t.Errorf("%s: not measured", k)
			continue
		}
		if v < recorded[k]-qualitySlack {
			t.Errorf("%s = %.3f, more than %.0f points below the recorded %.3f", k, v, qualitySlack*100, recorded[k])
		}
	}
}
