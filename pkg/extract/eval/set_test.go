package eval

import (
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeSet(t *testing.T, truth string, pages map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "html"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ground-truth.json"), []byte(truth), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, body := range pages {
		p := filepath.Join(dir, "html", name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".gz") {
			zw := gzip.NewWriter(f)
			zw.Write([]byte(body))
			zw.Close()
		} else {
			f.WriteString(body)
		}
		f.Close()
	}
	return dir
}

func TestLoadAndRun(t *testing.T) {
	dir := writeSet(t, `{
		"b": {"articleBody": "plain text page body here", "url": "https://b.example/x", "title": "B title"},
		"a": {"articleBody": "the true body of page a", "url": "https://a.example/y"}
	}`, map[string]string{
		"a.html.gz": "<p>the true body of page a</p>",
		"b.txt":     "plain text page body here",
	})
	cases, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[0].Key != "a" || cases[1].Key != "b" {
		t.Fatalf("cases %+v", cases)
	}
	if !cases[0].IsHTML() || cases[1].IsHTML() || cases[1].Title != "B title" {
		t.Errorf("kinds or title wrong: %+v", cases)
	}
	page, err := cases[0].Read()
	if err != nil || page != "<p>the true body of page a</p>" {
		t.Fatalf("gzip page %q, %v", page, err)
	}
	// An engine that strips tags gets every page right; one that fails
	// on HTML gets recall 0 there and no precision.
	strip := func(_ context.Context, c Case, page string) (string, error) {
		return strings.NewReplacer("<p>", "", "</p>", "").Replace(page), nil
	}
	res, sum, err := Run(context.Background(), cases, strip)
	if err != nil || len(res) != 2 || sum.F1 != 1 || sum.Pages != 2 {
		t.Errorf("strip: %+v %v", sum, err)
	}
	failHTML := func(_ context.Context, c Case, page string) (string, error) {
		if c.IsHTML() {
			return "", errors.New("no HTML here")
		}
		return page, nil
	}
	res, sum, _ = Run(context.Background(), cases, failHTML)
	if res[0].Err == nil || sum.Precision != 1 || sum.Recall != 0.5 {
		t.Errorf("failHTML: %+v", sum)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Run(ctx, cases, strip); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		truth string
		pages map[string]string
		want  error
	}{
		{"bad json", `{"a": `, nil, ErrBadSet},
		{"missing page", `{"a": {"articleBody": "x"}}`, nil, ErrNoPage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeSet(t, tt.truth, tt.pages))
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := Load(t.TempDir()); !errors.Is(err, ErrBadSet) {
		t.Errorf("no ground truth: %v", err)
	}
}
