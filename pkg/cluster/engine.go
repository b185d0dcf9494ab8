// Package cluster groups articles into stories online, in one pass and
// across languages: each article joins the active story it resembles most,
// or founds a new one. It knows nothing of NATS.
package cluster

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// maxPosting bounds the stories scanned per feature during retrieval: a
// feature held by that many active stories tells none of them apart.
const maxPosting = 4096

// postingBudget bounds the stories one candidate lookup visits.
const postingBudget = 6000

// evidenceN is how many shared features a member's Evidence lists.
const evidenceN = 8

// entitiesN is how many entities a story lists.
const entitiesN = 10

// Stats describes the engine's state.
type Stats struct {
	ActiveStories  int // stories in the window, open to new articles
	RetiredStories int // stories out of the window, still resolvable
	Articles       int // articles active stories hold
	// Forgotten counts the members active stories let go (Config.Retain):
	// their announcements hold them, the engine no more.
	Forgotten int
	Known     int // article ids remembered for idempotency
	Features  int // distinct features in the dictionary
}

// Engine is the online clusterer. It is safe for concurrent use; Add calls
// are serialised.
type Engine struct {
	mu   sync.Mutex
	cfg  Config
	fx   *features.Extractor
	kw   [numKinds]float64
	dict *dictionary

	active    map[string]*storyState
	retired   map[string]*retiredStory
	aliases   map[string]string // absorbed story id → survivor id
	articleOf map[string]string // article id → id of the story it joined
	postings  [][]posting       // by feature id
	// slots numbers the active stories, so that postings hold an index
	// rather than a pointer: the largest structure of the engine then has
	// nothing for the garbage collector to scan. Freed slots are reused.
	slots     []*storyState
	freeSlots []uint32
	lsh       *lshIndex

	clock     time.Time // latest article time seen
	lastSweep time.Time
	// arrived is the latest fetch time seen (unix seconds; 0 while no
	// article had one), and arrivedSweep its value at the last sweep.
	// Articles of weeks past, fetched now (a new source's backfill, the
	// sample site), arrive in any order: a story whose articles are old
	// stays active until none has arrived for a window, or its later
	// articles would each find it retired.
	arrived, arrivedSweep int64
	seq                   uint64
	// rank holds, per slot, what candidate retrieval writes for every
	// posting it visits: a dense array of 8-byte entries (under a megabyte
	// for 100,000 stories) rather than a pointer chase into each story, the
	// hot loop's cache misses. touchedBits marks the slots the current
	// lookup touched, a bit each, so that a story's first visit tests a bit
	// in the L1 cache and only writes its entry, without first reading it.
	rank        []slotRank
	touchedBits []uint64
	touched     []uint32 // reused buffer of the slots a lookup touches
	ids         []uint32 // reused buffer of an article's feature ids
	av          vec      // reused buffer of its vector, which nothing keeps
	scratch     retrieval
	q           query // the article being assigned
	// sink keeps what touching reads (tail): loads whose result nothing
	// used would be compiled away.
	sink posting
	// langs holds one string per base language, which articles' and
	// stories' languages are made to share (canonLang).
	langs map[string]string
	// rep holds the footers learned from the articles' ends
	// (features.Repeats). Last: placed beside fx it shifted the hot fields
	// after it and cost BenchmarkAssign about a tenth.
	rep *features.Repeats
	// apart holds pairs of stories an editor split apart (Correct), which
	// the engine's own merges leave apart; by the ids they had then.
	apart [][2]string
	// corrected holds the ids of the latest corrections applied, oldest
	// first, so that one delivered again is recognised.
	corrected []string
	// forgotten holds the members let go from active stories, oldest
	// first, whose ids stay known a retention more (forgetMembers).
	forgotten []forgottenID
}

type retiredStory struct {
	s  story.Story
	at time.Time
}

// New returns an engine using fx to extract features. Zero fields of cfg
// take their defaults.
func New(cfg Config, fx *features.Extractor) *Engine {
	cfg = cfg.withDefaults()
	e := &Engine{
		cfg:       cfg,
		fx:        fx,
		dict:      newDictionary(),
		active:    make(map[string]*storyState),
		retired:   make(map[string]*retiredStory),
		aliases:   make(map[string]string),
		articleOf: make(map[string]string),
		lsh:       newLSHIndex(),
		rep:       features.NewRepeats(15),
	}
	kinds := map[string]uint8{
		features.KindEntity: kindEntity, features.KindPlace: kindPlace, features.KindDate: kindDate,
		features.KindNumber: kindNumber, features.KindTerm: kindTerm, features.KindCognate: kindCognate,
		features.KindLoc: kindLoc,
	}
	for i := range e.kw {
		e.kw[i] = 1
	}
	for k, w := range cfg.KindWeights {
		if id, ok := kinds[k]; ok {
			e.kw[id] = w
		}
	}
	return e
}

// StoryID is the id of the story an article founds: stable across runs.
func StoryID(articleID string) string {
	h := sha256.Sum256([]byte(articleID))
	return "s-" + hex.EncodeToString(h[:])[:12]
}

// retrieval holds the buffers candidate retrieval (and refresh) reuses
// from one article to the next, rather than allocating slices per article.
type retrieval struct {
	sorting vec // sortVec's
	packed  []uint64
	top     []weighted
	byLen   []weighted
	best    []ranked
	cands   []*storyState
	scored  []candidate   // AddPrepared's
	ents    []namedWeight // refresh's
	listed  []namedWeight // refresh's: the entities listed
}

// slotRank is a slot's entry in candidate retrieval.
type slotRank struct {
	acc float32 // partial score in the current lookup, if touched, else 0
	// inv is 1 / the story's full norm when last computed, or 0: beside
	// acc, so that scaling a touched story's score reads a line already
	// in the cache.
	inv float32
}

