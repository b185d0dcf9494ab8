package evalmetrics

import (
	"fmt"
	"io"
	"math"
	"sort"
	"text/tabwriter"
)

// PairStats are the figures of a group of pairs.
type PairStats struct {
	Pairs int `json:"pairs"`
	// Labelled pairs have a same_story value; SameStory scores the
	// decisions on them.
	Labelled  int       `json:"labelled"`
	Positives int       `json:"positives"`
	SameStory PRF       `json:"same_story"`
	Confusion Confusion `json:"confusion"`
	// Pearson and Spearman correlate the score with the native label
	// oriented so that higher means closer (SemEval's overall negated).
	Pearson  float64 `json:"pearson"`
	Spearman float64 `json:"spearman"`
	// BestF1 is the F1 the best single threshold would reach on these
	// pairs (at BestThreshold): a diagnosis, not a result.
	BestF1        float64 `json:"best_f1"`
	BestThreshold float64 `json:"best_threshold"`
}

// PairReport is the evaluation of a pair set.
type PairReport struct {
	Set    string `json:"set,omitempty"`
	Native string `json:"native_label,omitempty"` // "overall" or "label"
	// Threshold is the score above which the system says "same story".
	Threshold float64              `json:"threshold"`
	All       PairStats            `json:"all"`
	Mono      PairStats            `json:"monolingual"`
	Cross     PairStats            `json:"cross_lingual"`
	ByLang    map[string]PairStats `json:"by_lang"`
}

// Scored is a pair with the system's score and decision.
type Scored struct {
	Pair  Pair
	Score float64
	Same  bool
}

// ScorePairs computes the figures of scored pairs: overall, monolingual,
// cross-lingual and per language pair.
func ScorePairs(scored []Scored, threshold float64) PairReport {
	rep := PairReport{Threshold: threshold, ByLang: map[string]PairStats{}}
	groups := map[string][]Scored{}
	var mono, cross []Scored
	for _, s := range scored {
		if _, name, ok := s.Pair.Native(); ok && rep.Native == "" {
			rep.Native = name
		}
		groups[s.Pair.LangPair()] = append(groups[s.Pair.LangPair()], s)
		if s.Pair.A.Lang == s.Pair.B.Lang {
			mono = append(mono, s)
		} else {
			cross = append(cross, s)
		}
	}
	rep.All = pairStats(scored)
	rep.Mono = pairStats(mono)
	rep.Cross = pairStats(cross)
	for k, g := range groups {
		rep.ByLang[k] = pairStats(g)
	}
	return rep
}

func pairStats(ss []Scored) PairStats {
	st := PairStats{Pairs: len(ss)}
	var xs, ys, scores []float64
	var gold []bool
	for _, s := range ss {
		if v, _, ok := s.Pair.Native(); ok {
			xs = append(xs, s.Score)
			ys = append(ys, v)
		}
		if s.Pair.SameStory == nil {
			continue
		}
		st.Labelled++
		if *s.Pair.SameStory {
			st.Positives++
		}
		st.Confusion.Add(s.Same, *s.Pair.SameStory)
		scores = append(scores, s.Score)
		gold = append(gold, *s.Pair.SameStory)
	}
	st.SameStory = st.Confusion.PRF()
	st.Pearson = nanToZero(Pearson(xs, ys))
	st.Spearman = nanToZero(Spearman(xs, ys))
	if st.Positives > 0 {
		th, best := BestF1(scores, gold)
		st.BestF1, st.BestThreshold = best.F1, th
	}
	return st
}

// nanToZero keeps NaN out of JSON, which cannot carry it.
func nanToZero(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

// WriteText prints the report as a table.
func (r PairReport) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "pairs: %s; same-story threshold %.3f; correlations against %s%s\n", r.Set, r.Threshold, r.Native, nativeNote(r.Native))
	fmt.Fprintln(tw, "group\tpairs\tlabelled\tpos\tP\tR\tF1\tpearson\tspearman\tbestF1@th\t")
	row := func(name string, s PairStats) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f@%.2f\t\n", name, s.Pairs, s.Labelled, s.Positives,
			s.SameStory.P, s.SameStory.R, s.SameStory.F1, s.Pearson, s.Spearman, s.BestF1, s.BestThreshold)
	}
	row("all", r.All)
	if r.Cross.Pairs > 0 && r.Mono.Pairs > 0 {
		row("monolingual", r.Mono)
		row("cross-lingual", r.Cross)
	}
	keys := make([]string, 0, len(r.ByLang))
	for k := range r.ByLang {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 1 {
		for _, k := range keys {
			row(k, r.ByLang[k])
		}
	}
	return tw.Flush()
}

func nativeNote(name string) string {
	switch name {
	case "overall":
		return " (negated: 1 = very similar becomes the highest, so a positive correlation is good)"
	case "label":
		return " (3 = same story)"
	}
	return ""
}

// ClusterReport is the evaluation of a clustering set.
type ClusterReport struct {
	Set      string      `json:"set,omitempty"`
	Articles int         `json:"articles"`
	Story    Clustering  `json:"story"`
	Topic    *Clustering `json:"topic,omitempty"`
}

// ScoreItems scores the stories found (article id → story id) against the
// set's story labels and, where the set has them, its topics.
func ScoreItems(items []Item, found map[string]string) ClusterReport {
	story := map[string]string{}
	topic := map[string]string{}
	for _, it := range items {
		story[it.Article.ID] = it.Story
		if it.Topic != "" {
			topic[it.Article.ID] = it.Topic
		}
	}
	rep := ClusterReport{Articles: len(items), Story: ScoreClustering(found, story)}
	if len(topic) > 0 {
		t := ScoreClustering(found, topic)
		rep.Topic = &t
	}
	return rep
}

// WriteText prints the report as a table.
func (r ClusterReport) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "clusters: %s; %d articles\n", r.Set, r.Articles)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "against\tgold\tfound\tsingletons\tmixed\tB3 P\tB3 R\tB3 F1\tpair P\tpair R\tpair F1\t")
	row := func(name string, c Clustering) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", name, c.GoldClusters, c.PredClusters, c.Singletons,
			c.MixedClusters, c.BCubed.P, c.BCubed.R, c.BCubed.F1, c.Pairwise.P, c.Pairwise.R, c.Pairwise.F1)
	}
	row("story", r.Story)
	if r.Topic != nil {
		row("topic", *r.Topic)
	}
	return tw.Flush()
}

// Misjudged returns the pairs the system got wrong against same_story: up
// to n false positives, highest scores first, and up to n false negatives,
// lowest scores first (the most confident mistakes lead), with how many
// there are of each. Ties keep file order.
func Misjudged(scored []Scored, n int) (fp, fn []Scored, nFP, nFN int) {
	for _, s := range scored {
		if s.Pair.SameStory == nil || s.Same == *s.Pair.SameStory {
			continue
		}
		if s.Same {
			fp = append(fp, s)
		} else {
			fn = append(fn, s)
		}
	}
	sort.SliceStable(fp, func(i, j int) bool { return fp[i].Score > fp[j].Score })
	sort.SliceStable(fn, func(i, j int) bool { return fn[i].Score < fn[j].Score })
	return fp[:min(n, len(fp))], fn[:min(n, len(fn))], len(fp), len(fn)
}
