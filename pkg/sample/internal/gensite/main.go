// Command gensite renders the sample corpus into the embedded sample site.
// Run it through `go generate ./pkg/sample` after editing pkg/sample/corpus.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/newsdedup/newsdedup/pkg/sample/internal/render"
)

func main() {
	corpus := flag.String("corpus", "corpus", "directory of <outlet>/<slug>.txt sources")
	out := flag.String("out", "site", "directory the site is written to")
	flag.Parse()
	if err := run(*corpus, *out); err != nil {
		slog.Error("gensite failed", "err", err)
		os.Exit(1)
	}
}

func run(corpus, out string) error {
	files, err := render.Build(os.DirFS(corpus))
	if err != nil {
		return err
	}
	// Remove pages whose source is gone, so the site mirrors the corpus.
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(out, p)
		if err != nil {
			return err
		}
		if _, ok := files[filepath.ToSlash(rel)]; !ok {
			return os.Remove(p)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("clean %s: %w", out, err)
	}
	for name, b := range files {
		p := filepath.Join(out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	slog.Info("site generated", "files", len(files), "out", out)
	return nil
}
