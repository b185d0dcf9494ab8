// Package render turns the sample corpus (plain-text articles) into the
// sample site's HTML pages and manifest. It runs at generate time through
// ./internal/gensite; a test checks that the committed site is up to date.
package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// ManifestFile is the manifest's path relative to the site root.
const ManifestFile = "manifest.json"

// Manifest describes every page of the site.
type Manifest struct {
	Outlets []Outlet    `json:"outlets"`
	Pages   []PageEntry `json:"pages"`
}

// PageEntry is one page as listed in the manifest.
type PageEntry struct {
	Path      string    `json:"path"`
	Outlet    string    `json:"outlet"`
	Lang      string    `json:"lang"`
	Title     string    `json:"title"`
	Author    string    `json:"author"`
	Section   string    `json:"section"`
	Summary   string    `json:"summary"`
	Published time.Time `json:"published"`
	// Story groups the pages that report the same event.
	Story string `json:"story"`
	Words int    `json:"words"`
}

// teaser is another page of the same outlet, as shown in related blocks.
type teaser struct {
	Path, Title, Summary, Section, Date string
}

type pageData struct {
	O        Outlet
	P        Source
	Path     string
	ISO      string
	Date     string
	Img      string
	Paras    []Para
	Related  []teaser
	Inline   *teaser
	MostRead []teaser
}

// Build reads corpus/<outlet>/<slug>.txt files from fsys and returns the
// site's files keyed by path (the pages and manifest.json).
func Build(fsys fs.FS) (map[string][]byte, error) {
	outlets := Outlets()
	byOutlet := map[string][]Source{}
	var all []Source
	for _, o := range outlets {
		names, err := fs.Glob(fsys, o.ID+"/*.txt")
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", o.ID, err)
		}
		for _, name := range names {
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			s, err := ParseSource(o.ID, strings.TrimSuffix(path.Base(name), ".txt"), string(b))
			if err != nil {
				return nil, err
			}
			byOutlet[o.ID] = append(byOutlet[o.ID], s)
			all = append(all, s)
		}
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%w: no articles found", ErrSource)
	}

	files := map[string][]byte{}
	for _, o := range outlets {
		t, err := template.New(o.ID).Parse(o.tmpl)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", o.ID, err)
		}
		srcs := byOutlet[o.ID]
		for _, s := range srcs {
			d := pageData{
				O:     o,
				P:     s,
				Path:  s.Path(),
				ISO:   s.Published.Format(time.RFC3339),
				Date:  humanDate(o.Lang, s.Published),
				Img:   "/static/img/" + o.ID + "-" + s.Slug + ".svg",
				Paras: s.Paras,
			}
			d.Related, d.MostRead = neighbours(o.Lang, s, srcs)
			if len(d.Related) > 0 {
				d.Inline = &d.Related[0]
			}
			var buf bytes.Buffer
			if err := t.Execute(&buf, d); err != nil {
				return nil, fmt.Errorf("render %s: %w", s.Path(), err)
			}
			files[s.Path()] = buf.Bytes()
		}
	}

	sort.Slice(all, func(i, j int) bool {
		if !all[i].Published.Equal(all[j].Published) {
			return all[i].Published.Before(all[j].Published)
		}
		return all[i].Path() < all[j].Path()
	})
	lang := map[string]string{}
	for _, o := range outlets {
		lang[o.ID] = o.Lang
	}
	m := Manifest{Outlets: outlets}
	for _, s := range all {
		m.Pages = append(m.Pages, PageEntry{
			Path: s.Path(), Outlet: s.Outlet, Lang: lang[s.Outlet], Title: s.Title, Author: s.Author,
			Section: s.Section, Summary: s.Summary, Published: s.Published, Story: s.Story, Words: s.Words(),
		})
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	files[ManifestFile] = append(mb, '\n')
	return files, nil
}

// neighbours picks the teasers a page shows: the newest other pages of the
// same outlet as "read more", and a stable pseudo-popularity order as "most
// read", so that the same boilerplate titles recur across the outlet.
func neighbours(lang string, self Source, srcs []Source) (related, mostRead []teaser) {
	var others []Source
	for _, s := range srcs {
		if s.Slug != self.Slug {
			others = append(others, s)
		}
	}
	sort.Slice(others, func(i, j int) bool { return others[i].Published.After(others[j].Published) })
	toTeaser := func(s Source) teaser {
		return teaser{Path: s.Path(), Title: s.Title, Summary: s.Summary, Section: s.Section, Date: shortDate(lang, s.Published)}
	}
	for i, s := range others {
		if i == 3 {
			break
		}
		related = append(related, toTeaser(s))
	}
	sort.Slice(others, func(i, j int) bool { return popularity(others[i].Slug) > popularity(others[j].Slug) })
	for _, s := range others {
		mostRead = append(mostRead, toTeaser(s))
	}
	return related, mostRead
}

func popularity(slug string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(slug))
	return h.Sum32()
}
