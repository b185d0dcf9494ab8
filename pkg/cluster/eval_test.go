package cluster

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/features"
)

// Shared data lives beside the checkout and is never copied into it.
var (
	seedsDir = filepath.Join("..", "..", "..", "shared", "seeds")
	evalDir  = filepath.Join("..", "..", "..", "shared", "eval")
)

// seedLangs are the languages of the four seed articles, in file order.
var seedLangs = []string{"it", "it", "fr", "fr"}

// loadSeeds reads the seed articles, or skips the test when they are absent.
func loadSeeds(t testing.TB) []article.Article {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	if len(files) != len(seedLangs) {
		t.Skipf("seed articles not found in %s (want %d .txt files, found %d); they live in the shared folder beside the checkout", seedsDir, len(seedLangs), len(files))
	}
	sort.Strings(files)
	var out []article.Article
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read seed: %v", err)
		}
		out = append(out, article.Article{
			ID:   strings.TrimSuffix(filepath.Base(f), ".txt"),
			Lang: seedLangs[i],
			Text: string(b),
		})
	}
	return out
}

// evalArticle is one line of a clustering set.
type evalArticle struct {
	ID    string `json:"id"`
	Lang  string `json:"lang"`
	Title string `json:"title"`
	Text  string `json:"text"`
	Story string `json:"story"`
	Topic string `json:"topic"`
}

func loadEval(t testing.TB, name string) []evalArticle {
	t.Helper()
	f, err := os.Open(filepath.Join(evalDir, name))
	if err != nil {
		t.Skipf("evaluation set %s not found in %s: %v", name, evalDir, err)
	}
	defer f.Close()
	var out []evalArticle
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var a evalArticle
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

// scores are clustering quality figures against gold labels.
type scores struct {
	bP, bR, bF float64 // B-cubed
	pP, pR, pF float64 // pairwise
	clusters   int
}

// evaluate scores a predicted labelling against a gold one (same keys).
func evaluate(pred, gold map[string]string) scores {
	byPred := map[string][]string{}
	byGold := map[string][]string{}
	for id, p := range pred {
		byPred[p] = append(byPred[p], id)
		byGold[gold[id]] = append(byGold[gold[id]], id)
	}
	var s scores
	n := float64(len(pred))
	var tp, predPairs, goldPairs float64
	for id, p := range pred {
		inter := 0
		for _, o := range byPred[p] {
			if gold[o] == gold[id] {
				inter++
			}
		}
		s.bP += float64(inter) / float64(len(byPred[p])) / n
		s.bR += float64(inter) / float64(len(byGold[gold[id]])) / n
		tp += float64(inter - 1)
		predPairs += float64(len(byPred[p]) - 1)
		goldPairs += float64(len(byGold[gold[id]]) - 1)
	}
	s.bF = f1(s.bP, s.bR)
	if predPairs > 0 {
		s.pP = tp / predPairs
	}
	if goldPairs > 0 {
		s.pR = tp / goldPairs
	}
	s.pF = f1(s.pP, s.pR)
	s.clusters = len(byPred)
	return s
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// runEval clusters an evaluation set in file order, with extra articles
// added first, and returns each article's story.
func runEval(t testing.TB, fx *features.Extractor, cfg Config, set []evalArticle, extra []article.Article) (*Engine, map[string]string) {
	t.Helper()
	e := New(cfg, fx)
	base := time.Date(2025, 12, 11, 8, 0, 0, 0, time.UTC)
	for _, a := range extra {
		at := base
		a.Published = &at
		if _, err := e.Add(a); err != nil {
			t.Fatalf("add %s: %v", a.ID, err)
		}
	}
	for _, x := range set {
		at := base
		if _, err := e.Add(article.Article{ID: x.ID, Lang: x.Lang, Title: x.Title, Text: x.Text, Published: &at}); err != nil {
			t.Fatalf("add %s: %v", x.ID, err)
		}
	}
	pred := make(map[string]string, len(set))
	for _, x := range set {
		sid, ok := e.StoryOf(x.ID)
		if !ok {
			t.Fatalf("no story for %s", x.ID)
		}
		pred[x.ID] = sid
	}
	return e, pred
}

func TestEvalClusteringSets(t *testing.T) {
	fx := newExtractor(t)
	for _, tc := range []struct {
		file  string
		floor float64
	}{
		{"rpm2-fr-clusters-dev.jsonl", 0.5},
		{"ecbplus-en-clusters-dev.jsonl", 0.5},
	} {
		t.Run(tc.file, func(t *testing.T) {
			set := loadEval(t, tc.file)
			_, pred := runEval(t, fx, DefaultConfig(), set, nil)
			gold := map[string]string{}
			topic := map[string]string{}
			for _, x := range set {
				gold[x.ID] = x.Story
				topic[x.ID] = x.Topic
			}
			s := evaluate(pred, gold)
			st := evaluate(pred, topic)
			t.Logf("%s: %d articles, %d stories found: story B3 P=%.3f R=%.3f F1=%.3f, pairwise P=%.3f R=%.3f F1=%.3f; topic B3 F1=%.3f",
				tc.file, len(set), s.clusters, s.bP, s.bR, s.bF, s.pP, s.pR, s.pF, st.bF)
			if s.bF < tc.floor {
				t.Errorf("B-cubed F1 %.3f below the sanity floor %.2f", s.bF, tc.floor)
			}
		})
	}
}

// TestSeedsMixedIntoRPM2 checks that the seeds still make one story of their
// own among 200 French articles of other stories.
func TestSeedsMixedIntoRPM2(t *testing.T) {
	fx := newExtractor(t)
	seeds := loadSeeds(t)
	set := loadEval(t, "rpm2-fr-clusters-dev.jsonl")
	// Interleave: two seeds first, the others in the middle of the stream.
	e, _ := runEval(t, fx, DefaultConfig(), set[:100], seeds[:2])
	base := time.Date(2025, 12, 11, 9, 0, 0, 0, time.UTC)
	for _, a := range seeds[2:] {
		a.Published = &base
		if _, err := e.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	for _, x := range set[100:] {
		if _, err := e.Add(article.Article{ID: x.ID, Lang: x.Lang, Title: x.Title, Text: x.Text, Published: &base}); err != nil {
			t.Fatal(err)
		}
	}
	sid := assertOneStory(t, e, seeds)
	st, _ := e.Story(sid)
	if len(st.Members) != len(seeds) {
		var others []string
		for _, m := range st.Members {
			others = append(others, m.ArticleID)
		}
		t.Errorf("seed story holds %d members, want only the %d seeds: %v", len(st.Members), len(seeds), others)
	}
}