// candidate is an active story scored against the incoming article.
type candidate struct {
	st    *storyState
	score float64
	word  float64 // the rare words' part of score
}

// byScore orders candidates best first, as a stable sort keeps equal
// scores: generic, where sort.SliceStable swapped through reflection.
func byScore(a, b candidate) int {
	switch {
	case a.score > b.score:
		return -1
	case a.score < b.score:
		return 1
	}
	return 0
}

// Add assigns a to a story and returns the events it causes: Created or
// Updated, then Merged when the story converged with another. An id seen
// before changes nothing and returns an Updated event with its story as it
// is now, so that a redelivered article whose events were never published
// announces its story again (the events' ids make a repeat land once).
func (e *Engine) Add(a article.Article) ([]story.Event, error) {
	return e.AddPrepared(e.Prepare(a))
}

// Prepared is an article with what the engine computes from it alone: its
// features and shingles, about half the cost of adding it.
type Prepared struct {
	a  article.Article
	fs features.Set
	ks []keyed // fs's features weighed, in key order
	m  *member
	// names is fs.Names copied (slices of the text would keep it alive),
	// which the story the article founds takes as its own map, and sid
	// the id of that story: work moved out of the engine's lock. names is
	// nil once taken.
	names map[string]string
	sid   string
	runs  []uint64 // hashes of the text's last runs of words (Repeats)
	// Ref is where the caller can read the article again (the clustering
	// stage: its message's sequence in the ARTICLES stream); 0: nowhere.
	// The member keeps it: a split of a member whose vector was let go
	// needs its article read again (Recall).
	Ref uint64
}

// Prepare computes what depends on the article alone. It takes no lock, so
// a caller can prepare many articles at once and add them in order with
// AddPrepared, which gives the same result as Add.
func (e *Engine) Prepare(a article.Article) *Prepared {
	m := &member{articleID: a.ID, lang: features.BaseLang(a.Lang), headline: headlineOf(a)}
	m.sig, m.hasSig = minhash(a.Title, a.Text)
	fs, runs := e.fx.OfRepeats(a, e.rep)
	return &Prepared{a: a, fs: fs, ks: e.weigh(fs), m: m, names: ownNames(fs.Names), sid: StoryID(a.ID), runs: runs}
}

// ownNames copies an article's entity names, strings included.
func ownNames(names map[string]string) map[string]string {
	out := make(map[string]string, len(names))
	for k, n := range names {
		out[strings.Clone(k)] = strings.Clone(n)
	}
	return out
}

// takeNames returns p's copied names for a story to keep, copying them
// again if a previous add of p took them.
func (p *Prepared) takeNames() map[string]string {
	names := p.names
	if names == nil {
		names = ownNames(p.fs.Names)
	}
	p.names = nil
	return names
}

// AddPrepared is Add for a prepared article.
func (e *Engine) AddPrepared(p *Prepared) ([]story.Event, error) {
	a, m := p.a, p.m
	if a.ID == "" {
		return nil, ErrNoID
	}
	m.ref = p.Ref
	e.mu.Lock()
	defer e.mu.Unlock()
	if sid, seen := e.articleOf[a.ID]; seen {
		return e.again(a, sid), nil
	}
	if len(e.freeSlots) == 0 && len(e.slots) >= maxSlots {
		// Refused before anything is counted: the article may come again
		// once stories have aged out.
		return nil, fmt.Errorf("%w (%d): article %s", ErrFull, len(e.slots), a.ID)
	}
	// Counted after its own features: a footer is what other articles end with.
	defer e.rep.Learn(p.runs, keyHash(a.ID).h)
	at := e.timeOf(a)
	e.advance(at, arrivalOf(a))
	m.lang = e.canonLang(m.lang)

	av := e.vectorize(p.ks, m.lang)
	an := e.dict.norms(av)
	m.vec = scaled(av, an.full)
	e.q.spread(e.dict, av)
	defer e.q.clear(av)

	var dup *member
	if m.hasSig {
		dup = e.findDup(&m.sig)
	}
	cands := e.candidates(av)
	e.touch(cands)
	// Reused: a new slice per article was a seventh of what assignment
	// allocated. Cleared after, so that it holds no story alive.
	scored := slices.Grow(e.scratch.scored[:0], len(cands))
	defer func() {
		clear(scored)
		e.scratch.scored = scored[:0]
	}()
	for _, st := range cands {
		if !e.inTime(st, at) {
			continue
		}
		s, w := e.score(an, st, m.lang)
		scored = append(scored, candidate{st, s, w})
	}
	slices.SortStableFunc(scored, byScore)
	e.linkMembers(an, m.lang, scored)

	var target *storyState
	var score float64
	switch {
	case dup != nil:
		// A near-copy belongs with its original whatever the vectors say.
		target = dup.story
		score, _ = e.score(an, target, m.lang)
		m.dupOf = dup.articleID
	case len(scored) > 0 && scored[0].score >= e.cfg.Threshold:
		target, score = scored[0].st, scored[0].score
	}

	if target == nil {
		st := e.newStory(a, p.sid, at, m, p.takeNames(), av, an.full)
		e.articleOf[a.ID] = st.s.ID
		return []story.Event{{
			V: story.SchemaVersion, Type: story.Created, Story: st.change(st.s.Members),
			Articles: []article.Article{a}, At: at,
		}}, nil
	}

	evidence := e.evidence(av, an.full, target)
	e.join(target, a, at, m, p.takeNames(), score, evidence)
	e.articleOf[a.ID] = target.s.ID
	// The joining member is the last: members are kept in the order they
	// joined.
	events := []story.Event{{
		V: story.SchemaVersion, Type: story.Updated, Story: target.change(target.s.Members[len(target.s.Members)-1:]),
		Articles: []article.Article{a}, At: at,
	}}
	events = append(events, e.mergeAround(target, scored, at)...)
	return events, nil
}

