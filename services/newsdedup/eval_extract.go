package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/newsdedup/newsdedup/pkg/extract"
	"github.com/newsdedup/newsdedup/pkg/extract/eval"
	"github.com/newsdedup/newsdedup/pkg/extract/eval/libs"
)

// cmdEvalExtract scores extraction on a set laid out as DIR/ground-truth.json
// and DIR/html/<key>.html.gz (or .html, .txt): a table per page, a summary,
// and as the last line the summary as JSON.
func cmdEvalExtract(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("eval extract", flag.ContinueOnError)
	dir := fs.String("dir", "", "evaluation set: ground-truth.json and html/<key>.html.gz|.html|.txt")
	engine := fs.String("engine", "ours", "extractor: ours, or "+strings.Join(libs.Names, ", ")+" (those need a build with -tags extcompare)")
	quiet := fs.Bool("quiet", false, "print the summary only, not the table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("eval extract: --dir is required: %w", errUsage)
	}
	run, err := extractEngine(*engine)
	if err != nil {
		return fmt.Errorf("eval extract: %w", err)
	}
	cases, err := eval.Load(*dir)
	if err != nil {
		return fmt.Errorf("eval extract: %w", err)
	}
	results, sum, err := eval.Run(ctx, cases, run)
	if err != nil {
		return fmt.Errorf("eval extract: %w", err)
	}

	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if !*quiet {
		tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "page\tprecision\trecall\tF1\twords\ttrue words\turl")
		for _, r := range results {
			p, pOK := r.Precision()
			rc, rOK := r.Recall()
			note := r.URL
			if r.Err != nil {
				note = "error: " + r.Err.Error()
				log.Warn("page not extracted", "page", r.Key, "err", r.Err)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.3f\t%d\t%d\t%s\n", shortKey(r.Key), score(p, pOK), score(rc, rOK), r.F1(),
				len(eval.Tokens(r.Got)), len(eval.Tokens(r.Want)), note)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "engine %s: %d pages, precision %.4f, recall %.4f, F1 %.4f\n", *engine, sum.Pages, sum.Precision, sum.Recall, sum.F1)
	line, err := json.Marshal(struct {
		eval.Summary
		Engine string `json:"engine"`
	}{sum, *engine})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s\n", line)
	return w.Flush()
}

// shortKey keeps long keys (hashes) readable; a prefix still finds the file.
func shortKey(k string) string {
	if len(k) > 16 {
		return k[:12] + "…"
	}
	return k
}

// score prints a page's precision or recall, "-" where it is undefined
// (nothing extracted, or nothing to find).
func score(v float64, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.3f", v)
}

// extractEngine returns the named extractor as an eval engine. Ours reads
// HTML pages as HTML and .txt pages as feed text, with the recorded title.
func extractEngine(name string) (eval.Engine, error) {
	if name != "ours" {
		return libs.Engine(name)
	}
	x, err := extract.New(extract.Config{})
	if err != nil {
		return nil, err
	}
	return func(_ context.Context, c eval.Case, page string) (string, error) {
		in := extract.Input{Text: page, Title: c.Title, URL: c.URL}
		if c.IsHTML() {
			in.HTML, in.Text = page, ""
		}
		res, err := x.Extract(in)
		return res.Text, err
	}, nil
}
