package index

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"

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
	return ix.ApplyBatch([]story.Event{ev}, 0)
}

// ApplyBatch folds events, in order, into the index in one bleve batch: the
// result is the one Apply would give event by event, but each batch is
// analysed and persisted once, which is what makes a replay of a long
// stream (or a benchmark corpus) fast. When checkpoint is not 0 it is
// recorded in the same batch, so documents and checkpoint are durable
// together (on disk a moment after the call returns: see scorchConfig). An
// event without a story id fails the whole call before anything is
// written. With a refresh interval (SetRefresh) the events are taken to
// follow the previous batch's checkpoint in the stream; ApplyStream knows
// each event's own sequence.
func (ix *Index) ApplyBatch(evs []story.Event, checkpoint uint64) error {
	_, err := ix.ApplyStream(evs, nil, checkpoint)
	return err
}

// ApplyStream is ApplyBatch for events read from a stream: seqs holds each
// event's stream sequence (nil: unknown, taken to follow the last
// checkpoint), upTo the sequence the batch reaches (events skipped as
// undecodable included). It returns the checkpoint recorded: every event
// up to it is searchable, and the stream is to be replayed after it.
func (ix *Index) ApplyStream(evs []story.Event, seqs []uint64, upTo uint64) (uint64, error) {
	for i, ev := range evs {
		if ev.Story.ID == "" {
			return 0, fmt.Errorf("%w: event %d of %d has no story id", ErrInvalidEvent, i+1, len(evs))
		}
	}
	if seqs != nil && len(seqs) != len(evs) {
		return 0, fmt.Errorf("apply: %d sequences for %d events", len(seqs), len(evs))
	}
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()

	p := newPending(ix)
	for i, ev := range evs {
		seq := ix.upTo + 1 // the earliest this event can be
		if seqs != nil {
			seq = seqs[i]
		}
		if err := p.fold(ev, seq); err != nil {
			return 0, err
		}
	}
	// The checkpoint may reach upTo only if the batch goes in: a batch
	// that fails leaves it where it was, so that a retry of its events one
	// by one never records a checkpoint past one not yet applied.
	prev := ix.upTo
	ix.upTo = max(ix.upTo, upTo)
	cp, err := ix.commit(p, ix.now(), false)
	if err != nil {
		ix.upTo = prev
	}
	return cp, err
}

// commit writes what p folded, the stories deferred by the refresh
// interval excepted, and the deferred stories due by the time given (all
// of them when all is true), with the checkpoint, in one bleve batch; then
// updates the caches, the facet counts and the watchers. The caller holds
// applyMu.
func (ix *Index) commit(p *pending, by time.Time, all bool) (uint64, error) {
	now := ix.now()
	var writes []string // stories written (nil in p.stories: deleted)
	held := map[string]*deferredDoc{}
	for _, id := range p.order {
		s := p.stories[id]
		d, wasDeferred := ix.deferred[id]
		if s != nil && !all && ix.refresh > 0 && !p.prompt[id] {
			if last, ok := ix.writtenAt[id]; ok && now.Sub(last) < ix.refreshFor(s) {
				nd := &deferredDoc{s: s, seq: p.firstSeq[id], due: last.Add(ix.refreshFor(s))}
				if wasDeferred {
					nd.seq, nd.change = min(nd.seq, d.seq), d.change
				}
				if c, ok := p.lastChange[id]; ok {
					nd.change = c
				}
				held[id] = nd
				continue
			}
		}
		writes = append(writes, id)
	}
	var late []Change // announcements of deferred stories written now
	for id, d := range ix.deferred {
		if _, touched := p.stories[id]; touched || (!all && by.Before(d.due)) {
			continue
		}
		p.stories[id] = d.s
		writes = append(writes, id)
		late = append(late, d.change)
	}
	before := make(map[string]storedState, len(writes))
	after := make(map[string]*story.Story, len(writes))
	for _, id := range writes {
		st, err := p.indexed(id)
		if err != nil {
			return 0, fmt.Errorf("apply %s: %w", id, err)
		}
		before[id], after[id] = st, p.stories[id]
	}

	b, err := p.batch(writes)
	if err != nil {
		return 0, err
	}
	// The deferred set as it will be once the batch is in: the checkpoint
	// stays below its oldest event.
	ix.defMu.Lock()
	prev := ix.deferred
	next := make(map[string]*deferredDoc, len(prev)+len(held))
	for id, d := range prev {
		if _, written := after[id]; !written {
			next[id] = d
		}
	}
	for id, d := range held {
		next[id] = d
	}
	ix.deferred = next
	cp := ix.checkpointLocked()
	ix.deferred = prev // readers see the deferred versions until the batch is in
	ix.defMu.Unlock()
	if cp > 0 && cp != ix.recorded {
		var seq [8]byte
		binary.BigEndian.PutUint64(seq[:], cp)
		b.SetInternal(keyCheckpoint, seq[:])
	}
	if b.Size() > 0 {
		if err := ix.idx.Batch(b); err != nil {
			return 0, fmt.Errorf("apply %d stories: %w", len(writes), err)
		}
	}
	ix.defMu.Lock()
	ix.deferred = next
	ix.defMu.Unlock()
	if cp > 0 {
		ix.recorded = cp
	}

	for _, id := range p.artOrder {
		ix.bodies.put(id, memberTextOf(p.articles[id]))
	}
	for _, id := range writes {
		s := after[id]
		ix.states.put(id, stateOf(s))
		if s == nil {
			ix.recent.del(id)
			delete(ix.writtenAt, id)
		} else {
			ix.recent.put(id, s)
			if ix.refresh > 0 {
				ix.writtenAt[id] = now
			}
		}
	}
	if ix.refresh > 0 {
		for id, t := range ix.writtenAt {
			if now.Sub(t) >= ix.refresh*maxRefreshScale {
				delete(ix.writtenAt, id)
			}
		}
	}
	ix.tally.apply(before, after)
	changes := make([]Change, 0, len(p.changes)+len(late))
	for _, c := range p.changes {
		if _, deferred := held[c.StoryID]; !deferred {
			changes = append(changes, c)
		}
	}
	ix.watchers.notify(append(changes, late...))
	return cp, nil
}

