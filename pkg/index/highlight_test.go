package index

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// TestSnippetsFromRebuiltTexts: neither story nor article documents store
// their text, so snippets are cut from texts rebuilt from the stored story
// and its articles. They must mark the matched words in every member
// (later members, other languages, titles, bodies after a long one), the
// same whether the members' texts come from the cache or, after a
// restart, from their stored articles.
func TestSnippetsFromRebuiltTexts(t *testing.T) {
	dir := t.TempDir()
	s := newSim()
	long := strings.Repeat("Parole di riempimento senza alcun interesse per la ricerca. ", (48<<10)/60+1)
	ev := s.add("st-porto", t0,
		art("it-1", "it", "a.example", "Nave incagliata nel porto di Genova",
			"Una nave portacontainer si è incagliata all'alba davanti alla diga foranea."),
		art("fr-1", "fr", "b.example", "Un navire échoué dans le port de Gênes",
			"Le porte-conteneurs a heurté la digue; les remorqueurs sont intervenus."),
		art("it-2", "it", "c.example", "Genova, rimorchiatori al lavoro",
			"I rimorchiatori hanno liberato la nave nel pomeriggio, senza feriti."),
		art("it-3", "it", "d.example", "Nave incagliata a Genova (copia)",
			"Una nave portacontainer si è incagliata all'alba davanti alla diga foranea. Zanzibar."),
		art("it-4", "it", "e.example", "Genova, il porto riapre", long),
		art("it-5", "it", "f.example", "Capitaneria avvia un'inchiesta", "Il comandante sarà ascoltato domani dai magistrati."),
	)
	ev.Story.Members[3].DuplicateOf = "it-1"

	tests := []struct {
		name, q string
		marks   []string // words that must be marked in the snippets
		none    bool     // no story may match
	}{
		{"first member's body", "foranea", []string{"foranea"}, false},
		{"later member's body", "feriti", []string{"feriti"}, false},
		{"other language", "remorqueurs", []string{"remorqueurs"}, false},
		{"near-duplicate's title", "copia", []string{"copia"}, false},
		{"near-duplicate's body is not indexed", "zanzibar", nil, true},
		{"title after a long body", "capitaneria", []string{"Capitaneria"}, false},
		{"body after a long body", "magistrati", []string{"magistrati"}, false},
		{"phrase", `"rimorchiatori al lavoro"`, []string{"rimorchiatori", "lavoro"}, false},
	}
	search := func(ix *Index, q string) []Hit {
		t.Helper()
		r, err := ix.Search(SearchQuery{Q: q})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		return r.Hits
	}

	ix := mustOpen(t, dir)
	applyAll(t, ix, []story.Event{ev})
	cached := map[string][]string{}
	for _, tc := range tests {
		hits := search(ix, tc.q)
		if tc.none {
			if len(hits) != 0 {
				t.Errorf("%s: %q found %v", tc.name, tc.q, hitIDs(hits))
			}
			continue
		}
		if len(hits) != 1 {
			t.Fatalf("%s: %q found %v, want st-porto", tc.name, tc.q, hitIDs(hits))
		}
		sn := strings.Join(hits[0].Snippets, " | ")
		for _, w := range tc.marks {
			if !strings.Contains(sn, "<mark>"+w+"</mark>") {
				t.Errorf("%s: snippets %q do not mark %q", tc.name, sn, w)
			}
		}
		cached[tc.q] = hits[0].Snippets
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopened, nothing is cached: the texts come from the stored articles.
	ix = mustOpen(t, dir)
	defer ix.Close()
	for _, tc := range tests {
		if tc.none {
			continue
		}
		hits := search(ix, tc.q)
		if len(hits) != 1 || !slices.Equal(hits[0].Snippets, cached[tc.q]) {
			t.Errorf("%s after reopening: %q gave %v, before %q", tc.name, tc.q, hits, cached[tc.q])
		}
	}
}

// TestStoryTitlesLooksUpOnlyWhatItUses: a story's document holds its
// members' titles, each in its language's field; a member's article is read
// only when the member lacks its language, and an untitled member adds
// nothing.
func TestStoryTitlesLooksUpOnlyWhatItUses(t *testing.T) {
	texts := map[string]memberText{
		"titled":   {title: "A title", lang: "en", text: "titled body"},
		"untitled": {lang: "en", text: "untitled body"},
		"nolang":   {title: "No language", lang: "fr", text: "corps"},
	}
	tests := []struct {
		name    string
		members []story.Member
		read    []string
		fields  map[string][]string
	}{
		{"titled and untitled", []story.Member{{ArticleID: "titled", Title: "A title", Lang: "en"}, {ArticleID: "untitled", Lang: "en"}},
			nil, map[string][]string{"title_en": {"A title"}}},
		{"language missing", []story.Member{{ArticleID: "titled", Title: "A title", Lang: "en"}, {ArticleID: "nolang", Title: "No language"}},
			[]string{"nolang"}, map[string][]string{"title_en": {"A title"}, "title_fr": {"No language"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var read []string
			got, err := storyTitles(story.Story{Members: tc.members}, func(id string) (memberText, error) {
				read = append(read, id)
				return texts[id], nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(read, tc.read) {
				t.Errorf("read %v, want %v", read, tc.read)
			}
			if len(got) != len(tc.fields) {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
			for f, want := range tc.fields {
				if !slices.Equal(got[f], want) {
					t.Errorf("%s holds %q, want %q", f, got[f], want)
				}
			}
		})
	}
}
