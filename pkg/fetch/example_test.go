package fetch_test

import (
	"context"
	"fmt"

	"github.com/newsdedup/newsdedup/pkg/fetch"
	"github.com/newsdedup/newsdedup/pkg/sample"
)

// Fetching a feed returns one article per entry, each with its page's HTML.
// The sample site listens on 127.0.0.1, which only AllowPrivate lets the
// fetcher reach.
func ExampleFetcher_Fetch() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, err := sample.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	arts, errs, err := fetch.New(fetch.Config{AllowPrivate: true}).Fetch(ctx, base+"/ilfaro/feed.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d articles, %d failed entries\n", len(arts), len(errs))
	fmt.Println(arts[0].Title)
	// Output:
	// 4 articles, 0 failed entries
	// Rubato l'astrolabio del 1594 dal Museo civico di Valdora
}
