package features_test

import (
	"fmt"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/features"
)

func ExampleExtractor_Of() {
	x, err := features.New()
	if err != nil {
		panic(err)
	}
	it := x.Of(article.Article{Lang: "it", Text: "Il ministro Laurent Nuñez ha confermato l'attacco informatico dell'11 dicembre in Francia."})
	fr := x.Of(article.Article{Lang: "fr", Text: "Selon Laurent Nuñez, l'attaque informatique du 11 décembre visait la France."})
	for _, k := range []string{"ent:laurent nunez", "date:12-11", "place:FR", "cog:inform"} {
		fmt.Println(k, it.Terms[k] > 0 && fr.Terms[k] > 0)
	}
	// Output:
	// ent:laurent nunez true
	// date:12-11 true
	// place:FR true
	// cog:inform true
}
