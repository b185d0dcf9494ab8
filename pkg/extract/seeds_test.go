package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// seedsDir is where the shared seed articles live, beside the checkout.
var seedsDir = filepath.Join("..", "..", "..", "shared", "seeds")

type seedExpectations struct {
	Articles map[string]struct {
		Lang string   `json:"lang"`
		Keep []string `json:"keep"`
		Drop []string `json:"drop"`
	} `json:"articles"`
}

// TestSeeds is the core case: on the four seed articles every keep
// snippet survives and no drop snippet does.
func TestSeeds(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(seedsDir, "expectations.json"))
	if err != nil {
		t.Skipf("seed articles not found at %s (they live beside the checkout): %v", seedsDir, err)
	}
	var exp seedExpectations
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(exp.Articles))
	for id := range exp.Articles {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	e := newTestExtractor(t)
	for _, id := range ids {
		want := exp.Articles[id]
		t.Run(id, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join(seedsDir, id+".txt"))
			if err != nil {
				t.Skipf("seed %s not found: %v", id, err)
			}
			res, err := e.Extract(Input{Text: string(text)})
			if err != nil {
				t.Fatal(err)
			}
			if res.Empty {
				t.Fatal("seed reported as empty")
			}
			for _, s := range want.Keep {
				if !strings.Contains(res.Text, s) {
					t.Errorf("keep snippet lost: %q", s)
				}
			}
			for _, s := range want.Drop {
				if strings.Contains(res.Text, s) {
					t.Errorf("drop snippet left: %q", s)
				}
			}
			for _, r := range res.Removed {
				if r.Layer != layerLexicon && r.Layer != layerStructure {
					t.Errorf("removal with layer %q: %+v", r.Layer, r)
				}
				if r.Reason == "" {
					t.Errorf("removal without reason: %+v", r)
				}
			}
			if t.Failed() || testing.Verbose() {
				t.Logf("title %q", res.Title)
				for _, r := range res.Removed {
					t.Logf("removed [%s] %s: %s", r.Layer, r.Reason, clip(r.Text, 70))
				}
			}
		})
	}
}

func newTestExtractor(t testing.TB) *Extractor {
	t.Helper()
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}
