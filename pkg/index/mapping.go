package index

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/mapping"
)

// schemaVersion is stored in the index; bump it whenever the mapping or the
// document layout changes, so an old index is rebuilt rather than misread.
const schemaVersion = "newsdedup-index-8"

// Document kinds, told apart by the kind field.
const (
	kindStory   = "story"
	kindArticle = "article"
	kindAlias   = "alias"
)

// Document id prefixes: the three kinds share one id space.
const (
	storyPrefix   = "s:"
	articlePrefix = "a:"
	aliasPrefix   = "x:"
)

// Field names of the story document.
const (
	fieldKind      = "kind"
	fieldHeadline  = "headline"
	fieldLanguages = "languages"
	fieldSources   = "sources"
	fieldFirstSeen = "first_seen"
	fieldLastSeen  = "last_seen"
	fieldUpdated   = "updated"    // last_seen as a sortable string, for ordering
	fieldFacet     = "facet"      // every faceted value of a story, prefixed (facetValues)
	fieldJSON      = "json"       // stored only: the story or article as JSON
	fieldTarget    = "target"     // stored only: the story an alias resolves to
	fieldStory     = "story"      // the story an article joined (doc values: grouping)
	fieldID        = "id"         // a story's own id (doc values: scoring, join.go)
	fieldURL       = "url"        // an article's canonical URL, for lookups by address
	fieldTitleOnly = "title_only" // stored only: "1" when an article's body is not indexed (articleText)
	fieldTextOther = "text_other"
)

// langAnalyzers maps a language code to bleve's analyzer for it; every
// language gets its own text_<code> field so its inflections are stemmed.
var langAnalyzers = map[string]string{
	"it": it.AnalyzerName,
	"fr": fr.AnalyzerName,
	"en": en.AnalyzerName,
	"de": de.AnalyzerName,
	"es": es.AnalyzerName,
	"pt": pt.AnalyzerName,
	"nl": nl.AnalyzerName,
}

// textFields lists an article document's text fields (its title and body,
// each language in its own), in the order snippets are preferred.
func textFields() []string {
	return []string{"text_it", "text_fr", "text_en", "text_de", "text_es", "text_pt", "text_nl", fieldTextOther}
}

// titleFields lists a story document's fields of its members' titles, in
// the same order. They are not the articles' text fields, so that a search
// of the stories' own words reads no article's postings (join.go).
func titleFields() []string {
	fs := textFields()
	for i, f := range fs {
		fs[i] = titlePrefix + strings.TrimPrefix(f, textPrefix)
	}
	return fs
}

// Prefixes of the text and title fields; the rest is a language code, or
// "other".
const (
	textPrefix  = "text_"
	titlePrefix = "title_"
)

// textField gives the article field that holds text in language lang.
func textField(lang string) string {
	l := normLang(lang)
	if _, ok := langAnalyzers[l]; ok {
		return textPrefix + l
	}
	return fieldTextOther
}

// titleField gives the story field that holds titles in language lang.
func titleField(lang string) string {
	return titlePrefix + strings.TrimPrefix(textField(lang), textPrefix)
}

// fieldLang gives the language of a text or title field ("other" for text
// in a language without an analyzer of its own); ok is false for a field of
// neither kind.
func fieldLang(f string) (lang string, ok bool) {
	if l, ok := strings.CutPrefix(f, textPrefix); ok {
		return l, true
	}
	return strings.CutPrefix(f, titlePrefix)
}

// normLang lower-cases a language code and drops any region ("pt-BR" → "pt").
func normLang(lang string) string {
	l := strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	return l
}

func buildMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.TypeField = fieldKind
	im.DefaultAnalyzer = standard.Name
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	im.DefaultMapping = bleve.NewDocumentDisabledMapping()

	// Only the fields a search sorts or facets on keep doc values, read for
	// every matching story. A date field's hold sixteen prefix-coded terms
	// per value, which made sorting and faceting on last_seen the largest
	// cost of a search: ordering reads a one-term keyword copy instead, and
	// the three facets read one field (fieldFacet) rather than three.
	kw := func(docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = docValues
		return f
	}
	storedOnly := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	// Text keeps its term vectors, for phrases and for the highlighter's
	// term locations, but is not stored: snippets are cut from the texts
	// rebuilt from the stored story and articles (highlight.go).
	text := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	date := func() *mapping.FieldMapping {
		f := bleve.NewDateTimeFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false // range filters only
		return f
	}

	// No document has an _all field: every search names its fields (see
	// expand), and bleve would otherwise build an empty one per document.
	noAll := func(dm *mapping.DocumentMapping) *mapping.DocumentMapping {
		dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
		return dm
	}

	sm := noAll(bleve.NewDocumentStaticMapping())
	sm.AddFieldMappingsAt(fieldKind, kw(false))
	sm.AddFieldMappingsAt(fieldHeadline, text(standard.Name))
	sm.AddFieldMappingsAt(fieldLanguages, kw(false))
	sm.AddFieldMappingsAt(fieldSources, kw(false))
	sm.AddFieldMappingsAt(fieldFirstSeen, date())
	sm.AddFieldMappingsAt(fieldLastSeen, date())
	sm.AddFieldMappingsAt(fieldUpdated, kw(true))
	sm.AddFieldMappingsAt(fieldFacet, kw(true))
	sm.AddFieldMappingsAt(fieldJSON, storedOnly())
	sm.AddFieldMappingsAt(fieldID, kw(true))
	addText := func(dm *mapping.DocumentMapping, prefix string) {
		for lang, an := range langAnalyzers {
			dm.AddFieldMappingsAt(prefix+lang, text(an))
		}
		dm.AddFieldMappingsAt(prefix+"other", text(standard.Name))
	}
	addText(sm, titlePrefix)
	im.AddDocumentMapping(kindStory, sm)

	// An article's document holds its title and body, indexed once when it
	// joins; its story's document holds the titles alone (see storyTitles).
	// Its language and source let a query's lang: and source: clauses, and
	// the stop words of a required word (fanOut), work on it as on a story.
	// A field's options are one per segment: a field of both kinds of
	// document, mapped otherwise in each, lost its stored values.
	story := kw(true)
	story.Store = true // read by Article
	am := noAll(bleve.NewDocumentStaticMapping())
	am.AddFieldMappingsAt(fieldKind, kw(false))
	am.AddFieldMappingsAt(fieldJSON, storedOnly())
	am.AddFieldMappingsAt(fieldStory, story)
	am.AddFieldMappingsAt(fieldURL, kw(false))
	am.AddFieldMappingsAt(fieldTitleOnly, storedOnly())
	am.AddFieldMappingsAt(fieldLanguages, kw(false))
	am.AddFieldMappingsAt(fieldSources, kw(false))
	addText(am, textPrefix)
	im.AddDocumentMapping(kindArticle, am)

	xm := noAll(bleve.NewDocumentStaticMapping())
	xm.AddFieldMappingsAt(fieldTarget, storedOnly())
	im.AddDocumentMapping(kindAlias, xm)

	return im
}
