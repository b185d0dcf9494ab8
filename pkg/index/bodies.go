package index

import (
	"container/list"
	"sync"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// lru is a map bounded in bytes (as sizeOf estimates them) that drops the
// least recently used entries first. Not safe for concurrent use.
type lru[V any] struct {
	limit, size int
	sizeOf      func(key string, v V) int
	order       *list.List // of *lruEntry[V], most recently used first
	byKey       map[string]*list.Element
}

type lruEntry[V any] struct {
	key  string
	val  V
	size int
}

func newLRU[V any](limit int, sizeOf func(string, V) int) *lru[V] {
	return &lru[V]{limit: limit, sizeOf: sizeOf, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *lru[V]) get(key string) (V, bool) {
	el, ok := c.byKey[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*lruEntry[V]).val, true
}

func (c *lru[V]) put(key string, v V) {
	if el, ok := c.byKey[key]; ok {
		c.remove(el)
	}
	e := &lruEntry[V]{key: key, val: v, size: c.sizeOf(key, v)}
	if e.size > c.limit {
		return
	}
	c.byKey[key] = c.order.PushFront(e)
	c.size += e.size
	for c.size > c.limit {
		c.remove(c.order.Back())
	}
}

func (c *lru[V]) del(key string) {
	if el, ok := c.byKey[key]; ok {
		c.remove(el)
	}
}

func (c *lru[V]) remove(el *list.Element) {
	e := el.Value.(*lruEntry[V])
	c.order.Remove(el)
	delete(c.byKey, e.key)
	c.size -= e.size
}

// entryOverhead is roughly what an lru entry holds besides its key and
// value's own bytes: the entry, its list element and its map slot.
const entryOverhead = 160

// memberText is what the index needs of a member's article: for its
// story's titles and for snippets of its own text.
type memberText struct {
	title, lang, text string
}

func memberTextOf(a article.Article) memberText {
	return memberText{title: a.Title, lang: a.Lang, text: a.Text}
}

// bodyCache keeps the member texts of recently indexed articles, so that
// the snippets of a search (cut from rebuilt texts, highlight.go) and a
// story's titles of members whose events lacked their language find them
// here rather than read back from their stored article documents and
// decoded. Searches read it, so it has a lock of its own rather than the
// apply lock.
type bodyCache struct {
	mu  sync.Mutex
	lru *lru[memberText]
}

func newBodyCache(limit int) *bodyCache {
	return &bodyCache{lru: newLRU(limit, func(id string, t memberText) int {
		return len(id) + len(t.title) + len(t.lang) + len(t.text) + entryOverhead
	})}
}

func (c *bodyCache) get(id string) (memberText, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.get(id)
}

func (c *bodyCache) put(id string, t memberText) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.put(id, t)
}

func (c *bodyCache) del(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.del(id)
}

// storedState is what a batch needs to know of a stored story: whether it
// exists, its version (is an event newer?) and the terms the facet counts
// hold for it (see tally.apply).
type storedState struct {
	found   bool
	version int
	terms   facetTerms
}

func stateOf(s *story.Story) storedState {
	if s == nil {
		return storedState{}
	}
	return storedState{found: true, version: s.Version, terms: termsOf(*s)}
}

// newStateCache keeps the stored state of recently written stories, so
// that an update of one need not read back and decode the whole stored
// story (hundreds of members for a large one) to learn its version.
func newStateCache(limit int) *lru[storedState] {
	return newLRU(limit, func(id string, s storedState) int {
		n := len(id) + len(s.terms.hour) + entryOverhead
		for _, v := range s.terms.langs {
			n += len(v) + 16
		}
		for _, v := range s.terms.sources {
			n += len(v) + 16
		}
		return n
	})
}

// newStoryCache keeps recently written stories whole, since a version 2
// event is folded onto the story it changes: the stories being updated are
// nearly always recent, found here rather than read back from the index
// and decoded (a story of hundreds of members is hundreds of KB of JSON).
// A story's size is estimated from its strings and a fixed cost per member
// and evidence entry.
func newStoryCache(limit int) *lru[*story.Story] {
	return newLRU(limit, func(id string, s *story.Story) int {
		n := len(id) + len(s.Headline) + 256 + entryOverhead
		for _, v := range s.Languages {
			n += len(v) + 16
		}
		for _, v := range s.Sources {
			n += len(v) + 16
		}
		for _, e := range s.Entities {
			n += len(e.Name) + 24
		}
		for _, a := range s.Aliases {
			n += len(a) + 16
		}
		for i := range s.Members {
			m := &s.Members[i]
			n += len(m.ArticleID) + len(m.Title) + len(m.Lead) + len(m.URL) + len(m.Source) + len(m.Lang) + len(m.DuplicateOf) + 176
			for _, e := range m.Evidence {
				n += len(e.Feature) + 24
			}
		}
		return n
	})
}