// canonLang returns the engine's copy of a base language. Scoring compares
// the article's language with each candidate's: equal strings that share
// their bytes compare without reading them, where each story's own copy,
// somewhere in the heap, was one more cache miss per candidate.
func (e *Engine) canonLang(l string) string {
	if c, ok := e.langs[l]; ok {
		return c
	}
	if e.langs == nil {
		e.langs = make(map[string]string)
	}
	c := strings.Clone(l)
	e.langs[c] = c
	return c
}

// again re-announces the story of an article already assigned, active or
// retired, at the time the article joined it: the story's header as it is
// now, with the article's member, marked Repeat. Its first announcement may
// have been lost (a failed publish), and later events carry only their own
// members, so the member must come again.
func (e *Engine) again(a article.Article, sid string) []story.Event {
	var s *story.Story
	if st, ok := e.active[e.resolve(sid)]; ok {
		s = &st.s
	} else if r, ok := e.retired[e.resolve(sid)]; ok {
		s = &r.s
	} else {
		return nil
	}
	at := s.LastSeen
	var own []story.Member
	for i, m := range s.Members {
		if m.ArticleID == a.ID {
			at, own = m.Added, s.Members[i:i+1]
			break
		}
	}
	return []story.Event{{
		V: story.SchemaVersion, Type: story.Updated, Story: change(s, own), Repeat: true,
		Articles: []article.Article{a}, At: at,
	}}
}

// mergeAround merges into one the stories that target now resembles
// closely: a story that grew with this article may have converged with a
// runner-up candidate.
func (e *Engine) mergeAround(target *storyState, scored []candidate, at time.Time) []story.Event {
	var events []story.Event
	checked := 0
	for _, c := range scored {
		if checked == 3 {
			break
		}
		if c.st == target || c.st.gone || len(e.apart) > 0 && e.keptApart(target, c.st) {
			continue
		}
		checked++
		// Only a story the article itself could have joined is a merge
		// candidate: the article bridges the two. Rare words do not count
		// here: two events of one kind share them (a supermarket fire's
		// "blaze" and "arson"), so they pin an article to a story but do
		// not say that two stories are one.
		if c.score-c.word < e.cfg.Threshold {
			continue
		}
		bar := e.cfg.MergeThreshold
		if l := target.onlyLang(); l != "" && l == c.st.onlyLang() {
			bar = e.cfg.MergeOneLang
		}
		if e.storySim(target, c.st) < bar {
			continue
		}
		survivor, absorbed := target, c.st
		if older(absorbed, survivor) {
			survivor, absorbed = absorbed, survivor
		}
		e.merge(survivor, absorbed)
		target = survivor
		// The members that moved in are what changed (merge leaves the
		// absorbed story's list as it was).
		events = append(events, story.Event{
			V: story.SchemaVersion, Type: story.Merged, Story: survivor.change(absorbed.s.Members),
			Absorbed: []string{absorbed.s.ID}, At: at,
		})
	}
	return events
}

func older(a, b *storyState) bool {
	if !a.s.FirstSeen.Equal(b.s.FirstSeen) {
		return a.s.FirstSeen.Before(b.s.FirstSeen)
	}
	return a.seq < b.seq
}

// timeOf is the article's time: published, else fetched, else now.
func (e *Engine) timeOf(a article.Article) time.Time {
	switch {
	case a.Published != nil && !a.Published.IsZero():
		return *a.Published
	case a.Fetched != nil && !a.Fetched.IsZero():
		return *a.Fetched
	}
	return e.cfg.Now()
}

// noID stands for a key not yet interned.
const noID = ^uint32(0)

// keyed is a feature key with its kind- and tf-weight, before interning.
type keyed struct {
	key string
	h   keyHashes
	w   float64
}

// weigh lists the features of fs in key order with their kind- and
// tf-weights. It reads nothing mutable, so Prepare runs it outside the
// lock.
func (e *Engine) weigh(fs features.Set) []keyed {
	out := make([]keyed, 0, len(fs.Terms))
	for k, raw := range fs.Terms {
		if raw > 0 {
			out = append(out, keyed{k, keyHash(k), e.kw[kindOf(k)] * math.Log2(1+raw)})
		}
	}
	// Intern in key order, not map order: ids order equal weights (evidence,
	// candidates), so the same stream must give the same ids, in a replay
	// or after a snapshot alike.
	return sortKeyed(out)
}

// keyOrder is a feature's place in ks with the first 16 bytes of its key,
// big-endian and padded with zeros: a key's order among others is mostly
// that of these two integers, compared inline, where strings.Compare is a
// call per comparison. Holding no pointer, keyOrders also move without the
// write barriers that sorting the keyed values themselves paid while the
// collector was marking.
type keyOrder struct {
	hi, lo uint64
	i      int
}

// keyPrefix returns the bytes of key from i to i+8, big-endian, padded
// with zeros.
func keyPrefix(key string, i int) uint64 {
	if len(key) >= i+8 {
		b := key[i : i+8]
		return uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
			uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
	}
	var x uint64
	for j := i; j < i+8; j++ {
		x <<= 8
		if j < len(key) {
			x |= uint64(key[j])
		}
	}
	return x
}

