package extract

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// siteArticle is article i of an invented site: its own paragraphs between
// the site's recurring lines.
func siteArticle(source string, i int) article.Article {
	// Digits do not tell blocks apart (see blockKey): names do.
	towns := []string{"Ashford", "Brill", "Carrow", "Dunmore", "Elsworth", "Fenwick", "Garth", "Holloway", "Ilsley", "Jarrow"}
	town := towns[i%len(towns)]
	body := []string{
		fmt.Sprintf("Story from %s: the harbour board met and approved a new timetable for the ferries, after weeks of complaints from commuters about late crossings.", town),
		fmt.Sprintf("Officials in %s said the report would be published next month, together with the figures for passenger numbers and the cost of the extra evening sailings.", town),
		"Questions about this story? Write to the Courier desk, we read every letter.",
		fmt.Sprintf("© %d Valley Courier", 2000+i),
	}
	return article.Article{ID: fmt.Sprintf("%s-%d", source, i), Source: source, Text: strings.Join(body, "\n\n"), Extracted: true}
}

func TestSourceModelLearns(t *testing.T) {
	ctx := context.Background()
	m := NewSourceModel(NewMemoryCounts(), SourceConfig{})
	for i := range 8 {
		a, err := m.Apply(ctx, siteArticle("courier.example", i))
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Removed) != 0 {
			t.Fatalf("article %d: removed %v before the source was known", i, a.Removed)
		}
	}
	a, err := m.Apply(ctx, siteArticle("courier.example", 8))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Text, "Questions about this story") || strings.Contains(a.Text, "Valley Courier") {
		t.Errorf("recurring lines left:\n%s", a.Text)
	}
	if !strings.Contains(a.Text, "Story from Ilsley:") || !strings.Contains(a.Text, "Officials in Ilsley") {
		t.Errorf("article text lost:\n%s", a.Text)
	}
	if len(a.Removed) != 2 {
		t.Fatalf("removed %+v, want 2", a.Removed)
	}
	for _, r := range a.Removed {
		if r.Layer != layerSource || !strings.Contains(r.Reason, "of 8 articles from courier.example") {
			t.Errorf("removal %+v", r)
		}
	}

	// Another site has learned nothing yet.
	b, err := m.Apply(ctx, siteArticle("other.example", 1))
	if err != nil || len(b.Removed) != 0 {
		t.Errorf("other source: removed %v, err %v", b.Removed, err)
	}
}

func TestSourceModelKeeps(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		a    article.Article
		seed func(m *SourceModel)
	}{
		{
			name: "no source",
			a:    article.Article{ID: "x", Text: "Some text.\n\nMore text."},
		},
		{
			name: "the same article again and again",
			a:    siteArticle("repeat.example", 1),
			seed: func(m *SourceModel) {
				for range 20 {
					m.Apply(ctx, siteArticle("repeat.example", 1))
				}
			},
		},
		{
			name: "long paragraphs are never counted",
			a:    article.Article{ID: "y", Source: "long.example", Text: strings.Repeat("word ", 100) + "\n\nshort own line"},
			seed: func(m *SourceModel) {
				for i := range 20 {
					m.Apply(ctx, article.Article{ID: "y", Source: "long.example", Text: strings.Repeat("word ", 100) + fmt.Sprintf("\n\nline %c", 'a'+i)})
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewSourceModel(NewMemoryCounts(), SourceConfig{})
			if tt.seed != nil {
				tt.seed(m)
			}
			got, err := m.Apply(ctx, tt.a)
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != tt.a.Text || len(got.Removed) != 0 {
				t.Errorf("changed: %q, removed %v", got.Text, got.Removed)
			}
		})
	}
}

// failingCounts fails after n calls.
type failingCounts struct {
	*MemoryCounts
	n int
}

var errStore = errors.New("store down")

func (f *failingCounts) Get(ctx context.Context, s, k string) (uint64, error) {
	if f.n--; f.n < 0 {
		return 0, errStore
	}
	return f.MemoryCounts.Get(ctx, s, k)
}

func TestSourceModelStoreError(t *testing.T) {
	m := NewSourceModel(&failingCounts{MemoryCounts: NewMemoryCounts(), n: 0}, SourceConfig{})
	a := siteArticle("down.example", 1)
	got, err := m.Apply(context.Background(), a)
	if !errors.Is(err, errStore) {
		t.Fatalf("err %v, want the store's", err)
	}
	if got.Text != a.Text || len(got.Removed) != 0 {
		t.Errorf("article changed on error")
	}
}

func TestBlockKey(t *testing.T) {
	if blockKey("© 2024 Courier", 400) != blockKey("© 2031 courier", 400) {
		t.Error("digits or case change the key")
	}
	if blockKey("one line", 400) == blockKey("another line", 400) {
		t.Error("different lines share a key")
	}
	if blockKey("***", 400) != "" || blockKey(strings.Repeat("a", 401), 400) != "" {
		t.Error("a block without words or too long got a key")
	}
}
