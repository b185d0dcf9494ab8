package cluster

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// member is an active article's private state beside its public Member.
type member struct {
	articleID string
	lang      string // base language
	story     *storyState
	headline  string
	vec       vec // unit vector (at join-time idf) added to the centroid
	sig       signature
	// The flags sit together beside lslot, without padding: the struct
	// stays in the 448-byte size class.
	hasSig bool
	// dropped tells that vec was let go: only a story's latest members
	// (MemberLinks) and its headline's holder are compared with again.
	dropped   bool
	normValid bool   // norms, normDocs and normEpoch hold
	lslot     uint32 // slot in the LSH index, when hasSig
	// joined is the engine's clock when the member joined, in minutes
	// since 1970: a member is let go a window and a retention after
	// (forgetMembers). Beside lslot: the struct stays in the 448-byte
	// size class.
	joined uint32
	dupOf  string
	ref    uint64 // Prepared.Ref: where its article can be read again
	// The vector's idf-weighted lengths, cached as a story's are
	// (Engine.memberNorms): an article is compared with up to 32 members.
	norms     sums
	normDocs  float64
	normEpoch uint64
}

// storyState is an active story: its public view, kept current, and what
// scoring needs.
//
// What scoring reads of each of an article's two dozen candidates (the
// centroid, whether its cached lengths are stale, the language) comes
// first, within 64 bytes, and the lengths right after: candidates are
// scattered in a big heap, and these fields, spread over the struct, were
// four cache misses a candidate where they are now two or three. The bools
// sit between them without padding. The struct is in the 448-byte size
// class.
type storyState struct {
	// cent is the centroid, sorted by feature id, and at[i] the index of
	// the story's posting in the list of feature cent[i].id. Sorted slices
	// rather than a map: a third of the memory, and scoring reads them as
	// they are. A story of one article shares that member's vector until a
	// second one joins (shared).
	cent      vec
	normDocs  float64
	normEpoch uint64
	slot      uint32 // index in Engine.slots while active
	normValid bool
	gone      bool   // retired or merged away
	mixed     bool   // members in more than one language
	shared    bool   // cent is the founder's vector
	lang      string // base language of the first member
	norms     sums
	at        []int32
	seq       uint64

	s       story.Story
	members []*member // parallel to s.Members
	vecs    int32     // members whose vector is kept
	// arrived is the latest fetch time of a member, in minutes since 1970
	// (0 if none had one): see Engine.arrived. 32 bits beside vecs, no
	// padding.
	arrived uint32
	names   map[string]string // entity key → surface form
	// past is what the members let go (forgetMembers) leave of the
	// header; nil while the story holds all its members.
	past *pastMembers
}

// onlyLang is the story's language when all its members share one, else
// "".
func (st *storyState) onlyLang() string {
	if st.mixed {
		return ""
	}
	return st.lang
}

// vector returns the centroid as a sorted vector.
func (st *storyState) vector() vec { return st.cent }

// newStory founds a story on one article.
// sid is StoryID(a.ID) and names the article's entity names, copied,
// which the story keeps.
func (e *Engine) newStory(a article.Article, sid string, at time.Time, m *member, names map[string]string, av vec, aFull float64) *storyState {
	e.seq++
	st := &storyState{
		s:   story.Story{ID: sid, FirstSeen: at, LastSeen: at},
		seq: e.seq,
	}
	// The founder shares nothing yet; its evidence is what it is about.
	var ev []story.Evidence // nil when empty, as the events carry it
	if sh := e.dict.shared(av, av, aFull, aFull, evidenceN); len(sh) > 0 {
		ev = make([]story.Evidence, 0, len(sh))
		for _, x := range sh {
			ev = append(ev, story.Evidence{Feature: e.dict.keys[x.id], Weight: round(x.w)})
		}
	}
	e.active[st.s.ID] = st
	e.takeSlot(st)
	e.addMember(st, a, at, m, names, 0, ev)
	return st
}