// sortKeyed sorts ks by key (strings.Compare) and returns it.
// Integers padded with zeros order as their keys do: where two differ, the
// first byte they differ in is a key's own against a lesser byte or the
// padding of a key that ends there, a prefix of the other. Equal integers
// fall back to comparing the keys.
func sortKeyed(ks []keyed) []keyed {
	ords := make([]keyOrder, len(ks))
	for i, k := range ks {
		ords[i] = keyOrder{keyPrefix(k.key, 0), keyPrefix(k.key, 8), i}
	}
	slices.SortFunc(ords, func(a, b keyOrder) int {
		if a.hi != b.hi {
			return cmp.Compare(a.hi, b.hi)
		}
		if a.lo != b.lo {
			return cmp.Compare(a.lo, b.lo)
		}
		return strings.Compare(ks[a.i].key, ks[b.i].key)
	})
	// Move each key to its place, a cycle of the permutation at a time:
	// ks[j] takes ks[ords[j].i], and ords[j].i = -1 marks j as done.
	for i := range ords {
		if ords[i].i < 0 {
			continue
		}
		first := ks[i]
		for j := i; ; {
			k := ords[j].i
			ords[j].i = -1
			if k == i {
				ks[j] = first
				break
			}
			ks[j] = ks[k]
			j = k
		}
	}
	return ks
}

// vectorize interns the article's weighed features, counts them into
// document frequencies and returns its vector: the engine's buffer, valid
// until the next call.
func (e *Engine) vectorize(ks []keyed, lang string) vec {
	v := slices.Grow(e.av[:0], len(ks))
	now := e.clock.Unix()
	bit := e.dict.langBit(lang)
	// Look every key up first: the lookups do not depend on one another,
	// so their cache misses overlap, as they could not between interning
	// one feature and counting it. New keys are interned after, in key
	// order still (interning a key changes no other key's lookup).
	ids := e.ids[:0]
	for _, k := range ks {
		id, ok := e.dict.lookup(k.key, k.h)
		if !ok {
			id = noID
		}
		ids = append(ids, id)
	}
	e.ids = ids
	for i, k := range ks {
		id := ids[i]
		if id == noID {
			id = e.dict.intern(k.key, k.h)
		}
		e.dict.count(id)
		e.dict.stats[id].seen = now
		e.dict.seenIn(id, bit)
		if k.w > 0 {
			v = append(v, entry{id, float32(k.w)})
		}
	}
	e.dict.addDoc(bit)
	e.scratch.sorting = sortVec(v, e.scratch.sorting)
	e.av = v
	return v
}

// scaled returns v divided by n, so that each member adds a unit vector
// (at the idf of its day) to its story's centroid.
func scaled(v vec, n float64) vec {
	out := make(vec, len(v))
	if n == 0 {
		return out[:0]
	}
	for i, x := range v {
		out[i] = entry{x.id, float32(float64(x.w) / n)}
	}
	return out
}

// candidates retrieves, through the inverted index, the active stories that
// share the article's strongest features, best first. The slice returned is
// the engine's, valid until the next call. Only TopK features
// are looked up, so the cost does not grow with the number of stories.
func (e *Engine) candidates(av vec) []*storyState {
	// Heaviest first (ties by id), sorted as packed integers: the weight's
	// float32 bits, inverted, above the id. Weights are positive, so their
	// bits order as they do.
	r := &e.scratch
	packed := slices.Grow(r.packed[:0], len(av))[:len(av)]
	r.packed = packed
	for i, x := range av {
		packed[i] = uint64(^math.Float32bits(float32(float64(x.w)*e.dict.idf(x.id))))<<32 | uint64(x.id)
	}
	// Only the TopK smallest are kept: select them, then sort those alone
	// (the values are distinct, so the result is the full sort's).
	selectSmallest(packed, e.cfg.TopK)
	slices.Sort(packed[:min(len(packed), e.cfg.TopK)])
	top := r.top[:0]
	for _, p := range packed[:min(len(packed), e.cfg.TopK)] {
		id := uint32(p)
		top = append(top, weighted{id, float64(math.Float32frombits(^uint32(p >> 32)))})
	}
	r.top = top
	// Scan the rarest features first and stop taking long posting lists
	// once postingBudget stories were visited: the cost of a lookup stays
	// bounded however many stories are active, and a story worth scoring
	// shares some rare feature with the article.
	// A stable sort by length, as packed integers (the length above the
	// position): each list's length is read once, not once per comparison.
	order := packed[:len(top)] // packed is read no more
	var sink posting
	for i, t := range top {
		ps := e.postingsOf(t.id)
		order[i] = uint64(len(ps))<<32 | uint64(i)
		if len(ps) > 0 {
			sink ^= ps[0] // as tail does: the lists' first misses overlap
		}
	}
	e.sink = sink
	slices.Sort(order)
	byLen := slices.Grow(r.byLen[:0], len(top))[:len(top)]
	for i, o := range order {
		byLen[i] = top[uint32(o)]
	}
	r.byLen, top = byLen, byLen
	rank, bits := e.rank, e.touchedBits
	out := e.touched[:0]
	visits := 0
	for _, t := range top {
		ps := e.postingsOf(t.id)
		if len(ps) > maxPosting || (visits+len(ps) > postingBudget && len(out) > 0) {
			continue
		}
		visits += len(ps)
		out = tally(ps, t.w*e.dict.idf(t.id), rank, bits, slices.Grow(out, len(ps)))
	}
	e.touched = out[:0]
	// A partial cosine: the shared mass over the story's length. A stale
	// length is good enough to rank candidates. The best MaxCandidates are
	// kept as the scores are computed, without sorting every story touched
	// (with many active stories that can be thousands) or writing the
	// scores back.
	best := bestRanked(out, rank, bits, e.slots, slices.Grow(r.best[:0], e.cfg.MaxCandidates), e.cfg.MaxCandidates)
	r.best = best
	sts := slices.Grow(r.cands[:0], len(best))[:len(best)]
	r.cands = sts
	for i, c := range best {
		sts[i] = e.slots[c.slot]
	}
	return sts
}

