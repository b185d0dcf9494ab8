package cluster

import (
	"cmp"
	"slices"
	"time"

	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// A story that never goes quiet (a war, a campaign) stays active for as
// long as articles keep coming, and held every member's record (title,
// link, evidence, signature) all that time: the engine grew with the
// story's life, not with the window. So a member is let go once it joined
// a window and a retention ago (Config.Window + Config.Retain, the time a
// quiet story's articles are held), unless it still has its vector: the
// story's latest MemberLinks members and its headline's holder, which
// scoring reads. Its announcement and the index keep it; the engine keeps
// its id, for idempotency, a retention more (forgottenID), and counts it
// in the story's MembersOmitted.

// forgottenID is a member let go, whose article id stays known until a
// retention after.
type forgottenID struct {
	id string
	at uint32 // engine clock when let go, minutes since 1970
}

// pastMembers is what the members a story let go leave of its header,
// which a split derives again from the members (reheader).
type pastMembers struct {
	first, last time.Time
	langs       []string // their languages, as members list them
	sources     []string
	mixed       bool // one of them was in another base language than the story's
}

// minutes is t in minutes since 1970, 0 before.
func minutes(t time.Time) uint32 {
	return uint32(max(0, t.Unix()/60))
}

// forgetMembers lets go of the members of active stories that joined
// before cutoff (minutes) and whose vectors were let go already.
func (e *Engine) forgetMembers(cutoff uint32) {
	var due []*storyState
	for _, st := range e.active {
		if slices.ContainsFunc(st.members, func(m *member) bool { return m.dropped && m.joined < cutoff }) {
			due = append(due, st)
		}
	}
	// In story order, not map order: removals reorder the LSH buckets,
	// whose order breaks ties between near-duplicates.
	slices.SortFunc(due, func(a, b *storyState) int { return cmp.Compare(a.seq, b.seq) })
	now := minutes(e.clock)
	for _, st := range due {
		n := 0
		for i, m := range st.members {
			if !m.dropped || m.joined >= cutoff {
				st.members[n], st.s.Members[n] = m, st.s.Members[i]
				n++
				continue
			}
			e.unref(m)
			m.story = nil
			st.past = st.past.add(st.s.Members[i], st.lang)
			st.s.MembersOmitted++
			e.forgotten = append(e.forgotten, forgottenID{id: m.articleID, at: now})
		}
		st.members, st.s.Members = shrink(st.members, n), shrink(st.s.Members, n)
	}
}

// shrink cuts s to its first n elements, clearing the rest so that they
// hold nothing alive, and moves them to a smaller array when most of it
// would stand empty.
func shrink[T any](s []T, n int) []T {
	clear(s[n:])
	s = s[:n]
	if cap(s) > 64 && n < cap(s)/4 {
		s = append(make([]T, 0, 2*n), s...)
	}
	return s
}

// add records a member let go; lang is its story's base language.
func (p *pastMembers) add(m story.Member, lang string) *pastMembers {
	if p == nil {
		p = &pastMembers{first: m.Added, last: m.Added}
	}
	if m.Added.Before(p.first) {
		p.first = m.Added
	}
	if m.Added.After(p.last) {
		p.last = m.Added
	}
	p.langs = insertSorted(p.langs, m.Lang)
	p.sources = insertSorted(p.sources, m.Source)
	if m.Lang != "" && features.BaseLang(m.Lang) != lang {
		p.mixed = true
	}
	return p
}

// merge adds q, the past of a story merged into p's.
func (p *pastMembers) merge(q *pastMembers) *pastMembers {
	if q == nil {
		return p
	}
	if p == nil {
		c := *q
		c.langs, c.sources = slices.Clone(q.langs), slices.Clone(q.sources)
		return &c
	}
	if q.first.Before(p.first) {
		p.first = q.first
	}
	if q.last.After(p.last) {
		p.last = q.last
	}
	for _, l := range q.langs {
		p.langs = insertSorted(p.langs, l)
	}
	for _, s := range q.sources {
		p.sources = insertSorted(p.sources, s)
	}
	p.mixed = p.mixed || q.mixed
	return p
}

// expireForgotten forgets the ids of members let go before cutoff
// (minutes): an article delivered again after that is new.
func (e *Engine) expireForgotten(cutoff uint32) {
	n := 0
	for n < len(e.forgotten) && e.forgotten[n].at < cutoff {
		delete(e.articleOf, e.forgotten[n].id)
		n++
	}
	e.forgotten = slices.Delete(e.forgotten, 0, n)
}