// join adds an article to an existing story.
func (e *Engine) join(st *storyState, a article.Article, at time.Time, m *member, names map[string]string, score float64, ev []story.Evidence) {
	e.addMember(st, a, at, m, names, score, ev)
}

// names are the article's entity names, copied: a new story takes the
// map.
func (e *Engine) addMember(st *storyState, a article.Article, at time.Time, m *member, names map[string]string, score float64, ev []story.Evidence) {
	m.story = st
	m.joined = minutes(e.clock)
	if len(st.members) == 0 {
		st.lang = m.lang
	} else if m.lang != st.lang {
		st.mixed = true
	}
	st.members = append(st.members, m)
	st.vecs++
	st.arrived = max(st.arrived, uint32(arrivalOf(a)/60))
	st.s.Members = append(st.s.Members, story.Member{
		ArticleID: a.ID, Title: a.Title, Lead: leadOf(a.Title, m.headline), URL: a.URL, Source: a.Source, Lang: a.Lang,
		Published: a.Published, Added: at, Score: round(score), DuplicateOf: m.dupOf, Evidence: ev,
	})
	for _, x := range m.vec {
		e.dict.refs[x.id]++
	}
	e.addVec(st, m.vec)
	if m.hasSig {
		e.lsh.add(m)
	}
	if st.names == nil {
		st.names = names
	} else {
		for k, n := range names {
			if _, ok := st.names[k]; !ok {
				st.names[k] = n
			}
		}
	}
	if at.Before(st.s.FirstSeen) {
		st.s.FirstSeen = at
	}
	if at.After(st.s.LastSeen) {
		st.s.LastSeen = at
	}
	st.s.Languages = insertSorted(st.s.Languages, a.Lang)
	st.s.Sources = insertSorted(st.s.Sources, a.Source)
	st.normValid = false
	e.prune(st)
	e.refresh(st, len(st.members)+st.s.MembersOmitted > 32) // big by its whole life: the members let go count
	e.trimVectors(st)
	st.s.Version++
}

// trimVectors lets go of the vectors no comparison will read again: all
// but those of the latest MemberLinks members and of the first member
// holding the headline, which the next headline challenger is measured
// against. A big story then costs a centroid and a few vectors, not one
// vector per article. The rule reads only the story's state, so a restored
// engine keeps the same vectors.
func (e *Engine) trimVectors(st *storyState) {
	keep := max(e.cfg.MemberLinks, 1)
	n := len(st.members)
	if n <= keep || int(st.vecs) <= keep+1 {
		return
	}
	headKept := false
	for _, m := range st.members[:n-keep] {
		if m.dropped {
			continue
		}
		if !headKept && m.headline == st.s.Headline {
			headKept = true
			continue
		}
		for _, x := range m.vec {
			e.dict.refs[x.id]--
		}
		m.vec, m.dropped = nil, true
		st.vecs--
	}
}

