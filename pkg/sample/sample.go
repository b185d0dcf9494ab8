// Package sample ships an original, invented multilingual news corpus as a
// small web site, so that the pipeline can be shown and tested end to end
// without a network: six fictional outlets (two Italian, two French, two
// English) report the same events in their own words, next to unrelated
// single articles, each page wrapped in its outlet's boilerplate.
//
// The pages are generated from pkg/sample/corpus by `go generate`; the
// manifest's Story label tells which pages report the same event.
package sample

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/newsdedup/newsdedup/pkg/sample/internal/render"
)

//go:generate go run ./internal/gensite -corpus corpus -out site

//go:embed site
var siteFS embed.FS

// Page is one article page of the sample site.
type Page struct {
	// Path is relative to the site root, e.g. "ilfaro/frana-colle-del-sereno.html";
	// the page is served at "/" + Path.
	Path    string
	Outlet  string
	Lang    string
	Title   string
	Author  string
	Section string
	Summary string
	// Story labels the event the page reports; pages about the same event,
	// in any language, share it. Unrelated articles have a label of their own.
	Story     string
	Published time.Time
	// Words is the length of the body text, boilerplate excluded.
	Words int
}

// Outlet is one fictional news site of the sample.
type Outlet struct {
	ID, Name, Lang, Tagline string
	// FeedQuery is added to the links of the outlet's own feed (tracking
	// parameters, as real feeds carry them).
	FeedQuery string
}

// site is the parsed manifest with its embedded files.
type site struct {
	outlets []Outlet
	pages   []Page
	files   fs.FS
}

func load() (*site, error) {
	files, err := fs.Sub(siteFS, "site")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	b, err := fs.ReadFile(files, render.ManifestFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	var m render.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	s := &site{files: files}
	known := map[string]bool{}
	for _, o := range m.Outlets {
		s.outlets = append(s.outlets, Outlet{ID: o.ID, Name: o.Name, Lang: o.Lang, Tagline: o.Tagline, FeedQuery: o.FeedQuery})
		known[o.ID] = true
	}
	for _, p := range m.Pages {
		if !known[p.Outlet] {
			return nil, fmt.Errorf("%w: page %s has unknown outlet %q", ErrManifest, p.Path, p.Outlet)
		}
		if _, err := fs.Stat(files, p.Path); err != nil {
			return nil, fmt.Errorf("%w: page %s: %v", ErrManifest, p.Path, err)
		}
		s.pages = append(s.pages, Page{
			Path: p.Path, Outlet: p.Outlet, Lang: p.Lang, Title: p.Title, Author: p.Author,
			Section: p.Section, Summary: p.Summary, Story: p.Story, Published: p.Published, Words: p.Words,
		})
	}
	if len(s.pages) == 0 {
		return nil, fmt.Errorf("%w: no pages", ErrManifest)
	}
	return s, nil
}

// Pages lists every article page, oldest first, as the manifest gives them.
func Pages() ([]Page, error) {
	s, err := load()
	if err != nil {
		return nil, err
	}
	return s.pages, nil
}

// Outlets lists the fictional outlets of the sample.
func Outlets() ([]Outlet, error) {
	s, err := load()
	if err != nil {
		return nil, err
	}
	return s.outlets, nil
}

// Handler serves the sample site: the pages at /<outlet>/<slug>.html, an RSS
// 2.0 feed of every page at /feed.xml, one per outlet at /<outlet>/feed.xml,
// index pages at / and /<outlet>/, and placeholder images. Feed links are
// absolute, built from the request's Host.
func Handler() http.Handler {
	s, err := load()
	if err != nil {
		// The embedded data is checked by the package tests; should it ever
		// be broken, say so on every request rather than panic.
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		})
	}
	return s.handler()
}

// Serve starts the sample site on addr (e.g. "127.0.0.1:0") and returns its
// base URL, without a trailing slash. The server stops when ctx is done.
func Serve(ctx context.Context, addr string) (string, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("sample: listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("sample site stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	return "http://" + ln.Addr().String(), nil
}
