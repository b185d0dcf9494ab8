package sample

import (
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
)

func (s *site) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveIndex)
	mux.HandleFunc("GET /feed.xml", s.serveFeed)
	mux.HandleFunc("GET /{outlet}/{$}", s.serveIndex)
	mux.HandleFunc("GET /{outlet}/feed.xml", s.serveFeed)
	mux.HandleFunc("GET /{outlet}/{file}", s.servePage)
	mux.HandleFunc("GET /static/img/{file}", serveImage)
	return mux
}

func (s *site) outlet(id string) (Outlet, bool) {
	for _, o := range s.outlets {
		if o.ID == id {
			return o, true
		}
	}
	return Outlet{}, false
}

func (s *site) servePage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("outlet") + "/" + r.PathValue("file")
	if _, ok := s.outlet(r.PathValue("outlet")); !ok || path.Ext(name) != ".html" {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(s.files, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(b)
}

func (s *site) serveFeed(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("outlet")
	var o *Outlet
	if id != "" {
		got, ok := s.outlet(id)
		if !ok {
			http.NotFound(w, r)
			return
		}
		o = &got
	}
	b, err := s.feed(baseURL(r), o)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	_, _ = w.Write(b)
}

// baseURL is the site's origin as the client reached it.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

var indexTmpl = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:Arial,sans-serif;max-width:860px;margin:24px auto;padding:0 16px}li{margin:4px 0}small{color:#666}</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>Invented news in Italian, French and English, written for the newsdedup demo. Every person, outlet and event here is fictional.</p>
<p>Feed: <a href="{{.Feed}}">{{.Feed}}</a></p>
{{range .Outlets}}<h2><a href="/{{.ID}}/">{{.Name}}</a> <small>({{.Lang}}) &middot; <a href="/{{.ID}}/feed.xml">RSS</a></small></h2>
<ul>{{range .Pages}}<li><a href="/{{.Path}}">{{.Title}}</a> <small>{{.Published.Format "2006-01-02 15:04"}}</small></li>{{end}}</ul>
{{end}}</body>
</html>
`))

type indexOutlet struct {
	Outlet
	Pages []Page
}

func (s *site) serveIndex(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("outlet")
	data := struct {
		Title, Feed string
		Outlets     []indexOutlet
	}{Title: "newsdedup sample site", Feed: "/feed.xml"}
	for _, o := range s.outlets {
		if id != "" && o.ID != id {
			continue
		}
		io := indexOutlet{Outlet: o}
		for _, p := range s.pages {
			if p.Outlet == o.ID {
				io.Pages = append(io.Pages, p)
			}
		}
		sort.Slice(io.Pages, func(i, j int) bool { return io.Pages[i].Published.After(io.Pages[j].Published) })
		data.Outlets = append(data.Outlets, io)
		if id != "" {
			data.Title, data.Feed = o.Name, "/"+o.ID+"/feed.xml"
		}
	}
	if len(data.Outlets) == 0 {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := indexTmpl.Execute(w, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

var imageTmpl = template.Must(template.New("img").Parse(`<svg xmlns="http://www.w3.org/2000/svg" width="760" height="428" viewBox="0 0 760 428">
<rect width="760" height="428" fill="#d9dde3"/>
<circle cx="380" cy="190" r="60" fill="#b4bbc6"/>
<text x="380" y="320" font-family="Arial,sans-serif" font-size="22" text-anchor="middle" fill="#5a6270">{{.}}</text>
</svg>
`))

// serveImage draws a neutral placeholder for the pages' photos, so that the
// site looks like a news site in a browser without shipping pictures.
func serveImage(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".svg")
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_ = imageTmpl.Execute(w, strings.ReplaceAll(name, "-", " "))
}
