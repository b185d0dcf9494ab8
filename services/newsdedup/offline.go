package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cluster"
	"github.com/newsdedup/newsdedup/pkg/extract"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/ingest"
	"github.com/newsdedup/newsdedup/pkg/langid"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// readInputs reads every article of the named files; html forces HTML
// reading whatever the file's name says.
func readInputs(files []string, html bool) ([]article.Article, error) {
	var all []article.Article
	for _, f := range files {
		if html && !ingest.Supported(f) {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			all = append(all, article.Article{ID: f, HTML: string(data)})
			continue
		}
		arts, errs, err := ingest.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if len(errs) > 0 {
			return nil, errs[0]
		}
		for _, a := range arts {
			if html && a.HTML == "" {
				a.HTML, a.Text = a.Text, ""
			}
			all = append(all, a)
		}
	}
	return all, nil
}

// cleanOutput is what `clean --json` prints per article.
type cleanOutput struct {
	File    string            `json:"file"`
	ID      string            `json:"id"`
	Title   string            `json:"title,omitempty"`
	Text    string            `json:"text"`
	Empty   bool              `json:"empty,omitempty"`
	Removed []article.Removal `json:"removed"`
}

func cmdClean(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("clean", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON with every removed block and why")
	html := fs.Bool("html", false, "read the files as HTML pages (gzip accepted)")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("clean: give files: %w", errUsage)
	}
	x, err := extract.New(extract.Config{})
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	for _, f := range fs.Args() {
		arts, err := readInputs([]string{f}, *html)
		if err != nil {
			return err
		}
		for _, a := range arts {
			out, err := x.Apply(a)
			if err != nil {
				return fmt.Errorf("clean %s: %w", f, err)
			}
			if *asJSON {
				if err := enc.Encode(cleanOutput{File: f, ID: out.ID, Title: out.Title, Text: out.Text, Empty: out.Empty, Removed: out.Removed}); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintln(w, out.Text)
		}
	}
	return nil
}

func cmdDetect(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("detect", flag.ContinueOnError)
	langs := fs.String("langs", "", "comma-separated ISO 639-1 codes (default: a broad European set)")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("detect: give files: %w", errUsage)
	}
	d, err := langid.New(langid.Config{Languages: splitList(*langs)})
	if err != nil {
		return err
	}
	x, err := extract.New(extract.Config{})
	if err != nil {
		return err
	}
	arts, err := readInputs(fs.Args(), false)
	if err != nil {
		return err
	}
	for _, a := range arts {
		if a, err = x.Apply(a); err != nil {
			return fmt.Errorf("detect %s: %w", a.ID, err)
		}
		res, err := d.Detect(a.Title + "\n" + a.Text)
		if err != nil {
			fmt.Fprintf(stdout, "%s\tund\t0\n", a.ID)
			continue
		}
		fmt.Fprintf(stdout, "%s\t%s\t%.3f\n", a.ID, res.Lang, res.Confidence)
	}
	return nil
}

// pipeline runs the core stages in process, the way the workers do over NATS.
type pipeline struct {
	x   *extract.Extractor
	d   *langid.Detector
	fx  *features.Extractor
	eng *cluster.Engine
	// assigned folds the engine's events: which story each article is in,
	// after merges, however long ago it came.
	assigned *story.Assignments
}

func newPipeline(langs []string) (*pipeline, error) {
	x, err := extract.New(extract.Config{})
	if err != nil {
		return nil, err
	}
	d, err := langid.New(langid.Config{Languages: langs})
	if err != nil {
		return nil, err
	}
	fx, err := features.New()
	if err != nil {
		return nil, err
	}
	return &pipeline{x: x, d: d, fx: fx, eng: cluster.New(cluster.DefaultConfig(), fx), assigned: story.NewAssignments()}, nil
}

// prepare extracts an article and detects its language where it has none;
// ok is false when no text is left to cluster.
func (p *pipeline) prepare(a article.Article) (_ article.Article, ok bool, _ error) {
	a, err := p.x.Apply(a)
	if err != nil {
		return a, false, err
	}
	a = detectMissing(p.d, a)
	return a, a.Text != "", nil
}

// detectMissing gives a the detected language where it has none.
func detectMissing(d *langid.Detector, a article.Article) article.Article {
	if a.Lang == "" {
		if res, err := d.Detect(a.Title + "\n" + a.Text); err == nil {
			a.Lang, a.LangConfidence = res.Lang, res.Confidence
		}
	}
	return a
}

// add extracts, detects and clusters one article.
func (p *pipeline) add(a article.Article) error {
	a, ok, err := p.prepare(a)
	if err != nil || !ok {
		return err
	}
	evs, err := p.eng.Add(a)
	p.assigned.Add(evs...)
	return err
}

func cmdDedup(args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("dedup", flag.ContinueOnError)
	in := fs.String("in", "", "articles as JSON Lines")
	out := fs.String("out", "", "where to write assignments (default stdout)")
	langs := fs.String("langs", "", "comma-separated ISO 639-1 codes for language detection")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		return fmt.Errorf("dedup: --in is required: %w", errUsage)
	}
	arts, errs, err := ingest.ReadFile(*in)
	if err != nil {
		return err
	}
	for _, e := range errs {
		log.Warn("skipped record", "err", e)
	}
	p, err := newPipeline(splitList(*langs))
	if err != nil {
		return err
	}
	for _, a := range arts {
		if err := p.add(a); err != nil {
			log.Warn("article not clustered", "id", a.ID, "err", err)
		}
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, a := range arts {
		// Assignments are read after every article is in, so a story that
		// merged later is reported under its surviving id.
		sid, _ := p.assigned.StoryOf(a.ID)
		if err := enc.Encode(struct {
			ID      string `json:"id"`
			StoryID string `json:"story_id"`
		}{a.ID, sid}); err != nil {
			return err
		}
	}
	return bw.Flush()
}