// pending is what a batch has decided so far; lookups read it before the
// index, so a later event of the batch sees the earlier ones.
type pending struct {
	ix       *Index
	stories  map[string]*story.Story // nil: deleted (merged away) in this batch
	before   map[string]storedState  // the indexed state of each story read
	order    []string                // story ids in first-touch order
	articles map[string]article.Article
	artStory map[string]string // the story whose event carried each article
	artOrder []string
	aliases  map[string]string
	alOrder  []string
	// Per story: the sequence of its first event in the batch, whether a
	// merge touched it (merges are written at once), its latest change.
	firstSeq   map[string]uint64
	prompt     map[string]bool
	lastChange map[string]Change
	changes    []Change // in event order
	// drop lists other documents to delete (Prune: a pruned story's
	// articles and aliases).
	drop []string
}

func newPending(ix *Index) *pending {
	return &pending{
		ix: ix, stories: map[string]*story.Story{}, before: map[string]storedState{}, articles: map[string]article.Article{}, artStory: map[string]string{},
		aliases: map[string]string{}, firstSeq: map[string]uint64{}, prompt: map[string]bool{}, lastChange: map[string]Change{},
	}
}

// fold applies ev, whose stream sequence is seq, to the pending state; an
// event that changes nothing (stale version, or a story merged away) is
// dropped.
func (p *pending) fold(ev story.Event, seq uint64) error {
	s := ev.Story
	if _, absorbed, err := p.aliasTarget(s.ID); err != nil {
		return fmt.Errorf("apply %s: %w", s.ID, err)
	} else if absorbed {
		return nil
	}
	old, err := p.stored(s.ID)
	if err != nil {
		return fmt.Errorf("apply %s: %w", s.ID, err)
	}
	if ev.V < 2 {
		// A whole story: only a newer version counts.
		if old.found && s.Version <= old.version {
			return nil
		}
		s, _, _ = story.Fold(nil, ev)
	} else {
		// A change: folded onto the story as stored. Its members count
		// whatever its version (a member's event may land after a later
		// one of its story), so a stale event is read too; folding it
		// changes nothing unless it brings a member not held.
		folded, changed, err := p.foldChange(ev, old.found)
		if err != nil {
			return err
		}
		if !changed {
			// A replay over an index that holds the stream re-adds a moved
			// article to its first story (members are upserted whatever
			// the version) until the split comes again: its document must
			// follow the split-out story's event all the same.
			return p.repointSplit(ev)
		}
		s = folded
	}
	for _, a := range ev.Articles {
		if a.ID == "" {
			continue
		}
		if _, seen := p.articles[a.ID]; !seen {
			p.artOrder = append(p.artOrder, a.ID)
		}
		p.articles[a.ID] = a
		p.artStory[a.ID] = s.ID
	}
	if err := p.repointSplit(ev); err != nil {
		return err
	}
	p.setStory(s.ID, &s)
	if _, seen := p.firstSeq[s.ID]; !seen {
		p.firstSeq[s.ID] = seq
	}
	gone := absorbedIDs(ev)
	for _, id := range gone {
		if _, err := p.indexed(id); err != nil { // records its indexed state
			return fmt.Errorf("apply %s: %w", s.ID, err)
		}
		p.setStory(id, nil)
		if _, seen := p.aliases[id]; !seen {
			p.alOrder = append(p.alOrder, id)
		}
		p.aliases[id] = s.ID
	}
	if ev.Type == story.Merged || ev.Type == story.Split {
		p.prompt[s.ID] = true // members moved: written at once
	}
	typ := ev.Type
	if typ == "" {
		typ = story.Updated
	}
	c := Change{Type: typ, StoryID: s.ID, Version: s.Version, Headline: s.Headline,
		Absorbed: gone, Edit: ev.Edit, At: indexable(ev.At, s.LastSeen)}
	p.changes = append(p.changes, c)
	p.lastChange[s.ID] = c
	return nil
}

