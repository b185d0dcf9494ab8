package index_test

import (
	"fmt"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/story"
)

func Example() {
	ix, err := index.Open("") // in memory; pass a directory to keep it
	if err != nil {
		panic(err)
	}
	defer ix.Close()

	at := time.Date(2025, 1, 7, 10, 0, 0, 0, time.UTC)
	a := article.Article{ID: "a1", Lang: "it", Source: "quotidiano.example",
		Title: "Attacco hacker al comune", Text: "Un attacco ha fermato gli sportelli del comune per due giorni."}
	ev := story.Event{V: story.SchemaVersion, Type: story.Created, At: at, Articles: []article.Article{a},
		Story: story.Story{ID: "s1", Headline: a.Title, Languages: []string{"it"}, Sources: []string{a.Source},
			FirstSeen: at, LastSeen: at, Version: 1, MemberCount: 1,
			Members: []story.Member{{ArticleID: a.ID, Title: a.Title, Source: a.Source, Lang: "it", Added: at}}}}
	if err := ix.Apply(ev); err != nil {
		panic(err)
	}
	_ = ix.SetCheckpoint(1) // the stream sequence of ev

	// The plural finds the singular through the Italian analyzer.
	res, err := ix.Search(index.SearchQuery{Q: "attacchi"})
	if err != nil {
		panic(err)
	}
	for _, h := range res.Hits {
		fmt.Println(h.Story.ID, h.Story.Headline)
		fmt.Println(h.Snippets[0])
	}
	for _, f := range res.Facets[index.FacetLang] {
		fmt.Println("language", f.Term, "in", f.Count, "story")
	}
	// Output:
	// s1 Attacco hacker al comune
	// <mark>Attacco</mark> hacker al comune
	//
	// Un <mark>attacco</mark> ha fermato gli sportelli del comune per due giorni.
	// language it in 1 story
}
