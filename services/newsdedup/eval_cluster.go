package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cluster"
	"github.com/newsdedup/newsdedup/pkg/evalmetrics"
	"github.com/newsdedup/newsdedup/pkg/extract"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/langid"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// cmdEvalPairs scores every pair of a pair set with the engine's similarity
// and join decision, then prints the figures against the set's labels; the
// last line is the JSON summary.
func cmdEvalPairs(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("eval pairs", flag.ContinueOnError)
	in := fs.String("in", "", "pair set as JSON Lines (see shared/eval/README.md)")
	quiet := fs.Bool("quiet", false, "leave out the per-pair lines")
	raw := fs.Bool("raw", false, "score the texts as given, without the pipeline's cleaning")
	errs := fs.Int("errors", 0, "also list up to this many false positives and false negatives, the most confident first, with the features each pair shares")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if *in == "" {
		return fmt.Errorf("eval pairs: --in is required: %w", errUsage)
	}
	if *errs < 0 {
		return fmt.Errorf("eval pairs: --errors must not be negative: %w", errUsage)
	}
	pairs, err := evalmetrics.ReadPairsFile(*in)
	if err != nil {
		return fmt.Errorf("eval pairs: %w", err)
	}
	fx, err := features.New()
	if err != nil {
		return fmt.Errorf("eval pairs: %w", err)
	}
	clean, err := newCleaner(!*raw)
	if err != nil {
		return fmt.Errorf("eval pairs: %w", err)
	}
	detect, err := newDetectorFor(pairs)
	if err != nil {
		return fmt.Errorf("eval pairs: %w", err)
	}
	eng := cluster.New(cluster.DefaultConfig(), fx)
	if err := ctx.Err(); err != nil {
		return err
	}
	// The engine learns document frequencies from what it sees: here every
	// article of the set once, in file order, before the pairs are judged.
	// Only --errors reads the prepared articles again.
	var prepared map[string]article.Article
	if *errs > 0 {
		prepared = make(map[string]article.Article)
	}
	scored := evalmetrics.RunPairs(pairs, pairJudge{eng}, func(a article.Article) article.Article {
		a = detect(clean(a, log))
		if prepared != nil {
			prepared[a.ID] = a
		}
		return a
	})
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if !*quiet {
		fmt.Fprintln(w, "pair_id\tlangs\tscore\tsame\tgold_same\tnative")
		for _, s := range scored {
			p := s.Pair
			gold := "null"
			if p.SameStory != nil {
				gold = fmt.Sprint(*p.SameStory)
			}
			fmt.Fprintf(w, "%s\t%s\t%.4f\t%v\t%s\t%s\n", p.ID, p.LangPair(), s.Score, s.Same, gold, nativeOf(p))
		}
	}
	rep := evalmetrics.ScorePairs(scored, eng.Threshold())
	rep.Set = filepath.Base(*in)
	if err := rep.WriteText(w); err != nil {
		return err
	}
	if *errs > 0 {
		fp, fn, nFP, nFN := evalmetrics.Misjudged(scored, *errs)
		fmt.Fprintf(w, "false positives, highest scores first (%d of %d):\n", len(fp), nFP)
		writeMisjudged(w, eng, prepared, fp)
		fmt.Fprintf(w, "false negatives, lowest scores first (%d of %d):\n", len(fn), nFN)
		writeMisjudged(w, eng, prepared, fn)
	}
	return writeJSONLine(w, rep)
}

// nativeOf is a pair's native label as eval pairs prints it, oriented so
// that higher means closer.
func nativeOf(p evalmetrics.Pair) string {
	v, name, ok := p.Native()
	if !ok {
		return ""
	}
	if name == "overall" {
		v = -v
	}
	return fmt.Sprintf("%s=%g", name, v)
}

// writeMisjudged prints each pair with the features it shares, as the
// engine weighs them, and the start of both texts as they were scored.
func writeMisjudged(w io.Writer, eng *cluster.Engine, prepared map[string]article.Article, ss []evalmetrics.Scored) {
	for _, s := range ss {
		p := s.Pair
		a, b := prepared[p.A.ID], prepared[p.B.ID]
		fmt.Fprintf(w, "  %s\t%s\t%.4f\t%s\n", p.ID, p.LangPair(), s.Score, nativeOf(p))
		var shared []string
		for _, ev := range eng.Compare(a, b).Evidence {
			shared = append(shared, fmt.Sprintf("%s %.3f", ev.Feature, ev.Weight))
		}
		fmt.Fprintf(w, "    shared: %s\n", strings.Join(shared, ", "))
		fmt.Fprintf(w, "    a: %s\n    b: %s\n", preview(a.Text), preview(b.Text))
	}
}

