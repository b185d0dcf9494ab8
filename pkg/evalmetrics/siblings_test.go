package evalmetrics

import (
	"strconv"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

func TestScoreSiblings(t *testing.T) {
	// Articles are named topic/story/n; sim reads the pair's score from the
	// table by the two stories, so each case says how far they are apart.
	item := func(id string) Item {
		p := strings.Split(id, "/")
		return Item{Article: article.Article{ID: id}, Topic: p[0], Story: p[0] + "/" + p[1]}
	}
	items := []Item{item("t1/a/1"), item("t1/a/2"), item("t1/b/1"), item("t1/b/2"), item("t2/c/1"), item("t2/c/2"), item("t2/d/1")}
	for _, tc := range []struct {
		name             string
		same, sibling    float64
		bestF1, linkedF1 float64
	}{
		// 3 pairs of one story, 6 of two: linking all is P 1/3, R 1, F1 1/2.
		{"apart", 0.8, 0.3, 1, 0.5},
		{"alike", 0.5, 0.5, 0.5, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sim := func(a, b article.Article) float64 {
				if item(a.ID).Story == item(b.ID).Story {
					return tc.same
				}
				return tc.sibling
			}
			got, ok := ScoreSiblings(items, sim)
			if !ok {
				t.Fatal("no sibling pairs found")
			}
			if got.SamePairs != 3 || got.SiblingPairs != 6 {
				t.Errorf("pairs %d of one story, %d of two; want 3 and 6", got.SamePairs, got.SiblingPairs)
			}
			if got.Same != (Quartiles{tc.same, tc.same, tc.same}) || got.Sibling[1] != tc.sibling {
				t.Errorf("quartiles %v and %v", got.Same, got.Sibling)
			}
			if !near(got.Best.F1, tc.bestF1) || !near(got.AllLinked.F1, tc.linkedF1) {
				t.Errorf("best F1 %v (want %v), all linked %v (want %v)", got.Best.F1, tc.bestF1, got.AllLinked.F1, tc.linkedF1)
			}
		})
	}
	t.Run("no topics", func(t *testing.T) {
		var plain []Item
		for i := range 4 {
			plain = append(plain, Item{Article: article.Article{ID: strconv.Itoa(i)}, Story: strconv.Itoa(i % 2)})
		}
		if _, ok := ScoreSiblings(plain, func(a, b article.Article) float64 { return 1 }); ok {
			t.Error("a set without topics was measured")
		}
	})
}

func TestQuartiles(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want Quartiles
	}{
		{[]float64{4, 1, 3, 2}, Quartiles{1, 2, 3}},
		{[]float64{7}, Quartiles{7, 7, 7}},
		{[]float64{5, 1, 4, 2, 3, 6, 8, 7}, Quartiles{2, 4, 6}},
	} {
		if got := quartiles(tc.xs); got != tc.want {
			t.Errorf("quartiles(%v) = %v, want %v", tc.xs, got, tc.want)
		}
	}
}
