package cluster

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// ErrUnknownStory is returned by Correct for a story id the engine never
// held (or has forgotten: see Config.Retain).
var ErrUnknownStory = errors.New("cluster: unknown story")

// ErrUnknownArticle is returned by Correct for an article id the engine
// never clustered (or has forgotten with its story).
var ErrUnknownArticle = errors.New("cluster: unknown article")

// ErrInactive is returned by Correct for a story that has left the active
// window: the engine keeps its public view but no longer its vectors, so
// it can take no article, no merge and no split.
var ErrInactive = errors.New("cluster: story no longer active")

// ErrAlreadyOne is returned by Correct for a merge whose stories are
// already one (the same id twice, or a story and one merged into it).
var ErrAlreadyOne = errors.New("cluster: already one story")

// ErrSplit is returned by Correct for a split the engine cannot make: the
// articles are in several stories, or are the whole story, or one joined
// so long ago that its vector is no longer kept (a story keeps those of its
// latest MemberLinks members and of its headline's) and its article was
// not given again (Recall), so its words cannot be taken out of the story.
var ErrSplit = errors.New("cluster: cannot split")

// Correct applies an editor's correction, checked whole before anything
// changes, so that it applies entirely or not at all; the errors say what
// stood in the way. Like Add, it is deterministic: applied again to the
// same state at the same place in the stream, it gives the same stories.
//
// A merge makes the stories one as the engine's own merges do: the story
// first seen survives, the others become its aliases, and one merged event
// per absorbed story says so.
//
// A split moves articles of one story out into a new story: their vectors
// leave the story's centroid, the new story is announced by a created
// event (From: the story they left; the event carries no article, their
// texts came with the story's earlier events), then the story by a split
// event (Removed, Into). The two stories are kept apart from then on: the
// engine never merges them again, though an editor may.
//
// A member whose vector was let go (only a story's latest MemberLinks
// members and its headline's holder keep theirs) is moved with its article
// read again: Recall names those articles, and recalled gives them
// prepared. Their words then leave the story as they weigh today, where
// the story took them in at the weights of the day they joined: the two
// differ as far as the features' document frequencies moved in between.
//
// Every event names the correction (Edit) and carries its time.
//
// A correction is applied once: delivered again (its input's ack lost
// after its events were stored), it changes nothing and gives no event.
func (e *Engine) Correct(c story.Correction, recalled ...*Prepared) ([]story.Event, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if slices.Contains(e.corrected, c.ID) {
		return nil, nil
	}
	var evs []story.Event
	var err error
	if c.Op == story.OpSplit {
		evs, err = e.splitOut(c, recalled)
	} else {
		evs, err = e.mergeStories(c)
	}
	if err == nil {
		if len(e.corrected) == maxCorrected {
			e.corrected = slices.Delete(e.corrected, 0, 1)
		}
		e.corrected = append(e.corrected, c.ID)
	}
	return evs, err
}