// preview is the start of a text on one line.
func preview(text string) string {
	const n = 100
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); len(r) > n {
		return string(r[:n]) + "…"
	}
	return text
}

// cmdEvalClusters runs a clustering set through the pipeline (extract,
// language id where the set gives none, cluster) in file order, or by
// publication time where every article has one, and prints pairwise and
// B-cubed figures against the set's stories and topics; the last line is
// the JSON summary.
func cmdEvalClusters(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("eval clusters", flag.ContinueOnError)
	in := fs.String("in", "", "clustering set as JSON Lines (see shared/eval/README.md)")
	orders := fs.Int("orders", 0, "also run the set in this many shuffled orders and report the spread of B-cubed F1 (online clustering depends on arrival order)")
	seed := fs.Uint64("seed", 1, "seed of the shuffled orders")
	siblings := fs.Bool("siblings", false, "also score every pair of articles within a topic and report how far any one threshold on the engine's similarity tells a topic's stories apart")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if *in == "" {
		return fmt.Errorf("eval clusters: --in is required: %w", errUsage)
	}
	if *orders < 0 {
		return fmt.Errorf("eval clusters: --orders must not be negative: %w", errUsage)
	}
	items, err := evalmetrics.ReadItemsFile(*in)
	if err != nil {
		return fmt.Errorf("eval clusters: %w", err)
	}
	p, err := newPipeline(nil)
	if err != nil {
		return fmt.Errorf("eval clusters: %w", err)
	}
	// Extraction and language detection do not depend on the order: done
	// once, then each order is clustered by an engine of its own.
	prepared := make([]*article.Article, len(items))
	for i, it := range items {
		if err := ctx.Err(); err != nil {
			return err
		}
		a, ok, err := p.prepare(it.Article)
		if err != nil {
			log.Warn("article not clustered", "id", it.Article.ID, "err", err)
		}
		if ok {
			prepared[i] = &a
		}
	}
	// The first article's fetch time: fixed, so that runs repeat exactly.
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	runOrder := func(order []int) (evalmetrics.ClusterReport, error) {
		eng := cluster.New(cluster.DefaultConfig(), p.fx)
		// Assignments come from the events, as a consumer sees them: the
		// engine forgets stories past its retention, which a dated set
		// spanning weeks outlives.
		assigned := story.NewAssignments()
		for k, i := range order {
			if err := ctx.Err(); err != nil {
				return evalmetrics.ClusterReport{}, err
			}
			if prepared[i] == nil {
				continue
			}
			// Each article is fetched a second after the one before, as the
			// pipeline stamps them: a dated set in any order then behaves as
			// a backfill does (docs/architecture.md, "The window"), and an
			// undated one as it did on the wall clock.
			a := *prepared[i]
			fetched := epoch.Add(time.Duration(k) * time.Second)
			a.Fetched = &fetched
			evs, err := eng.Add(a)
			if err != nil {
				log.Warn("article not clustered", "id", items[i].Article.ID, "err", err)
			}
			assigned.Add(evs...)
		}
		found := make(map[string]string, len(items))
		for _, it := range items {
			// An article the pipeline dropped (empty after extraction) is a
			// story of its own.
			sid, ok := assigned.StoryOf(it.Article.ID)
			if !ok {
				sid = "unassigned:" + it.Article.ID
			}
			found[it.Article.ID] = sid
		}
		return evalmetrics.ScoreItems(items, found), nil
	}
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	rep, err := runOrder(order)
	if err != nil {
		return err
	}
	rep.Set = filepath.Base(*in)
	var spread *orderSpread
	if *orders > 0 {
		spread = &orderSpread{Orders: *orders, Seed: *seed}
		rng := rand.New(rand.NewPCG(*seed, 0))
		for range *orders {
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			r, err := runOrder(order)
			if err != nil {
				return err
			}
			spread.Story.add(r.Story.BCubed.F1)
			spread.StoryP.add(r.Story.BCubed.P)
			spread.StoryR.add(r.Story.BCubed.R)
			if r.Topic != nil {
				spread.Topic.add(r.Topic.BCubed.F1)
			}
		}
	}
	var sib *evalmetrics.Siblings
	if *siblings {
		if s, ok := siblingsOf(items, prepared, p.fx); ok {
			sib = &s
		}
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if err := rep.WriteText(w); err != nil {
		return err
	}
	if spread != nil {
		fmt.Fprintf(w, "%d shuffled orders (seed %d), B3 F1 on story: %s (P mean %.3f, R mean %.3f)", spread.Orders, spread.Seed,
			spread.Story, spread.StoryP.Mean, spread.StoryR.Mean)
		if spread.Topic.N > 0 {
			fmt.Fprintf(w, "; on topic: %s", spread.Topic)
		}
		fmt.Fprintln(w)
	}
	if sib != nil {
		if err := sib.WriteText(w); err != nil {
			return err
		}
	}
	return writeJSONLine(w, struct {
		evalmetrics.ClusterReport
		Shuffled *orderSpread          `json:"shuffled,omitempty"`
		Siblings *evalmetrics.Siblings `json:"siblings,omitempty"`
	}{rep, spread, sib})
}

// siblingsOf scores the pairs within each topic as eval pairs scores a
// pair: an engine that has observed every article judges each pair.
// Articles the pipeline dropped are left out.
func siblingsOf(items []evalmetrics.Item, prepared []*article.Article, fx *features.Extractor) (evalmetrics.Siblings, bool) {
	eng := cluster.New(cluster.DefaultConfig(), fx)
	kept := make([]evalmetrics.Item, 0, len(items))
	for i, it := range items {
		if prepared[i] == nil {
			continue
		}
		eng.Observe(*prepared[i])
		it.Article = *prepared[i]
		kept = append(kept, it)
	}
	return evalmetrics.ScoreSiblings(kept, eng.Similarity)
}

// orderSpread is how B-cubed F1 varies over shuffled arrival orders.
type orderSpread struct {
	Orders int        `json:"orders"`
	Seed   uint64     `json:"seed"`
	Story  scoreRange `json:"story_bcubed_f1"`
	StoryP scoreRange `json:"story_bcubed_p"`
	StoryR scoreRange `json:"story_bcubed_r"`
	Topic  scoreRange `json:"topic_bcubed_f1,omitzero"`
}

type scoreRange struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	sum  float64
}