// foldChange folds the version 2 event ev onto the story it changes, as
// stored (found tells whether it is) or as the batch has left it.
func (p *pending) foldChange(ev story.Event, found bool) (story.Story, bool, error) {
	id := ev.Story.ID
	var prev *story.Story
	// A story this batch folded already is the batch's alone until commit:
	// its next event is folded in place (story.FoldOwned).
	owned := false
	if found {
		var err error
		if s, ok := p.stories[id]; ok && s != nil {
			prev, owned = s, true
		} else if prev, err = p.whole(id); err != nil {
			return story.Story{}, false, fmt.Errorf("apply %s: %w", id, err)
		}
	}
	// A merge too large for one message leaves members out; the absorbed
	// stories as stored still have them.
	var absorbed []*story.Story
	if ev.Type == story.Merged {
		for _, a := range ev.Absorbed {
			if st, err := p.whole(a); err != nil {
				return story.Story{}, false, fmt.Errorf("apply %s: %w", id, err)
			} else if st != nil {
				absorbed = append(absorbed, st)
			}
		}
	}
	fold := story.Fold
	if owned {
		fold = story.FoldOwned
	}
	s, changed, err := fold(prev, ev, absorbed...)
	if errors.Is(err, story.ErrNotHeld) {
		// The stream's start is gone (or the index began mid-stream):
		// the story as far as it is known, its size telling what lacks.
		s, changed, err = story.Fold(&story.Story{}, ev)
	}
	if err != nil {
		return story.Story{}, false, fmt.Errorf("apply %s: %w", id, err)
	}
	return s, changed, nil
}

// whole gives story id as the batch has left it, else its deferred
// version, else from the cache of
// recently written stories, else decoded from the index; nil when there is
// none. The story returned is shared: it must not be modified.
func (p *pending) whole(id string) (*story.Story, error) {
	if s, ok := p.stories[id]; ok {
		return s, nil
	}
	if d, ok := p.ix.deferred[id]; ok {
		return d.s, nil
	}
	if s, ok := p.ix.recent.get(id); ok {
		return s, nil
	}
	s, found, err := p.ix.storedStory(id)
	if err != nil || !found {
		return nil, err
	}
	p.ix.recent.put(id, &s)
	return &s, nil
}

func (p *pending) setStory(id string, s *story.Story) {
	if _, seen := p.stories[id]; !seen {
		p.order = append(p.order, id)
	}
	p.stories[id] = s
}

// stored gives the state of story id as the batch has left it so far:
// from the batch, else its deferred version, else as indexed.
func (p *pending) stored(id string) (storedState, error) {
	if s, ok := p.stories[id]; ok {
		return stateOf(s), nil
	}
	if d, ok := p.ix.deferred[id]; ok {
		return stateOf(d.s), nil
	}
	return p.indexed(id)
}

// indexed gives the state of story id's document before this batch: from
// the cache of recently written stories, else the index. The facet counts
// are updated from it.
func (p *pending) indexed(id string) (storedState, error) {
	if b, ok := p.before[id]; ok {
		return b, nil
	}
	st, ok := p.ix.states.get(id)
	if !ok {
		s, found, err := p.ix.storedStory(id)
		if err != nil {
			return storedState{}, err
		}
		if found {
			st = stateOf(&s)
		}
	}
	p.before[id] = st
	return st, nil
}