// tally adds x times each posting's weight to its story's acc in rank,
// marking in bits and appending to out the stories first touched; out has
// room for them all, and every acc in rank is 0 before the story's first
// touch (bestRanked zeroes the ones it reads). A function of its own, with
// few values live, so that the compiler keeps them in registers: inside
// candidates the loop's index and slices were reloaded from the stack on
// every posting, and the append's call in the loop spilled them.
//
// It has no branch on whether a story was touched before: that branch
// went either way at random (a lookup touches thousands of stories, most
// once) and mispredicted about every other posting. Each slot is written to
// out and kept there only when its bit was clear, and acc starts from the
// 0 bestRanked left, which adds as the first sum was stored (0 + y is y).
func tally(ps []posting, x float64, rank []slotRank, bits []uint64, out []uint32) []uint32 {
	n := len(out)
	out = out[:cap(out)]
	for _, p := range ps {
		slot := p.slot()
		w := bits[slot/64]
		bits[slot/64] = w | 1<<(slot%64)
		out[n] = slot
		n += int(^(w >> (slot % 64)) & 1)
		rank[slot].acc += float32(x * p.weight())
	}
	return out[:n]
}

// ranked is a touched story with its partial cosine.
type ranked struct {
	score float32
	slot  uint32
}

// bestRanked scales the touched stories' sums in rank by their inverse
// lengths and keeps the best k in best, best first (better), clearing
// their marks in bits and their sums. A function of its own for the reason
// tally is; best has room for k.
func bestRanked(out []uint32, rank []slotRank, bits []uint64, slots []*storyState, best []ranked, k int) []ranked {
	for _, s := range out {
		bits[s/64] = 0 // ready for the next lookup
		c := ranked{rank[s].acc * rank[s].inv, s}
		rank[s].acc = 0 // tally's start for the next lookup
		// Most touched stories score below the k-th: one comparison
		// rejects them, as better would.
		if len(best) == k && (c.score < best[k-1].score || !better(slots, c, best[k-1])) {
			continue
		}
		i := len(best)
		for i > 0 && better(slots, c, best[i-1]) {
			i--
		}
		if len(best) < k {
			best = append(best, ranked{})
		}
		copy(best[i+1:], best[i:len(best)-1])
		best[i] = c
	}
	return best
}

// better orders candidates: higher score first, then older story.
func better(slots []*storyState, a, b ranked) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return slots[a.slot].seq < slots[b.slot].seq
}

// selectSmallest moves the k smallest of xs, which are distinct, to its
// front in some order: a quickselect.
func selectSmallest(xs []uint64, k int) {
	lo, hi := 0, len(xs)
	for hi-lo > 1 && k > lo && k < hi {
		// Median of three as pivot, moved to the end.
		m := lo + (hi-lo)/2
		if xs[m] < xs[lo] {
			xs[m], xs[lo] = xs[lo], xs[m]
		}
		if xs[hi-1] < xs[lo] {
			xs[hi-1], xs[lo] = xs[lo], xs[hi-1]
		}
		if xs[m] < xs[hi-1] {
			xs[m], xs[hi-1] = xs[hi-1], xs[m]
		}
		p := xs[hi-1]
		j := lo
		for i := lo; i < hi-1; i++ {
			if xs[i] < p {
				xs[i], xs[j] = xs[j], xs[i]
				j++
			}
		}
		xs[j], xs[hi-1] = xs[hi-1], xs[j]
		// xs[lo:j] < p = xs[j] < xs[j+1:hi]
		switch {
		case k <= j:
			hi = j
		default:
			lo = j + 1
		}
	}
}

// touch reads a word of every cache line of the candidates' centroids,
// and their times (inTime), before any is scored: these reads do not wait for one another, where
// scoring walks one centroid, scattered in a big heap, after another.
func (e *Engine) touch(cands []*storyState) {
	var sink posting
	for _, st := range cands {
		// inTime's fields lie two cache lines past those scoring reads.
		sink ^= posting(st.s.FirstSeen.Unix() ^ st.s.LastSeen.Unix())
		c := st.cent
		for i := 0; i < len(c); i += 8 {
			sink ^= posting(c[i].id)
		}
	}
	e.sink = sink
}

// linkMembers lets the best candidates score by their closest member too:
// a story's centroid blurs as it grows, and an article that closely follows
// one member (the same wire copy, the same angle in another language)
// belongs with it even when it resembles the mix less.
func (e *Engine) linkMembers(an sums, lang string, scored []candidate) {
	if e.cfg.MemberLinks <= 0 || e.cfg.MemberCandidates <= 0 {
		return
	}
	changed := false
	for i := range scored[:min(len(scored), e.cfg.MemberCandidates)] {
		c := &scored[i]
		ms := c.st.members
		if len(ms) < 2 {
			continue // the centroid is the member
		}
		if len(ms) > e.cfg.MemberLinks {
			ms = ms[len(ms)-e.cfg.MemberLinks:]
		}
		for _, m := range ms {
			dot, mn := e.q.dots(m.vec), e.memberNorms(m)
			p, w := e.bonuses(dot, an, mn, lang == m.lang)
			s := e.cfg.MemberWeight * (e.similarity(dot, an, mn, lang == m.lang) + p + w)
			if s > c.score {
				c.score, c.word = s, e.cfg.MemberWeight*w
				changed = true
			}
		}
	}
	if changed {
		slices.SortStableFunc(scored, byScore)
	}
}

// score compares the article being assigned (spread in e.q) with a
// story's centroid. It returns the score and the rare words' part of it.
func (e *Engine) score(an sums, st *storyState, lang string) (float64, float64) {
	var dot, sn sums
	if e.storyStale(st) {
		// Mostly so, with many stories: each is scored rarely.
		dot, sn = e.q.dotsNorms(e.dict, st.vector())
		e.setStoryNorms(st, sn)
	} else {
		dot, sn = e.q.dots(st.vector()), st.norms
	}
	p, w := e.bonuses(dot, an, sn, st.onlyLang() == lang)
	return e.similarity(dot, an, sn, st.onlyLang() == lang) + p + w, w
}

