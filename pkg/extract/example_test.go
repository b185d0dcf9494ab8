package extract_test

import (
	"fmt"
	"log"

	"github.com/newsdedup/newsdedup/pkg/extract"
)

func ExampleExtractor_Extract() {
	e, err := extract.New(extract.Config{})
	if err != nil {
		log.Fatal(err)
	}
	text := `Valley Gazette - Night buses return to the valley line

Night buses return to the valley line

From Friday, night buses will again run every hour between the station and the valley villages, the transport authority said, after a two-year pause caused by a shortage of drivers.

Taille du texte:

Did you enjoy this article? Subscribe to our newsletter.`

	res, err := e.Extract(extract.Input{Text: text})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Title:", res.Title)
	fmt.Println(res.Text)
	for _, r := range res.Removed {
		fmt.Printf("removed (%s, %s): %s\n", r.Layer, r.Reason, r.Text)
	}
	// Output:
	// Title: Night buses return to the valley line
	// From Friday, night buses will again run every hour between the station and the valley villages, the transport authority said, after a two-year pause caused by a shortage of drivers.
	// removed (structure, site name and title header): Valley Gazette - Night buses return to the valley line
	// removed (structure, repeats the title): Night buses return to the valley line
	// removed (lexicon, widget (fr): "taille du texte"): Taille du texte:
	// removed (lexicon, cta (en): "did you enjoy this article"): Did you enjoy this article? Subscribe to our newsletter.
}