// repointSplit makes the documents of the articles of a story an editor
// split out (ev, its created event) lead to it: they came with the events
// of the story they left. An article never stored (or pruned) has none.
func (p *pending) repointSplit(ev story.Event) error {
	if ev.From == "" {
		return nil
	}
	for _, m := range ev.Story.Members {
		id := m.ArticleID
		if _, ok := p.articles[id]; !ok {
			a, found, err := p.ix.storedArticle(id)
			if err != nil {
				return fmt.Errorf("apply %s: %w", ev.Story.ID, err)
			}
			if !found {
				continue
			}
			p.articles[id] = a
			p.artOrder = append(p.artOrder, id)
		}
		p.artStory[id] = ev.Story.ID
	}
	return nil
}

// memberText gives what the story document needs of article id: from the
// batch, else the cache, else its stored document (then cached).
func (p *pending) memberText(id string) (memberText, error) {
	if a, ok := p.articles[id]; ok {
		return memberTextOf(a), nil
	}
	if t, ok := p.ix.bodies.get(id); ok {
		return t, nil
	}
	a, ok, err := p.ix.storedArticle(id)
	if err != nil || !ok {
		return memberText{}, err
	}
	t := memberTextOf(a)
	p.ix.bodies.put(id, t)
	return t, nil
}

func (p *pending) aliasTarget(id string) (string, bool, error) {
	if t, ok := p.aliases[id]; ok {
		return t, true, nil
	}
	return p.ix.aliasTarget(id)
}

// batch turns the pending state into one bleve batch: the articles, the
// documents of the stories in writes (deleted when nil), the aliases and
// the deletions of drop.
func (p *pending) batch(writes []string) (*bleve.Batch, error) {
	b := p.ix.idx.NewBatch()
	dupOf := map[string]map[string]string{} // per story: each member's duplicate_of
	for _, id := range p.artOrder {
		a := p.articles[id]
		sid := p.artStory[id]
		dups, ok := dupOf[sid]
		if !ok {
			dups = duplicates(p.stories[sid])
			dupOf[sid] = dups
		}
		doc, err := articleDoc(a, sid, copied(id, dups))
		if err != nil {
			return nil, fmt.Errorf("apply: %w", err)
		}
		if err := b.Index(articlePrefix+id, doc); err != nil {
			return nil, fmt.Errorf("apply: index article %s: %w", id, err)
		}
	}
	for _, id := range writes {
		s := p.stories[id]
		if s == nil {
			b.Delete(storyPrefix + id)
			continue
		}
		texts, err := p.texts(*s)
		if err != nil {
			return nil, fmt.Errorf("apply %s: %w", id, err)
		}
		p.ix.written.docs++
		for _, ts := range texts {
			for _, t := range ts {
				p.ix.written.textBytes += len(t)
			}
		}
		doc, err := storyDoc(*s, texts)
		if err != nil {
			return nil, fmt.Errorf("apply %s: %w", id, err)
		}
		d := document.NewDocument(storyPrefix + id)
		if err := p.ix.mapping.MapDocument(d, doc); err != nil {
			return nil, fmt.Errorf("apply %s: index story: %w", id, err)
		}
		p.ix.tokens.useTokenCache(d)
		if err := b.IndexAdvanced(d); err != nil {
			return nil, fmt.Errorf("apply %s: index story: %w", id, err)
		}
	}
	for _, id := range p.alOrder {
		if err := b.Index(aliasPrefix+id, map[string]any{fieldKind: kindAlias, fieldTarget: p.aliases[id]}); err != nil {
			return nil, fmt.Errorf("apply: index alias %s: %w", id, err)
		}
	}
	for _, id := range p.drop {
		b.Delete(id)
	}
	return b, nil
}

// texts lays out the story document's text (storyTitles).
func (p *pending) texts(s story.Story) (map[string][]string, error) {
	return storyTitles(s, p.memberText)
}