// merge moves absorbed's members and centroid into survivor; absorbed's id
// becomes an alias.
func (e *Engine) merge(survivor, absorbed *storyState) {
	v := absorbed.cent
	e.unpost(absorbed)
	e.freeSlot(absorbed)
	e.addVec(survivor, v)
	for _, m := range absorbed.members {
		m.story = survivor
	}
	if absorbed.mixed || absorbed.lang != survivor.lang {
		survivor.mixed = true
	}
	survivor.members = append(survivor.members, absorbed.members...)
	survivor.vecs += absorbed.vecs
	survivor.s.MembersOmitted += absorbed.s.MembersOmitted
	survivor.past = survivor.past.merge(absorbed.past)
	if absorbed.past != nil && absorbed.lang != survivor.lang {
		survivor.past.mixed = true
	}
	survivor.s.Members = append(survivor.s.Members, absorbed.s.Members...)
	// Keep members in arrival order, public and private views alike.
	idx := make([]int, len(survivor.members))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		return survivor.s.Members[idx[i]].Added.Before(survivor.s.Members[idx[j]].Added)
	})
	ms := make([]*member, len(idx))
	pub := make([]story.Member, len(idx))
	for i, k := range idx {
		ms[i], pub[i] = survivor.members[k], survivor.s.Members[k]
	}
	survivor.members, survivor.s.Members = ms, pub
	for k, n := range absorbed.names {
		if _, ok := survivor.names[k]; !ok {
			survivor.names[k] = n
		}
	}
	if absorbed.s.FirstSeen.Before(survivor.s.FirstSeen) {
		survivor.s.FirstSeen = absorbed.s.FirstSeen
	}
	if absorbed.s.LastSeen.After(survivor.s.LastSeen) {
		survivor.s.LastSeen = absorbed.s.LastSeen
	}
	survivor.arrived = max(survivor.arrived, absorbed.arrived)
	for _, l := range absorbed.s.Languages {
		survivor.s.Languages = insertSorted(survivor.s.Languages, l)
	}
	for _, s := range absorbed.s.Sources {
		survivor.s.Sources = insertSorted(survivor.s.Sources, s)
	}
	survivor.s.Aliases = append(survivor.s.Aliases, absorbed.s.ID)
	survivor.s.Aliases = append(survivor.s.Aliases, absorbed.s.Aliases...)
	for _, al := range append([]string{absorbed.s.ID}, absorbed.s.Aliases...) {
		e.aliases[al] = survivor.s.ID
	}
	survivor.s.Version = max(survivor.s.Version, absorbed.s.Version) + 1
	absorbed.gone = true
	delete(e.active, absorbed.s.ID)
	survivor.normValid = false
	e.prune(survivor)
	e.refresh(survivor, false)
	e.trimVectors(survivor)
}

// prune keeps a centroid to its MaxCentroid strongest features once it has
// grown half as big again, so story size and index size stay bounded.
func (e *Engine) prune(st *storyState) {
	limit := e.cfg.MaxCentroid
	if len(st.cent) <= limit+limit/2 {
		return
	}
	all := make([]weighted, 0, len(st.cent))
	for _, c := range st.cent {
		all = append(all, weighted{c.id, float64(c.w) * e.dict.idf(c.id)})
	}
	slices.SortFunc(all, byWeight)
	drop := make(map[uint32]bool, len(all)-limit)
	for _, x := range all[limit:] {
		drop[x.id] = true
	}
	e.removeWhere(st, func(id uint32) bool { return drop[id] })
	st.normValid = false
	e.pruneNames(st)
}

// pruneNames lets go of the written forms of names the centroid no longer
// holds, once there are more than it can: a story open for weeks gathers
// thousands, and the entities it lists come from the centroid. A name
// coming back takes the form of the article bringing it.
func (e *Engine) pruneNames(st *storyState) {
	if len(st.names) <= e.cfg.MaxCentroid {
		return
	}
	// A new map: one does not shrink as its keys are deleted.
	kept := make(map[string]string, len(st.cent))
	for k, n := range st.names {
		if id, ok := e.dict.lookup(k, keyHash(k)); ok {
			if _, in := slices.BinarySearchFunc(st.cent, id, func(c entry, id uint32) int { return cmp.Compare(c.id, id) }); in {
				kept[k] = n
			}
		}
	}
	st.names = kept
}