// Recall names the articles a split must be given again (Correct's
// recalled), with the Ref each was added with (0: none was given): the
// members it moves whose vectors were let go. Nil when there are none, or
// for anything but a split.
func (e *Engine) Recall(c story.Correction) map[string]uint64 {
	if c.Op != story.OpSplit {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var out map[string]uint64
	for _, aid := range c.Articles {
		sid, ok := e.articleOf[aid]
		if !ok {
			continue
		}
		st, ok := e.active[e.resolve(sid)]
		if !ok {
			continue
		}
		for _, m := range st.members {
			if m.articleID == aid && m.dropped {
				if out == nil {
					out = map[string]uint64{}
				}
				out[aid] = m.ref
			}
		}
	}
	return out
}

// revector is the vector p's article adds to a centroid at today's idf,
// built without counting its features again (they were counted when it
// came) and without the features the engine has forgotten since (no
// centroid holds them).
func (e *Engine) revector(p *Prepared) vec {
	v := make(vec, 0, len(p.ks))
	for _, k := range p.ks {
		if id, ok := e.dict.lookup(k.key, k.h); ok && k.w > 0 {
			v = append(v, entry{id, float32(k.w)})
		}
	}
	sortVec(v, nil)
	return scaled(v, e.dict.norms(v).full)
}

// maxCorrected bounds the corrections remembered as applied: a
// redelivery comes within seconds, and editors make a few a day.
const maxCorrected = 1024

// activeStory is the active story id names (through aliases).
func (e *Engine) activeStory(id string) (*storyState, error) {
	sid := e.resolve(id)
	if st, ok := e.active[sid]; ok {
		return st, nil
	}
	if _, retired := e.retired[sid]; retired {
		return nil, fmt.Errorf("%w: %s (older than the clustering window)", ErrInactive, id)
	}
	return nil, fmt.Errorf("%w: %s", ErrUnknownStory, id)
}

func (e *Engine) mergeStories(c story.Correction) ([]story.Event, error) {
	var sts []*storyState
	for _, id := range c.Stories {
		st, err := e.activeStory(id)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(sts, st) {
			sts = append(sts, st)
		}
	}
	if len(sts) < 2 {
		return nil, fmt.Errorf("%w: %s all lead to %s", ErrAlreadyOne, strings.Join(c.Stories, ", "), sts[0].s.ID)
	}
	slices.SortStableFunc(sts, func(a, b *storyState) int {
		if older(a, b) {
			return -1
		}
		if older(b, a) {
			return 1
		}
		return 0
	})
	survivor := sts[0]
	events := make([]story.Event, 0, len(sts)-1)
	for _, absorbed := range sts[1:] {
		e.merge(survivor, absorbed)
		events = append(events, story.Event{
			V: story.SchemaVersion, Type: story.Merged, Story: survivor.change(absorbed.s.Members),
			Absorbed: []string{absorbed.s.ID}, Edit: c.Edit(), At: c.At,
		})
	}
	return events, nil
}

func (e *Engine) splitOut(c story.Correction, recalled []*Prepared) ([]story.Event, error) {
	var origin *storyState
	out := map[string]bool{}
	for _, aid := range c.Articles {
		sid, ok := e.articleOf[aid]
		if !ok {
			return nil, fmt.Errorf("%w: %s", ErrUnknownArticle, aid)
		}
		st, err := e.activeStory(sid)
		if err != nil {
			return nil, fmt.Errorf("article %s: %w", aid, err)
		}
		if origin == nil {
			origin = st
		} else if st != origin {
			return nil, fmt.Errorf("%w: %s is in %s, %s in %s: split one story at a time", ErrSplit, c.Articles[0], origin.s.ID, aid, st.s.ID)
		}
		out[aid] = true
	}
	for _, aid := range c.Articles {
		if !slices.ContainsFunc(origin.members, func(m *member) bool { return m.articleID == aid }) {
			return nil, fmt.Errorf("%w: %s joined %s more than %v ago: the engine lets go of an open story's older articles then, and keeps its latest %d",
				ErrSplit, aid, origin.s.ID, e.cfg.Window+e.cfg.Retain, max(e.cfg.MemberLinks, 1))
		}
	}
	var moved, kept []*member
	var movedPub, keptPub []story.Member
	again := map[*member]vec{} // the vectors of members that had let theirs go
	for i, m := range origin.members {
		if !out[m.articleID] {
			kept, keptPub = append(kept, m), append(keptPub, origin.s.Members[i])
			continue
		}
		if m.dropped {
			k := slices.IndexFunc(recalled, func(p *Prepared) bool { return p != nil && p.a.ID == m.articleID })
			if k < 0 {
				return nil, fmt.Errorf("%w: %s joined %s %d articles before its latest: the engine keeps the vectors of a story's latest %d articles only, and its article could not be read again to take its words out",
					ErrSplit, m.articleID, origin.s.ID, len(origin.members)-1-i, max(e.cfg.MemberLinks, 1))
			}
			again[m] = e.revector(recalled[k])
		}
		moved, movedPub = append(moved, m), append(movedPub, origin.s.Members[i])
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("%w: %s are all of %s", ErrSplit, strings.Join(c.Articles, ", "), origin.s.ID)
	}
	if len(e.freeSlots) == 0 && len(e.slots) >= maxSlots {
		return nil, fmt.Errorf("%w (%d)", ErrFull, len(e.slots))
	}

	// The story without them. A member left that was a near-copy of one
	// that moved is no longer marked so (the index leaves a copy's body
	// out of its story's text): the split event carries it changed.
	origin.members, origin.s.Members = kept, keptPub
	for _, m := range moved {
		if v, ok := again[m]; ok {
			m.vec, m.dropped, m.normValid = v, false, false
			for _, x := range v {
				e.dict.refs[x.id]++ // a kept vector holds its features
			}
		} else {
			origin.vecs--
		}
		e.subVec(origin, m.vec)
	}
	var unmarked []story.Member
	for i, m := range kept {
		if m.dupOf != "" && out[m.dupOf] {
			m.dupOf, keptPub[i].DuplicateOf = "", ""
			unmarked = append(unmarked, keptPub[i])
		}
	}
	e.reheader(origin)
	origin.s.Version++

	// Their own story, founded by the first of them.
	e.seq++
	ns := &storyState{s: story.Story{ID: StoryID(c.ID + "/" + moved[0].articleID)}, seq: e.seq,
		arrived: origin.arrived, names: maps.Clone(origin.names)}
	e.active[ns.s.ID] = ns
	e.takeSlot(ns)
	for i, m := range moved {
		pub := movedPub[i]
		pub.Score = 0 // placed by an editor, not by similarity
		if m.dupOf != "" && !out[m.dupOf] {
			m.dupOf, pub.DuplicateOf = "", "" // its original stays behind
		}
		m.story = ns
		ns.members, ns.s.Members = append(ns.members, m), append(ns.s.Members, pub)
		ns.vecs++
		e.addVec(ns, m.vec)
		e.articleOf[m.articleID] = ns.s.ID
	}
	e.reheader(ns)
	for i, m := range ns.members {
		// What ties each to the new story (the founder: what it is about).
		full := e.memberNorms(m).full
		sh := e.dict.shared(m.vec, ns.vector(), full, e.storyNorms(ns).full, evidenceN)
		ev := make([]story.Evidence, 0, len(sh))
		for _, x := range sh {
			ev = append(ev, story.Evidence{Feature: e.dict.keys[x.id], Weight: round(x.w)})
		}
		ns.s.Members[i].Evidence = ev
	}
	ns.s.Version = 1
	// Pairs whose stories are both forgotten say nothing any more.
	e.apart = slices.DeleteFunc(e.apart, func(p [2]string) bool { return !e.held(p[0]) && !e.held(p[1]) })
	e.apart = append(e.apart, [2]string{origin.s.ID, ns.s.ID})

	removed := make([]string, len(moved))
	for i, m := range moved {
		removed[i] = m.articleID
	}
	return []story.Event{
		{V: story.SchemaVersion, Type: story.Created, Story: ns.change(ns.s.Members), From: origin.s.ID, Edit: c.Edit(), At: c.At},
		{V: story.SplitSchemaVersion, Type: story.Split, Story: origin.change(unmarked), Removed: removed, Into: ns.s.ID, Edit: c.Edit(), At: c.At},
	}, nil
}

// reheader derives a story's header and flags from its members after a
// split changed them: languages, sources, first and last seen, then the
// headline and entities from the centroid.
func (e *Engine) reheader(st *storyState) {
	st.s.Languages, st.s.Sources = nil, nil
	st.mixed = false
	if p := st.past; p != nil {
		// The members let go count as they were; the story's language
		// stays its first member's.
		st.s.Languages, st.s.Sources = slices.Clone(p.langs), slices.Clone(p.sources)
		st.s.FirstSeen, st.s.LastSeen = p.first, p.last
		st.mixed = p.mixed
	}
	for i, m := range st.members {
		pub := st.s.Members[i]
		if i == 0 && st.past == nil {
			st.lang = m.lang
			st.s.FirstSeen, st.s.LastSeen = pub.Added, pub.Added
		} else if m.lang != st.lang {
			st.mixed = true
		}
		if pub.Added.Before(st.s.FirstSeen) {
			st.s.FirstSeen = pub.Added
		}
		if pub.Added.After(st.s.LastSeen) {
			st.s.LastSeen = pub.Added
		}
		st.s.Languages = insertSorted(st.s.Languages, pub.Lang)
		st.s.Sources = insertSorted(st.s.Sources, pub.Source)
	}
	st.normValid = false
	e.refresh(st, false)
	// The headline's holder may have left, with every member whose vector
	// refresh could measure: the first member left gives it then.
	if !slices.ContainsFunc(st.members, func(m *member) bool { return m.headline == st.s.Headline }) {
		for _, m := range st.members {
			if m.headline != "" {
				st.s.Headline = m.headline
				break
			}
		}
	}
}

// subVec takes a member's vector v (sorted) out of a story's centroid, the
// inverse of addVec: a feature left with no weight leaves the centroid and
// its posting list; a feature pruned from the centroid earlier has nothing
// to take.
func (e *Engine) subVec(st *storyState, v vec) {
	if st.shared {
		st.cent, st.shared = slices.Clone(st.cent), false
	}
	var gone map[uint32]bool
	for _, x := range v {
		k, ok := slices.BinarySearchFunc(st.cent, x.id, func(c entry, id uint32) int { return cmp.Compare(c.id, id) })
		if !ok {
			continue
		}
		w := st.cent[k].w - x.w
		if w <= minCentroidWeight {
			if gone == nil {
				gone = map[uint32]bool{}
			}
			gone[x.id] = true
			continue
		}
		if quantize(w) != quantize(st.cent[k].w) {
			e.postings[x.id][st.at[k]] = makePosting(st.slot, w)
		}
		st.cent[k].w = w
	}
	if gone != nil {
		e.removeWhere(st, func(id uint32) bool { return gone[id] })
	}
}

// minCentroidWeight is what float32 sums leave of a weight taken out
// whole: a feature at or under it is gone from the centroid.
const minCentroidWeight = 1e-5

// held tells whether the engine still holds story id (through aliases),
// active or retired.
func (e *Engine) held(id string) bool {
	id = e.resolve(id)
	_, active := e.active[id]
	_, retired := e.retired[id]
	return active || retired
}

// keptApart tells that an editor split one of the two stories out of the
// other: the engine does not merge them again.
func (e *Engine) keptApart(a, b *storyState) bool {
	for _, p := range e.apart {
		x, y := e.resolve(p[0]), e.resolve(p[1])
		if x == a.s.ID && y == b.s.ID || x == b.s.ID && y == a.s.ID {
			return true
		}
	}
	return false
}
