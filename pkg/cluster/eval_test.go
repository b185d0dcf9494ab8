package cluster

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/evalmetrics"
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

// loadEval reads a clustering set of the shared evaluation data, in file
// order (the sets carry no dates), skipping the test where it is absent.
func loadEval(t testing.TB, name string) []evalmetrics.Item {
	t.Helper()
	items, err := evalmetrics.ReadItemsFile(filepath.Join(evalDir, name))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("evaluation set %s not found in %s: %v", name, evalDir, err)
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return items
}

// evalArticle is x's article as the clustering tests add it: its text and
// language only, published at.
func evalArticle(x evalmetrics.Item, at time.Time) article.Article {
	a := x.Article
	return article.Article{ID: a.ID, Lang: a.Lang, Title: a.Title, Text: a.Text, Published: &at}
}

// runEval clusters an evaluation set in file order, with extra articles
// added first, and returns each article's story.
func runEval(t testing.TB, fx *features.Extractor, cfg Config, set []evalmetrics.Item, extra []article.Article) (*Engine, map[string]string) {
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
		if _, err := e.Add(evalArticle(x, base)); err != nil {
			t.Fatalf("add %s: %v", x.Article.ID, err)
		}
	}
	pred := make(map[string]string, len(set))
	for _, x := range set {
		sid, ok := e.StoryOf(x.Article.ID)
		if !ok {
			t.Fatalf("no story for %s", x.Article.ID)
		}
		pred[x.Article.ID] = sid
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
				gold[x.Article.ID] = x.Story
				topic[x.Article.ID] = x.Topic
			}
			s := evalmetrics.ScoreClustering(pred, gold)
			st := evalmetrics.ScoreClustering(pred, topic)
			t.Logf("%s: %d articles, %d stories found: story B3 P=%.3f R=%.3f F1=%.3f, pairwise P=%.3f R=%.3f F1=%.3f; topic B3 F1=%.3f",
				tc.file, len(set), s.PredClusters, s.BCubed.P, s.BCubed.R, s.BCubed.F1, s.Pairwise.P, s.Pairwise.R, s.Pairwise.F1, st.BCubed.F1)
			if s.BCubed.F1 < tc.floor {
				t.Errorf("B-cubed F1 %.3f below the sanity floor %.2f", s.BCubed.F1, tc.floor)
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
		if _, err := e.Add(evalArticle(x, base)); err != nil {
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