// storyTitles lays out a story document's text: every member's title,
// grouped by the text field of its language. Bodies are indexed once, in
// their articles' documents (articleDoc): a story's document is rewritten
// at every update, and with the bodies in it (up to 48 KB a story) that
// rewriting was a third of the pipeline's CPU. member gives an article's
// title and language, looked up only for a member whose event lacked its
// language.
func storyTitles(s story.Story, member func(id string) (memberText, error)) (map[string][]string, error) {
	texts := make(map[string][]string)
	for _, m := range s.Members {
		title, lang := strings.TrimSpace(m.Title), m.Lang
		if title == "" {
			continue
		}
		if lang == "" {
			a, err := member(m.ArticleID)
			if err != nil {
				return nil, err
			}
			lang = a.lang
		}
		f := titleField(lang)
		texts[f] = append(texts[f], title)
	}
	return texts, nil
}

// articleText is the text an article's document indexes: its title and,
// unless it is a near-duplicate of another member (a wire copy, whose
// body has its original's words), its body. Snippets are cut from it, so
// it depends on the article and that one fact alone.
func articleText(t memberText, copy bool) string {
	if copy {
		return strings.TrimSpace(t.title)
	}
	return strings.TrimSpace(t.title + "\n\n" + t.text)
}

// articleDoc builds the bleve document of article a, a member of story
// sid; copy tells that it is a near-duplicate of another member.
func articleDoc(a article.Article, sid string, copy bool) (map[string]any, error) {
	js, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("encode article %s: %w", a.ID, err)
	}
	doc := map[string]any{fieldKind: kindArticle, fieldJSON: string(js), fieldStory: sid}
	if a.URL != "" {
		doc[fieldURL] = article.CanonicalURL(a.URL)
	}
	if l := normLang(a.Lang); l != "" {
		doc[fieldLanguages] = l
	}
	if a.Source != "" {
		doc[fieldSources] = a.Source
	}
	if t := articleText(memberTextOf(a), copy); t != "" {
		doc[textField(a.Lang)] = t
	}
	if copy {
		doc[fieldTitleOnly] = "1"
	}
	return doc, nil
}

// duplicates maps each member of s to the member it duplicates ("" when
// none); nil for no story.
func duplicates(s *story.Story) map[string]string {
	if s == nil {
		return nil
	}
	dupOf := make(map[string]string, len(s.Members))
	for _, m := range s.Members {
		dupOf[m.ArticleID] = m.DuplicateOf
	}
	return dupOf
}

// copied tells whether member id is a near-duplicate of another member
// whose body is indexed: following duplicate_of within the story ends at a
// member that is no copy. A chain that leaves the story or loops is no
// copy, so that some member of it keeps its body.
func copied(id string, dupOf map[string]string) bool {
	next := dupOf[id]
	for range len(dupOf) {
		if next == "" || next == id {
			return false
		}
		up, member := dupOf[next]
		if !member {
			return false
		}
		if up == "" {
			return true
		}
		next = up
	}
	return false
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
func storyDoc(s story.Story, texts map[string][]string) (map[string]any, error) {
	js, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode story: %w", err)
	}
	last := storyTime(s)
	ft := termsOf(s)
	doc := map[string]any{
		fieldKind:      kindStory,
		fieldHeadline:  s.Headline,
		fieldLanguages: ft.langs,
		fieldSources:   ft.sources,
		fieldJSON:      string(js),
		fieldLastSeen:  last,
		fieldFirstSeen: indexable(s.FirstSeen, s.LastSeen),
		fieldUpdated:   sortKey(last),
		fieldFacet:     ft.values(),
		fieldID:        s.ID,
	}
	for f, ts := range texts {
		doc[f] = ts
	}
	return doc, nil
}

// storyTime is the time a story is ordered and filtered by: its last
// update, else its first sighting. It depends on the story alone, so the
// facet counts can be updated from stored stories.
func storyTime(s story.Story) time.Time { return indexable(s.LastSeen, s.FirstSeen) }

// storyLangs are the story's distinct, normalised languages, from its
// members when the story lists none.
func storyLangs(s story.Story) []string {
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
	return langs
}

// storySources are the story's distinct, non-empty sources.
func storySources(s story.Story) []string {
	out := make([]string, 0, len(s.Sources))
	seen := map[string]bool{}
	for _, src := range s.Sources {
		if src != "" && !seen[src] {
			seen[src] = true
			out = append(out, src)
		}
	}
	return out
}

// Keyword forms of a time: fixed-width UTC strings, so that their byte order
// is time order.
const (
	sortKeyLayout = "2006-01-02T15:04:05.000000000Z"
	hourKeyLayout = "2006-01-02T15"
)

func sortKey(t time.Time) string { return t.UTC().Format(sortKeyLayout) }
func hourKey(t time.Time) string { return t.UTC().Format(hourKeyLayout) }

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
