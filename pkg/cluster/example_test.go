package cluster_test

import (
	"fmt"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cluster"
	"github.com/newsdedup/newsdedup/pkg/features"
)

func ExampleEngine_Add() {
	fx, err := features.New()
	if err != nil {
		panic(err)
	}
	e := cluster.New(cluster.DefaultConfig(), fx)
	t := time.Date(2025, 12, 11, 9, 0, 0, 0, time.UTC)
	for _, a := range []article.Article{
		{ID: "a1", Lang: "en", Published: &t, Title: "Storm Idris floods the port of Kelmouth",
			Text: "Storm Idris flooded the port of Kelmouth on Thursday; the harbour master Ada Kerrow closed the docks."},
		{ID: "a2", Lang: "en", Published: &t, Title: "Kelmouth docks closed as Storm Idris hits",
			Text: "Harbour master Ada Kerrow closed the Kelmouth docks after Storm Idris flooded the port."},
	} {
		events, err := e.Add(a)
		if err != nil {
			panic(err)
		}
		for _, ev := range events {
			fmt.Println(ev.Type, ev.Story.ID, ev.Story.Size()) // its number of articles
		}
	}
	s1, _ := e.StoryOf("a1")
	s2, _ := e.StoryOf("a2")
	fmt.Println("same story:", s1 == s2)
	// Output:
	// created s-f55ff16f66f4 1
	// updated s-f55ff16f66f4 2
	// same story: true
}