// refresh recomputes the headline (the title of the member closest to the
// centroid, a titled one before any untitled) and the top entities. For
// big stories only the newest member challenges the current headline,
// unless full is set.
func (e *Engine) refresh(st *storyState, incremental bool) {
	cv := st.vector()
	nf := e.storyNorms(st).full
	centrality := func(m *member) float64 {
		return cosine(e.dict.dotFull(m.vec, cv), e.memberNorms(m).full, nf)
	}
	best, bestC := -1, -1.0
	// An article's own title makes a better headline than the first words
	// of an untitled one (a plain text file), however central.
	titled := func(i int) bool { return st.s.Members[i].Lead == "" }
	better := func(i int, c float64) bool {
		if best < 0 {
			return true
		}
		if ti, tb := titled(i), titled(best); ti != tb {
			return ti
		}
		return c > bestC
	}
	switch {
	case len(st.members) == 1:
		best = 0 // the centroid is its only member: nothing to measure
	case incremental:
		for i, m := range st.members {
			if m.headline == st.s.Headline && !m.dropped {
				best, bestC = i, centrality(m)
				break
			}
		}
		last := len(st.members) - 1
		if c := centrality(st.members[last]); better(last, c) {
			best = last
		}
	default:
		for i, m := range st.members {
			if m.headline == "" || m.dropped {
				continue
			}
			if c := centrality(m); better(i, c) {
				best, bestC = i, c
			}
		}
	}
	if best >= 0 && st.members[best].headline != "" {
		st.s.Headline = st.members[best].headline
	}

	ents := e.scratch.ents[:0]
	defer func() { e.scratch.ents = ents[:0] }()
	for _, x := range cv {
		if e.dict.kind(x.id) == kindEntity {
			ents = append(ents, namedWeight{key: e.dict.keys[x.id], w: float64(x.w) * e.dict.idf(x.id), id: x.id})
		}
	}
	slices.SortFunc(ents, func(a, b namedWeight) int {
		if c := cmp.Compare(b.w, a.w); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	// Only the names topEntities reads need their languages.
	for i := range ents[:min(len(ents), 4*entitiesN)] {
		ents[i].langs = e.dict.stats[ents[i].id].langs
	}
	e.scratch.listed = topEntities(ents, entitiesN, e.scratch.listed[:0])
	st.s.Entities = st.s.Entities[:0]
	for _, x := range e.scratch.listed {
		w := float64(x.w)
		if nf > 0 {
			w /= nf
		}
		st.s.Entities = append(st.s.Entities, story.Entity{Name: display(x.key, st.names), Weight: round(w)})
	}
}

// namedWeight is a feature's key with its weight in a centroid, and the
// languages it was seen in (a bit each, as the dictionary counts them).
type namedWeight struct {
	key   string
	w     float64
	langs uint64
	id    uint32
}

// fullerShare is the share of a listed name's weight a fuller name holding
// it needs to take its place: most of the mentions of "Marchetti" are of
// "Léa Marchetti", while "Sanremo" stands alone beside "Sanremo
// International Open", and "Okafor" beside a sentence's "Late Okafor".
// On the sample site's stories the fuller names of people that took
// their surname's place held 0.93-0.99 of its weight, those left out
// 0.31-0.73: "Late Okafor" 0.73, and at a cost "Harbour Town" 0.72 beside
// the "Town" its report also writes alone.
const fullerShare = 0.75

// topEntities appends to out the n entities a story lists, from its entity
// features heaviest first (ents). A name's words are features of their own
// ("ent:saint rambert", "ent:saint", "ent:rambert") so that a later bare
// "Rambert" meets it; listed beside it they are noise to an editor. So a
// name within one already listed is left out, and a fuller name holding
// one already listed takes its place (keeping its weight and rank) when it
// has fullerShare of its weight, and is left out otherwise, with its
// other words. Reading stops once n are listed, and after the first 4n
// features: the list is rebuilt at every update.
func topEntities(ents []namedWeight, n int, out []namedWeight) []namedWeight {
	var kept [8]string
	left := kept[:0] // fuller names left out: their words go too
	for _, c := range ents[:min(len(ents), 4*n)] {
		if len(out) == n {
			break
		}
		cw := entityWords(c.key)
		covered, host := false, -1
		for i, x := range out {
			xw := entityWords(x.key)
			if wordsWithin(xw, cw) || spellingVariants(x, c) {
				covered = true
				break
			}
			if host < 0 && len(cw) > len(xw) && wordsWithin(cw, xw) {
				host = i
			}
		}
		for _, l := range left {
			covered = covered || wordsWithin(l, cw)
		}
		switch {
		case covered:
		case host >= 0:
			if c.w < fullerShare*out[host].w {
				// "Late" and "Harbour" are not listed on their own once
				// "Late Okafor" and "Harbour Town" were left out.
				left = append(left, cw)
				continue
			}
			out[host].key = c.key
			// Another listed name the fuller one holds goes ("Harbour"
			// and "Town", then "Harbour Town").
			out = slices.DeleteFunc(out, func(x namedWeight) bool {
				return x.key != c.key && wordsWithin(cw, entityWords(x.key))
			})
		case len(out) < n:
			out = append(out, c)
		}
	}
	return out
}

// spellingVariants tells whether two one-word names are one name spelt in
// two languages ("Europe" and "Europa", "Corse" and "Corsica", "Ligurie"
// and "Liguria"): seen in no language in common, and alike but for the
// end of the shorter, its last two letters at most, after four letters
// at least. Within a story those are the same place or people; two names
// of one language never are.
func spellingVariants(a, b namedWeight) bool {
	if a.langs&b.langs != 0 || a.langs == 0 || b.langs == 0 {
		return false
	}
	x, y := entityWords(a.key), entityWords(b.key)
	if strings.IndexByte(x, ' ') >= 0 || strings.IndexByte(y, ' ') >= 0 {
		return false
	}
	nx, ny := utf8.RuneCountInString(x), utf8.RuneCountInString(y)
	if nx > ny {
		x, y, nx, ny = y, x, ny, nx
	}
	p := 0 // letters in common at the start
	for i, r := range x {
		if r2, _ := utf8.DecodeRuneInString(y[i:]); r2 != r {
			break
		}
		p++
	}
	return p >= 4 && p >= nx-2 && ny-nx <= 3
}

// entityWords is an entity feature's folded name, its words one space apart.
func entityWords(key string) string {
	if i := strings.IndexByte(key, ':'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// wordsWithin tells whether the words of part appear, in order and
// together, among those of name ("rambert" in "saint rambert", not "ram").
func wordsWithin(name, part string) bool {
	if part == "" {
		return false
	}
	for from := 0; from+len(part) <= len(name); {
		i := strings.Index(name[from:], part)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(part)
		if (start == 0 || name[start-1] == ' ') && (end == len(name) || name[end] == ' ') {
			return true
		}
		from = start + 1
	}
	return false
}

// snapshot returns a copy of the public view that later changes do not
// touch.
func (st *storyState) snapshot() story.Story { return st.s.Clone() }

// change is what a version 2 event carries of st: its header, with members
// (those that changed) in place of the whole list, and its member count.
func (st *storyState) change(members []story.Member) story.Story { return change(&st.s, members) }

func change(s *story.Story, members []story.Member) story.Story {
	h := *s
	h.Members = nil
	h = h.Clone()
	h.Members = slices.Clone(members)
	// The members the engine let go count, but are not omitted from what
	// an event is: its changes.
	h.MemberCount = len(s.Members) + s.MembersOmitted
	h.MembersOmitted = 0
	return h
}

func insertSorted(list []string, v string) []string {
	if v == "" {
		return list
	}
	i, found := slices.BinarySearch(list, v)
	if found {
		return list
	}
	return slices.Insert(list, i, v)
}

// leadOf is what a member shows for its missing title: its headline, the
// first words of its text (headlineOf); nothing when it has a title.
func leadOf(title, headline string) string {
	if strings.TrimSpace(title) != "" {
		return ""
	}
	return headline
}

// headlineOf is an article's title or, lacking one, the start of its text.
func headlineOf(a article.Article) string {
	if t := strings.TrimSpace(a.Title); t != "" {
		return t
	}
	for _, line := range strings.Split(a.Text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if utf8.RuneCountInString(line) <= 140 {
			return strings.Clone(line) // not a slice keeping the text alive
		}
		cut := 0
		for i := range line {
			if utf8.RuneCountInString(line[:i]) >= 140 {
				break
			}
			if line[i] == ' ' {
				cut = i
			}
		}
		if cut == 0 {
			cut = len(line)
		}
		return line[:cut] + "…"
	}
	return ""
}