func (r *scoreRange) add(v float64) {
	if r.N == 0 || v < r.Min {
		r.Min = v
	}
	if r.N == 0 || v > r.Max {
		r.Max = v
	}
	r.N++
	r.sum += v
	r.Mean = r.sum / float64(r.N)
}

func (r scoreRange) String() string {
	return fmt.Sprintf("mean %.3f, min %.3f, max %.3f", r.Mean, r.Min, r.Max)
}

// newCleaner returns the pipeline's text cleaning (extraction of a plain
// text), or the identity.
func newCleaner(on bool) (func(article.Article, *slog.Logger) article.Article, error) {
	if !on {
		return func(a article.Article, _ *slog.Logger) article.Article { return a }, nil
	}
	x, err := extract.New(extract.Config{})
	if err != nil {
		return nil, err
	}
	return func(a article.Article, log *slog.Logger) article.Article {
		c, err := x.Apply(a)
		if err == nil && c.Empty {
			// Nothing but boilerplate (a bot check, a consent page): the
			// pipeline drops such an article, so it shares no story here.
			return c
		}
		if err != nil || c.Text == "" {
			// Keep what there is: a pair must be scored either way.
			if err != nil {
				log.Debug("cleaning failed, scoring the raw text", "id", a.ID, "err", err)
			}
			return a
		}
		return c
	}, nil
}

// newDetectorFor returns what gives an article without a language one, as
// the pipeline's detector would; the detector is loaded only when a pair
// of the set lacks a language (the published sets give them all).
func newDetectorFor(pairs []evalmetrics.Pair) (func(article.Article) article.Article, error) {
	keep := func(a article.Article) article.Article { return a }
	if !slices.ContainsFunc(pairs, func(p evalmetrics.Pair) bool { return p.A.Lang == "" || p.B.Lang == "" }) {
		return keep, nil
	}
	d, err := langid.New(langid.Config{})
	if err != nil {
		return nil, err
	}
	return func(a article.Article) article.Article { return detectMissing(d, a) }, nil
}

// pairJudge lets the evaluation judge pairs with an engine.
type pairJudge struct{ *cluster.Engine }

func (j pairJudge) Judge(a, b article.Article) (float64, bool) {
	c := j.Compare(a, b)
	return c.Score, c.Same
}

func writeJSONLine(w *bufio.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode summary: %w", err)
	}
	w.Write(b)
	w.WriteByte('\n')
	return w.Flush()
}