// storySim compares two stories' centroids as score compares an article
// with one.
func (e *Engine) storySim(a, b *storyState) float64 {
	la := a.onlyLang()
	dot, na, nb := e.dict.dots(a.vector(), b.vector()), e.storyNorms(a), e.storyNorms(b)
	// No pin bonus here: centroids pool the figures of all their members,
	// and two stories of one topic share some (docs/quality.md).
	return e.similarity(dot, na, nb, la != "" && la == b.onlyLang())
}

// similarity is the cosine over all features or, between languages and
// when higher, a cross-lingual score scaled by CrossLingual. Articles in
// different languages share no terms, and features seen in one language
// only ("ent:interno" against "ent:interieur") cannot match across them:
// the cross-lingual score divides the shared mass by the geometric mean of
// the lengths over cross-lingual features and over all
// language-independent ones, so that one-language features dilute it only
// half as much. (The cross-lingual length alone would flatter a cold
// stream, where the only features seen in two languages are the ones the
// pair shares.) Those short lengths also let one shared feature carry a
// pair, so a match resting on fewer than a few is scaled down
// (crossSupport). Within one language the cosine alone speaks: the
// cross-lingual score there only adds noise from shared names. Within one
// language names also weigh less (Config.NameWeight, sameLangCosine),
// unless both sides name where it happened and no place matches
// (placesDiffer): then the names are what tells two events of one kind
// apart (ecb+'s Waitrose fires of Banstead and of Wellington merged
// without this).
//
// The result is on a square-root scale: cosines of sparse vectors crowd
// near zero, and the root spreads them so that the score grows about
// linearly with how related two articles are. Decisions are unchanged by
// it, since thresholds are on the same scale.
func (e *Engine) similarity(dot, a, b sums, sameLang bool) float64 {
	var s float64
	if sameLang && !placesDiffer(dot, a, b) {
		s = e.sameLangCosine(dot, a, b)
	} else {
		s = cosine(dot.full, a.full, b.full)
	}
	if !sameLang {
		if den := a.kinds * b.kinds * a.cross * b.cross; den > 0 {
			s = math.Max(s, e.cfg.CrossLingual*dot.cross/math.Sqrt(den)*e.crossSupport(dot))
		}
	}
	if s <= 0 {
		return 0
	}
	return math.Sqrt(s)
}

// crossSupport scales a cross-lingual score by how many shared features
// it rests on: the effective number (Σp)²/Σp² of the cross-lingual
// features' products p is 1 when one feature carries the match and n when
// n features carry it equally; below Config.CrossSupport the score (a
// cosine, before similarity's square root) is scaled by its share of it.
func (e *Engine) crossSupport(dot sums) float64 {
	k := e.cfg.CrossSupport
	if k <= 0 || dot.crossSq <= 0 {
		return 1
	}
	return min(1, dot.cross*dot.cross/dot.crossSq/k)
}

// sameLangCosine is the cosine with names (entities) weighed
// Config.NameWeight times as much as between languages. Within one
// language a name is counted several times over: as the whole name, as
// each of its words, and again by its words' terms, cognates and glosses,
// so two reports about the same people ("Di Maio", "M5S") but different
// events scored as high as two reports of one event. Between languages
// names are among the few features two articles can share, and keep their
// weight. a and b are lengths (square roots), dot is squared.
func (e *Engine) sameLangCosine(dot, a, b sums) float64 {
	// The share of the names' squared weight left out.
	c := 1 - e.cfg.NameWeight*e.cfg.NameWeight
	if c == 0 {
		return cosine(dot.full, a.full, b.full)
	}
	na := a.full*a.full - c*a.ent*a.ent
	nb := b.full*b.full - c*b.ent*b.ent
	if na <= 0 || nb <= 0 {
		return 0
	}
	return (dot.full - c*dot.ent) / math.Sqrt(na*nb)
}

// storyNorms returns a story's idf-weighted centroid lengths, recomputed
// when the story changed, idf drifted or features became cross-lingual.
func (e *Engine) storyNorms(st *storyState) sums {
	if e.storyStale(st) {
		e.setStoryNorms(st, e.dict.norms(st.vector()))
	}
	return st.norms
}

// storyStale tells whether a story's cached lengths are to be recomputed.
func (e *Engine) storyStale(st *storyState) bool {
	return !st.normValid || e.dict.docs > st.normDocs*1.02+1 || st.normEpoch != e.dict.crossEpoch
}

// setStoryNorms caches n, just computed, as a story's lengths.
func (e *Engine) setStoryNorms(st *storyState, n sums) {
	st.norms = n
	if !st.gone {
		e.rank[st.slot].inv = inverse(n.full)
	}
	st.normDocs = e.dict.docs
	st.normEpoch = e.dict.crossEpoch
	st.normValid = true
}

// memberNorms returns a member's idf-weighted vector lengths, recomputed
// on the same terms as storyNorms.
func (e *Engine) memberNorms(m *member) sums {
	if !m.normValid || e.dict.docs > m.normDocs*1.02+1 || m.normEpoch != e.dict.crossEpoch {
		m.norms = e.dict.norms(m.vec)
		m.normDocs = e.dict.docs
		m.normEpoch = e.dict.crossEpoch
		m.normValid = true
	}
	return m.norms
}

// evidence lists the features the article shares with the story, with
// their share of the cosine.
func (e *Engine) evidence(av vec, aFull float64, st *storyState) []story.Evidence {
	sh := e.dict.shared(av, st.vector(), aFull, e.storyNorms(st).full, evidenceN)
	out := make([]story.Evidence, 0, len(sh))
	for _, x := range sh {
		out = append(out, story.Evidence{Feature: e.dict.keys[x.id], Weight: round(x.w)})
	}
	return out
}

// inverse is 1/x as candidate retrieval stores it, 0 for a zero length.
func inverse(x float64) float32 {
	if x <= 0 {
		return 0
	}
	return float32(1 / x)
}

