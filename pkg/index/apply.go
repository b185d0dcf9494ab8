package index

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// Apply folds one story event into the index. It is idempotent: an event
// whose story version is not newer than the stored one is ignored, and so is
// any event for a story that was merged away, so replaying the stream from
// the start, even over an index that already holds it, changes nothing.
// The story document, the articles that joined and, for a merge, the
// deletions and aliases are written in one batch.
func (ix *Index) Apply(ev story.Event) error {
	s := ev.Story
	if s.ID == "" {
		return fmt.Errorf("%w: no story id", ErrInvalidEvent)
	}
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()

	if _, absorbed, err := ix.aliasTarget(s.ID); err != nil {
		return fmt.Errorf("apply %s: %w", s.ID, err)
	} else if absorbed {
		return nil
	}
	old, found, err := ix.storedStory(s.ID)
	if err != nil {
		return fmt.Errorf("apply %s: %w", s.ID, err)
	}
	if found && s.Version <= old.Version {
		return nil
	}

	b := ix.idx.NewBatch()
	joined := make(map[string]article.Article, len(ev.Articles))
	for _, a := range ev.Articles {
		if a.ID == "" {
			continue
		}
		js, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("apply %s: encode article %s: %w", s.ID, a.ID, err)
		}
		if err := b.Index(articlePrefix+a.ID, map[string]any{fieldKind: kindArticle, fieldJSON: string(js)}); err != nil {
			return fmt.Errorf("apply %s: index article %s: %w", s.ID, a.ID, err)
		}
		joined[a.ID] = a
	}

	// The story's text is rebuilt from every member, the earlier ones read
	// back from their stored article documents.
	texts := make(map[string][]string)
	for _, m := range s.Members {
		a, ok := joined[m.ArticleID]
		if !ok {
			if a, ok, err = ix.storedArticle(m.ArticleID); err != nil {
				return fmt.Errorf("apply %s: %w", s.ID, err)
			}
		}
		title := m.Title
		if title == "" {
			title = a.Title
		}
		lang := m.Lang
		if lang == "" {
			lang = a.Lang
		}
		t := strings.TrimSpace(title + "\n\n" + a.Text)
		if t == "" {
			continue
		}
		f := textField(lang)
		texts[f] = append(texts[f], t)
	}
	doc, err := storyDoc(s, texts, ev.At)
	if err != nil {
		return fmt.Errorf("apply %s: %w", s.ID, err)
	}
	if err := b.Index(storyPrefix+s.ID, doc); err != nil {
		return fmt.Errorf("apply %s: index story: %w", s.ID, err)
	}

	for _, gone := range absorbedIDs(ev) {
		b.Delete(storyPrefix + gone)
		if err := b.Index(aliasPrefix+gone, map[string]any{fieldKind: kindAlias, fieldTarget: s.ID}); err != nil {
			return fmt.Errorf("apply %s: index alias %s: %w", s.ID, gone, err)
		}
	}
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("apply %s v%d: %w", s.ID, s.Version, err)
	}
	return nil
}

// absorbedIDs are the stories that ev's story has swallowed: those named by a
// merge and those it lists as aliases (which covers merges of merges).
func absorbedIDs(ev story.Event) []string {
	seen := map[string]bool{ev.Story.ID: true}
	var ids []string
	for _, list := range [][]string{ev.Absorbed, ev.Story.Aliases} {
		for _, id := range list {
			if id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// storyDoc builds the bleve document of s; texts maps a text field to the
// members' texts in that language.
func storyDoc(s story.Story, texts map[string][]string, at time.Time) (map[string]any, error) {
	js, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode story: %w", err)
	}
	langs := make([]string, 0, len(s.Languages))
	seen := map[string]bool{}
	for _, l := range s.Languages {
		if n := normLang(l); n != "" && !seen[n] {
			seen[n] = true
			langs = append(langs, n)
		}
	}
	if len(langs) == 0 {
		for _, m := range s.Members {
			if n := normLang(m.Lang); n != "" && !seen[n] {
				seen[n] = true
				langs = append(langs, n)
			}
		}
		sort.Strings(langs)
	}
	doc := map[string]any{
		fieldKind:      kindStory,
		fieldHeadline:  s.Headline,
		fieldLanguages: langs,
		fieldSources:   s.Sources,
		fieldJSON:      string(js),
		fieldLastSeen:  indexable(s.LastSeen, s.FirstSeen, at),
		fieldFirstSeen: indexable(s.FirstSeen, s.LastSeen, at),
	}
	for f, ts := range texts {
		doc[f] = ts
	}
	return doc, nil
}

// bleve stores dates as nanoseconds since 1970 in an int64, so only these
// years can be indexed; others fall back rather than being silently dropped.
const (
	minYear = 1678
	maxYear = 2261
)

func inRange(t time.Time) bool { return !t.IsZero() && t.Year() >= minYear && t.Year() <= maxYear }

// indexable returns the first usable time, so every story has a date to sort
// on; the Unix epoch (oldest) when none is.
func indexable(ts ...time.Time) time.Time {
	for _, t := range ts {
		if inRange(t) {
			return t.UTC()
		}
	}
	return time.Unix(0, 0).UTC()
}