func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// findDup returns the active member whose shingles overlap the signature's
// the most, if that overlap reaches DupThreshold. Ties go to the oldest
// story, then to the smallest article id: an order that does not depend on
// the index's history, so a restored engine decides alike.
func (e *Engine) findDup(sig *signature) *member {
	var best *member
	bestJ := 0.0
	e.lsh.each(sig, func(m *member) {
		j := sig.jaccard(&m.sig)
		if j > bestJ || (j == bestJ && best != nil && (m.story.seq < best.story.seq ||
			m.story.seq == best.story.seq && m.articleID < best.articleID)) {
			best, bestJ = m, j
		}
	})
	if best == nil || bestJ < e.cfg.DupThreshold {
		return nil
	}
	return best
}

// inTime reports whether an article of time at may join st: no more than a
// window before its first article or after its latest. Live, every article
// is recent and all active stories qualify; in a backfill, whose articles
// arrive in any order, a story keeps to its own weeks, so a report dated
// three weeks after a landslide does not join it on the places they share.
func (e *Engine) inTime(st *storyState, at time.Time) bool {
	return !at.Before(st.s.FirstSeen.Add(-e.cfg.Window)) && !at.After(st.s.LastSeen.Add(e.cfg.Window))
}

// arrivalOf is when the article was fetched (unix seconds), 0 if unknown.
func arrivalOf(a article.Article) int64 {
	if a.Fetched == nil || a.Fetched.IsZero() {
		return 0
	}
	return a.Fetched.Unix()
}

// advance moves the engine's clocks to at and arrived and, every eighth of
// a window of either, retires the stories that left the window and forgets
// the retired ones past retention. A story leaves the window when its
// latest article is a window older than the clock and, for articles with a
// fetch time, none arrived for a window either.
func (e *Engine) advance(at time.Time, arrived int64) {
	if at.After(e.clock) {
		e.clock = at
	}
	e.arrived = max(e.arrived, arrived)
	step := e.cfg.Window / 8
	if !e.lastSweep.IsZero() && e.clock.Sub(e.lastSweep) < step && time.Duration(e.arrived-e.arrivedSweep)*time.Second < step {
		return
	}
	e.lastSweep, e.arrivedSweep = e.clock, e.arrived
	cutoff := e.clock.Add(-e.cfg.Window)
	arrivedCutoff := e.arrived - int64(e.cfg.Window/time.Second)
	var out []*storyState
	for _, st := range e.active {
		if st.s.LastSeen.Before(cutoff) && (e.arrived == 0 || int64(st.arrived)*60 < arrivedCutoff) {
			out = append(out, st)
		}
	}
	// Retire in story order, not map order: removals reorder the LSH
	// buckets, whose order breaks ties between near-duplicates.
	slices.SortFunc(out, func(a, b *storyState) int { return cmp.Compare(a.seq, b.seq) })
	for _, st := range out {
		e.retire(st)
	}
	e.forgetMembers(minutes(cutoff.Add(-e.cfg.Retain)))
	forget := e.clock.Add(-e.cfg.Retain)
	e.expireForgotten(minutes(forget))
	for id, r := range e.retired {
		if r.at.Before(forget) {
			for _, m := range r.s.Members {
				delete(e.articleOf, m.ArticleID)
			}
			for _, al := range r.s.Aliases {
				delete(e.aliases, al)
			}
			delete(e.retired, id)
		}
	}
	e.dict.gc(cutoff.Unix())
}

// retire takes a story out of the index and keeps only its public view.
func (e *Engine) retire(st *storyState) {
	e.unpost(st)
	e.freeSlot(st)
	for _, m := range st.members {
		e.unref(m)
	}
	st.gone = true
	delete(e.active, st.s.ID)
	e.retired[st.s.ID] = &retiredStory{s: st.snapshot(), at: e.clock}
}

// unref releases what an active member holds: feature references and LSH
// buckets.
func (e *Engine) unref(m *member) {
	for _, x := range m.vec {
		e.dict.refs[x.id]--
	}
	if m.hasSig {
		e.lsh.remove(m)
	}
}

// addVec adds v (sorted) to a story's centroid, posting the story under
// each feature new to it. The merge runs from the back, in place, when the
// centroid has room: a growing story would otherwise reallocate its
// centroid for every article that joins.
func (e *Engine) addVec(st *storyState, v vec) {
	if len(st.cent) == 0 && st.at == nil {
		// A new story: its centroid is its founder's vector.
		st.cent, st.shared = v, true
		st.at = make([]int32, len(v))
		var sink posting
		for _, x := range v {
			sink ^= e.tail(x.id)
		}
		e.sink = sink
		for i, x := range v {
			st.at[i] = e.post(st, x.id, x.w)
		}
		return
	}
	fresh := 0 // features of v the centroid lacks
	var sink posting
	for i, j := 0, 0; j < len(v); {
		switch {
		case i < len(st.cent) && st.cent[i].id < v[j].id:
			i++
		case i < len(st.cent) && st.cent[i].id == v[j].id:
			// The feature's posting takes its new weight here, stored
			// whole (it holds the story's slot and the centroid weight's
			// step, nothing else): a store does not wait for the list's
			// line, as reading it first did. None when the weight stays
			// on its step, as a big story's do when a member adds little.
			c := st.cent[i]
			if w := c.w + v[j].w; quantize(w) != quantize(c.w) {
				e.postings[c.id][st.at[i]] = makePosting(st.slot, w)
			}
			i, j = i+1, j+1
		default:
			sink ^= e.tail(v[j].id)
			fresh++
			j++
		}
	}
	e.sink = sink
	n := len(st.cent) + fresh
	if st.shared || cap(st.cent) < n || cap(st.at) < n {
		// Room to grow by half: the next members merge in place.
		cent := make(vec, len(st.cent), n+n/2)
		copy(cent, st.cent)
		at := make([]int32, len(st.at), n+n/2)
		copy(at, st.at)
		st.cent, st.at, st.shared = cent, at, false
	}
	cent, at := st.cent[:n], st.at[:n]
	// k never passes i: the gap between them is the fresh features still
	// to place, so no entry is overwritten before it is read.
	for i, j, k := len(st.cent)-1, len(v)-1, n-1; j >= 0; k-- {
		switch {
		case i >= 0 && cent[i].id > v[j].id:
			cent[k], at[k] = cent[i], at[i]
			i--
		case i >= 0 && cent[i].id == v[j].id:
			cent[k], at[k] = entry{v[j].id, cent[i].w + v[j].w}, at[i] // posted above
			i, j = i-1, j-1
		default:
			cent[k] = v[j]
			at[k] = e.post(st, v[j].id, v[j].w)
			j--
		}
	}
	st.cent, st.at = cent, at
}

// tail reads the place where post will append under a feature: called
// for all of a vector's features before any is posted, these reads do not
// wait for one another, where the appends, each to its own page of a big
// index, missed the cache and the TLB one after another.
func (e *Engine) tail(id uint32) posting {
	if int(id) >= len(e.postings) {
		return 0
	}
	ps := e.postings[id]
	switch {
	case len(ps) < cap(ps):
		return ps[:len(ps)+1][len(ps)]
	case len(ps) > 0:
		return ps[len(ps)-1] // full: the append copies the list anyway
	}
	return 0
}

// post appends a story's posting under a feature and returns its index.
func (e *Engine) post(st *storyState, id uint32, w float32) int32 {
	if int(id) >= len(e.postings) {
		e.postings = slices.Grow(e.postings, int(id)+1-len(e.postings))[:id+1]
	}
	ps := append(e.postings[id], makePosting(st.slot, w))
	e.postings[id] = ps
	e.dict.refs[id]++ // a centroid holds the feature, whatever its members
	return int32(len(ps) - 1)
}

// postingsOf is the posting list of a feature.
func (e *Engine) postingsOf(id uint32) []posting {
	if int(id) < len(e.postings) {
		return e.postings[id]
	}
	return nil
}

// takeSlot gives a new story its slot.
func (e *Engine) takeSlot(st *storyState) {
	if n := len(e.freeSlots); n > 0 {
		st.slot = e.freeSlots[n-1]
		e.freeSlots = e.freeSlots[:n-1]
		e.slots[st.slot] = st
		e.rank[st.slot] = slotRank{}
		return
	}
	st.slot = uint32(len(e.slots))
	e.slots = append(e.slots, st)
	e.rank = append(e.rank, slotRank{})
	if n := (len(e.slots) + 63) / 64; len(e.touchedBits) < n {
		e.touchedBits = append(e.touchedBits, 0)
	}
}

// freeSlot releases the slot of a story that left the index.
func (e *Engine) freeSlot(st *storyState) {
	e.slots[st.slot] = nil
	e.freeSlots = append(e.freeSlots, st.slot)
}

// unpost takes a story out of the inverted index and empties its centroid.
func (e *Engine) unpost(st *storyState) {
	for i, c := range st.cent {
		e.unpostOne(c.id, st.at[i])
	}
	st.cent, st.at, st.shared = nil, nil, false
}

// removeWhere takes the features drop selects out of a story's centroid.
func (e *Engine) removeWhere(st *storyState, drop func(uint32) bool) {
	if st.shared {
		st.cent, st.shared = slices.Clone(st.cent), false
	}
	k := 0
	for i, c := range st.cent {
		if drop(c.id) {
			e.unpostOne(c.id, st.at[i])
			continue
		}
		st.cent[k], st.at[k] = c, st.at[i]
		k++
	}
	st.cent, st.at = st.cent[:k], st.at[:k]
}

// unpostOne removes the posting at index at of a feature's list in
// constant time: the last posting moves into its place, and its story
// learns the new index.
func (e *Engine) unpostOne(id uint32, at int32) {
	e.dict.refs[id]--
	ps := e.postings[id]
	last := len(ps) - 1
	if int(at) != last {
		moved := ps[last]
		ps[at] = moved
		mst := e.slots[moved.slot()]
		if k, ok := slices.BinarySearchFunc(mst.cent, id, func(x entry, id uint32) int { return cmp.Compare(x.id, id) }); ok {
			mst.at[k] = at
		}
	}
	ps[last] = 0
	ps = ps[:last]
	if len(ps) == 0 {
		e.postings[id] = nil // let the array go
	} else {
		e.postings[id] = ps
	}
}

// resolve follows merge aliases to the surviving story id.
func (e *Engine) resolve(id string) string {
	for range 64 {
		next, ok := e.aliases[id]
		if !ok {
			break
		}
		id = next
	}
	return id
}

// StoryOf returns the id of the story holding an article, following merges.
func (e *Engine) StoryOf(articleID string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	id, ok := e.articleOf[articleID]
	if !ok {
		return "", false
	}
	return e.resolve(id), true
}

// Story returns a story by id or by the id of a story merged into it.
func (e *Engine) Story(id string) (story.Story, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	id = e.resolve(id)
	if st, ok := e.active[id]; ok {
		return st.snapshot(), true
	}
	if r, ok := e.retired[id]; ok {
		return r.s.Clone(), true
	}
	return story.Story{}, false
}

// Stats reports the engine's size.
func (e *Engine) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := Stats{
		ActiveStories:  len(e.active),
		RetiredStories: len(e.retired),
		Known:          len(e.articleOf),
		Features:       e.dict.size(),
	}
	for _, st := range e.active {
		s.Articles += len(st.members)
		s.Forgotten += st.s.MembersOmitted
	}
	return s
}
