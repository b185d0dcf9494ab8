package cluster

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/fnv"
	"io"
	"maps"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// SnapshotVersion is the version of the snapshot format WriteSnapshot
// writes. ReadSnapshot reads only this version: a snapshot is a cache of
// what replaying the article stream rebuilds, so an old one is dropped
// rather than converted.
const SnapshotVersion = 12

// snapshotMagic opens every snapshot, before the version.
const snapshotMagic = "NDCLSNAP"

// snapshotEnd closes the body, so that a truncated snapshot is told from a
// complete one.
const snapshotEnd = "END."

// Body compression, one byte after the version.
const (
	compressNone byte = 0
	compressGzip byte = 1
)

// Errors of ReadSnapshot. All but ErrNotEmpty mean the snapshot cannot be
// used and the state must be rebuilt from the stream instead.
var (
	// ErrSnapshotVersion: the snapshot was written in another format version.
	ErrSnapshotVersion = errors.New("cluster: unsupported snapshot format version")
	// ErrSnapshotConfig: the snapshot was taken by an engine with another
	// configuration or feature kinds, whose decisions this one would not
	// continue.
	ErrSnapshotConfig = errors.New("cluster: snapshot taken with another engine configuration")
	// ErrSnapshotCorrupt: the snapshot is truncated or inconsistent.
	ErrSnapshotCorrupt = errors.New("cluster: corrupt snapshot")
	// ErrNotEmpty: ReadSnapshot needs a freshly constructed engine.
	ErrNotEmpty = errors.New("cluster: engine already holds state")
)

// WriteSnapshot writes the engine's whole state, everything that bears on
// its future decisions, so that ReadSnapshot into a new engine of the same
// configuration continues exactly as this one would. Add waits meanwhile.
//
// The body is not compressed: its encoding is compact already (varints,
// id deltas, weight palettes), and gzip saves about 2 % more for twice the
// time (BenchmarkSnapshot). ReadSnapshot reads gzip bodies too.
func (e *Engine) WriteSnapshot(w io.Writer) error {
	return e.writeSnapshot(w, compressNone)
}

func (e *Engine) writeSnapshot(w io.Writer, compression byte) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	hw := &hashWriter{w: w, h: crc32.New(castagnoli)}
	var head [len(snapshotMagic) + binary.MaxVarintLen64 + 1]byte
	n := copy(head[:], snapshotMagic)
	n += binary.PutUvarint(head[n:], SnapshotVersion)
	head[n] = compression
	if _, err := hw.Write(head[:n+1]); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	var body io.Writer = hw
	var zw *gzip.Writer
	if compression == compressGzip {
		// Level 1: the signatures and ids are incompressible hashes and
		// deltas; higher levels cost time for little.
		zw, _ = gzip.NewWriterLevel(hw, gzip.BestSpeed)
		body = zw
	}
	sw := newSnapWriter(body)
	e.encode(sw)
	sw.flush()
	if zw != nil && sw.err == nil {
		sw.err = zw.Close()
	}
	if sw.err == nil {
		// The checksum of everything before closes the snapshot.
		_, sw.err = w.Write(binary.LittleEndian.AppendUint32(nil, hw.h.Sum32()))
	}
	if sw.err != nil {
		return fmt.Errorf("write snapshot: %w", sw.err)
	}
	return nil
}

// ReadSnapshot loads a snapshot written by WriteSnapshot into an engine
// fresh from New with the same configuration. Derived indexes (postings,
// document-frequency logarithms, the id map) are rebuilt. The snapshot is
// checked whole (a CRC-32C closes it); on any error the engine is left
// empty and usable.
func (e *Engine) ReadSnapshot(r io.Reader) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.active) > 0 || len(e.retired) > 0 || len(e.articleOf) > 0 || e.dict.docs > 0 || len(e.dict.keys) > 0 || e.seq > 0 {
		return ErrNotEmpty
	}
	hr := &tailHashReader{r: r, h: crc32.New(castagnoli)}
	br := bufio.NewReaderSize(hr, 1<<16)
	magic := make([]byte, len(snapshotMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != snapshotMagic {
		return fmt.Errorf("%w: not a clustering snapshot", ErrSnapshotCorrupt)
	}
	v, err := binary.ReadUvarint(br)
	if err != nil {
		return fmt.Errorf("%w: no version: %w", ErrSnapshotCorrupt, err)
	}
	if v != SnapshotVersion {
		return fmt.Errorf("%w: version %d, this build reads version %d", ErrSnapshotVersion, v, SnapshotVersion)
	}
	c, err := br.ReadByte()
	if err != nil {
		return fmt.Errorf("%w: no compression byte: %w", ErrSnapshotCorrupt, err)
	}
	sr := &snapReader{r: br}
	switch c {
	case compressNone:
	case compressGzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrSnapshotCorrupt, err)
		}
		defer zr.Close()
		zr.Multistream(false) // the checksum follows
		sr.r = bufio.NewReaderSize(zr, 1<<16)
	default:
		return fmt.Errorf("%w: unknown compression %d", ErrSnapshotCorrupt, c)
	}
	st, err := e.decode(sr)
	if err != nil && (st == nil || !errors.Is(err, ErrSnapshotConfig)) {
		// A corrupt body may decode into nonsense before it fails: say so
		// rather than what the nonsense looked like.
		if !errors.Is(err, ErrSnapshotCorrupt) {
			if _, cerr := io.Copy(io.Discard, br); cerr != nil || !hr.ok() {
				return fmt.Errorf("%w: checksum mismatch", ErrSnapshotCorrupt)
			}
		}
		return err
	}
	if sr.r != br {
		if n, err := io.Copy(io.Discard, sr.r); err != nil || n > 0 {
			return fmt.Errorf("%w: %d bytes after the end (%v)", ErrSnapshotCorrupt, n, err)
		}
	}
	if n, err := io.Copy(io.Discard, br); err != nil || n != 4 {
		return fmt.Errorf("%w: %d bytes where the checksum should be (%v)", ErrSnapshotCorrupt, n, err)
	}
	if !hr.ok() {
		return fmt.Errorf("%w: checksum mismatch", ErrSnapshotCorrupt)
	}
	if err != nil {
		return err // the configuration differs: told once the snapshot proved intact
	}
	e.dict, e.active, e.retired, e.aliases, e.articleOf = st.dict, st.active, st.retired, st.aliases, st.articleOf
	e.apart, e.corrected, e.forgotten = st.apart, st.corrected, st.forgotten
	e.postings, e.lsh = st.postings, st.lsh
	e.slots, e.freeSlots = st.slots, nil
	for _, st := range e.active {
		st.lang = e.canonLang(st.lang)
		for _, m := range st.members {
			m.lang = e.canonLang(m.lang)
		}
	}
	e.rank = make([]slotRank, len(e.slots))
	e.touchedBits = make([]uint64, (len(e.slots)+63)/64)
	for i, s := range e.slots {
		if s != nil {
			e.rank[i].inv = inverse(s.norms.full)
		}
	}
	e.clock, e.lastSweep, e.seq = st.clock, st.lastSweep, st.seq
	e.arrived, e.arrivedSweep = st.arrived, st.arrivedSweep
	return nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// hashWriter hashes what it writes.
type hashWriter struct {
	w io.Writer
	h hash.Hash32
}

func (w *hashWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	w.h.Write(p[:n])
	return n, err
}

// tailHashReader hashes what it reads but for the last four bytes, the
// checksum, which it holds back until more comes or the input ends.
type tailHashReader struct {
	r    io.Reader
	h    hash.Hash32
	tail []byte
}

func (t *tailHashReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n >= 4 {
		t.h.Write(t.tail)
		t.h.Write(p[:n-4])
		t.tail = append(t.tail[:0], p[n-4:n]...)
		return n, err
	}
	var small [8]byte
	all := append(append(small[:0], t.tail...), p[:n]...)
	if k := len(all) - 4; k > 0 {
		t.h.Write(all[:k])
		all = all[k:]
	}
	t.tail = append(t.tail[:0], all...)
	return n, err
}

// ok tells, once the input was read to its end, whether the held-back
// checksum matches.
func (t *tailHashReader) ok() bool {
	return len(t.tail) == 4 && binary.LittleEndian.Uint32(t.tail) == t.h.Sum32()
}

// configPrint fingerprints what shapes decisions in a configuration.
func (e *Engine) configPrint() uint64 {
	c := e.cfg
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%d|%g|%g|%g|%d|%d|%d|%g|%d|%d|%g|", c.Window, c.Retain, c.Threshold, c.MergeThreshold,
		c.DupThreshold, c.MaxCandidates, c.TopK, c.MaxCentroid, c.CrossLingual, c.MemberLinks, c.MemberCandidates, c.MemberWeight)
	fmt.Fprintf(&b, "%v", e.kw)
	fmt.Fprintf(&b, "|pin %g", c.PinBonus)
	fmt.Fprintf(&b, "|word %g", c.WordBonus)
	fmt.Fprintf(&b, "|merge1 %g|names %g", c.MergeOneLang, c.NameWeight)
	if c.CrossSupport > 0 {
		fmt.Fprintf(&b, "|support %g", c.CrossSupport)
	}
	if e.fx != nil {
		fmt.Fprintf(&b, "|lex %s", e.fx.LexiconPrint())
	}
	h := fnv.New64a()
	h.Write([]byte(b.String()))
	return h.Sum64()
}

// Story flag bits.
const (
	flagMixed            byte = 1 << 0
	flagNormValid        byte = 1 << 3
	flagCentroidIsMember byte = 1 << 4 // one member whose vector is the centroid: not written twice
	flagPast             byte = 1 << 5 // members were let go: what they leave of the header follows
)

// Member flag bits.
const (
	flagSig         byte = 1 << iota
	flagHeadline         // the headline is not the trimmed title
	flagDropped          // the member's vector was let go
	flagMemberNorms      // the member's cached lengths follow its vector
)

// encode writes the body. Maps are written in a fixed order, so that one
// state always gives the same bytes.
func (e *Engine) encode(w *snapWriter) {
	w.u64(e.configPrint())
	w.uvarint(e.seq)
	w.time(e.clock)
	w.time(e.lastSweep)
	w.varint(e.arrived)
	w.varint(e.arrivedSweep)

	d := e.dict
	w.uvarint(uint64(len(d.keys)))
	for id, k := range d.keys {
		w.str(k)
		if k == "" {
			continue // a recycled id: intern resets it before reuse
		}
		w.byte(d.kind(uint32(id)))
		w.count(d.stats[id].df)
		w.varint(int64(d.refs[id]))
		w.varint(e.clock.Unix() - d.stats[id].seen) // small: seen lags the clock
		w.uvarint(d.stats[id].langs)
	}
	w.uvarint(uint64(len(d.free)))
	for _, id := range d.free {
		w.uvarint(uint64(id))
	}
	langs := slices.SortedFunc(maps.Keys(d.langBits), func(a, b string) int { return cmp.Compare(d.langBits[a], d.langBits[b]) })
	w.uvarint(uint64(len(langs)))
	for _, l := range langs {
		w.str(l)
		w.uvarint(d.langBits[l])
		w.count(d.langDocs[bits.TrailingZeros64(d.langBits[l])])
	}
	w.uvarint(d.crossEpoch)
	w.count(d.docs)

	clockMin := minutes(e.clock)
	stories := slices.SortedFunc(maps.Values(e.active), func(a, b *storyState) int { return cmp.Compare(a.seq, b.seq) })
	w.uvarint(uint64(len(stories)))
	for _, st := range stories {
		if len(st.members) != len(st.s.Members) {
			w.err = fmt.Errorf("story %s: %d members for %d public ones", st.s.ID, len(st.members), len(st.s.Members))
			return
		}
		w.uvarint(st.seq)
		w.story(&st.s)
		flags := byte(0)
		if st.mixed {
			flags |= flagMixed
		}
		if st.normValid {
			flags |= flagNormValid
		}
		// The founder's vector is the centroid until another member joins
		// or pruning shrinks it.
		if st.shared {
			flags |= flagCentroidIsMember
		}
		if st.past != nil {
			flags |= flagPast
		}
		w.byte(flags)
		w.str(st.lang)
		w.uvarint(uint64(st.arrived))
		w.norms(st.norms, st.normDocs, st.normEpoch)
		names := slices.Sorted(maps.Keys(st.names))
		w.uvarint(uint64(len(names)))
		for _, k := range names {
			w.str(k)
			w.str(st.names[k])
		}
		if p := st.past; p != nil {
			w.time(p.first)
			w.time(p.last)
			w.strs(p.langs)
			w.strs(p.sources)
			mixed := byte(0)
			if p.mixed {
				mixed = 1
			}
			w.byte(mixed)
		}
		// members parallel st.s.Members, whose ids and duplicate marks
		// they share.
		for i, m := range st.members {
			mf := byte(0)
			if m.hasSig {
				mf |= flagSig
			}
			if m.headline != strings.TrimSpace(st.s.Members[i].Title) {
				mf |= flagHeadline
			}
			if m.dropped {
				mf |= flagDropped
			}
			if m.normValid && !m.dropped {
				mf |= flagMemberNorms
			}
			w.byte(mf)
			w.str(m.lang)
			w.uvarint(m.ref)
			w.varint(int64(clockMin) - int64(m.joined)) // small: joined lags the clock
			if mf&flagHeadline != 0 {
				w.str(m.headline)
			}
			w.vec(m.vec)
			if mf&flagMemberNorms != 0 {
				w.norms(m.norms, m.normDocs, m.normEpoch)
			}
			if m.hasSig {
				for _, x := range m.sig {
					w.u32(x)
				}
			}
		}
		if flags&flagCentroidIsMember == 0 {
			w.vec(st.cent)
		}
	}

	retired := slices.Sorted(maps.Keys(e.retired))
	w.uvarint(uint64(len(retired)))
	for _, id := range retired {
		r := e.retired[id]
		w.story(&r.s)
		w.time(r.at)
	}
	w.strMap(e.aliases)
	w.strMap(e.articleOf)
	w.uvarint(uint64(len(e.apart)))
	for _, p := range e.apart {
		w.str(p[0])
		w.str(p[1])
	}
	w.strs(e.corrected)
	w.uvarint(uint64(len(e.forgotten)))
	for _, f := range e.forgotten {
		w.str(f.id)
		w.varint(int64(clockMin) - int64(f.at))
	}

	w.raw(snapshotEnd)
}

// snapState is a decoded snapshot, installed in the engine only once whole.
type snapState struct {
	dict             *dictionary
	active           map[string]*storyState
	retired          map[string]*retiredStory
	aliases          map[string]string
	articleOf        map[string]string
	apart            [][2]string
	corrected        []string
	forgotten        []forgottenID
	postings         [][]posting
	slots            []*storyState
	lsh              *lshIndex
	clock, lastSweep time.Time
	arrived          int64
	arrivedSweep     int64
	seq              uint64
}

func (e *Engine) decode(r *snapReader) (*snapState, error) {
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrSnapshotCorrupt, fmt.Sprintf(format, args...))
	}
	if p := r.u64(); r.err == nil && p != e.configPrint() {
		return nil, fmt.Errorf("%w (thresholds, window, kind weights or dictionaries differ)", ErrSnapshotConfig)
	}
	st := &snapState{
		dict:      newDictionary(),
		active:    make(map[string]*storyState),
		retired:   make(map[string]*retiredStory),
		lsh:       newLSHIndex(),
		seq:       r.uvarint(),
		clock:     r.time(),
		lastSweep: r.time(),
	}
	st.arrived, st.arrivedSweep = r.varint(), r.varint()
	clockMin := int64(minutes(st.clock)) // join and let-go times are written as lags behind it

	d := st.dict
	var kindErr error
	nkeys := r.count()
	// Sized up front: growing maps and slices of a million entries costs
	// rehashing and copying.
	c := min(nkeys, 1<<24)
	d.ids = newIDTable(c)
	d.keys, d.meta, d.refs, d.stats = make([]string, 0, c), make([]featMeta, 0, c), make([]int32, 0, c), make([]featStats, 0, c)
	d.logDf = make([]float64, 0, c)
	for id := range nkeys {
		k := r.str()
		var kind uint8
		var df float64
		var refs int32
		var seen int64
		var langs uint64
		if k != "" {
			kind = r.byte()
			df = r.count64()
			refs = int32(r.varint())
			seen = st.clock.Unix() - r.varint()
			langs = r.uvarint()
			if r.err != nil {
				return nil, r.fail()
			}
			if kind != kindOf(k) && kindErr == nil {
				// Feature kinds changed since the snapshot was taken; told
				// only once the whole snapshot proved intact.
				kindErr = fmt.Errorf("%w: feature %.40q has kind %d, now %d", ErrSnapshotConfig, k, kind, kindOf(k))
			}
			h := keyHash(k)
			if _, dup := d.lookup(k, h); dup {
				return nil, corrupt("feature %.40q twice", k)
			}
			d.index(k, h, uint32(id))
		}
		d.keys = append(d.keys, k)
		m := featMeta(kind)
		if langs != 0 {
			m = m.withLang(langs)
		}
		if langs&(langs-1) != 0 {
			m |= metaCross
		}
		m = m.withDf(df)
		d.meta = append(d.meta, m)
		d.stats = append(d.stats, featStats{df: df, seen: seen, langs: langs})
		d.logDf = append(d.logDf, logPlusOne(df))
		d.refs = append(d.refs, refs)
	}
	for range r.count() {
		id := r.uvarint()
		if r.err == nil && (id >= uint64(nkeys) || d.keys[id] != "") {
			return nil, corrupt("free id %d is in use", id)
		}
		if r.err != nil {
			return nil, r.fail()
		}
		d.free = append(d.free, uint32(id))
	}
	for range r.count() {
		l := r.str()
		bit := r.uvarint()
		n := r.count64()
		if r.err != nil {
			return nil, r.fail()
		}
		if bit == 0 || bit&(bit-1) != 0 {
			return nil, corrupt("language %.20q has bits %#x, not one", l, bit)
		}
		d.langBits[l] = bit
		d.langDocs[bits.TrailingZeros64(bit)] = n
	}
	d.crossEpoch = r.uvarint()
	d.docs = r.count64()
	d.logDocs = math.Log(d.docs + 1)
	d.setLangLogs()
	if r.err != nil {
		return nil, r.fail()
	}
	validVec := func(v vec) error {
		for i, x := range v {
			if int(x.id) >= nkeys || d.keys[x.id] == "" {
				return corrupt("vector holds unknown feature %d", x.id)
			}
			if i > 0 && x.id <= v[i-1].id {
				return corrupt("vector not sorted")
			}
		}
		return nil
	}

	var members []*member
	var stories []*storyState
	perID := make([]int32, nkeys)
	nstories := r.count()
	st.active = make(map[string]*storyState, min(nstories, 1<<24))
	for range nstories {
		s := &storyState{seq: r.uvarint(), names: make(map[string]string)}
		s.s = r.story()
		flags := r.byte()
		s.mixed, s.normValid = flags&flagMixed != 0, flags&flagNormValid != 0
		s.lang = r.str()
		s.arrived = uint32(r.uvarint())
		s.norms, s.normDocs, s.normEpoch = r.norms()
		for range r.count() {
			k := r.str()
			s.names[k] = r.str()
			if r.err != nil {
				return nil, r.fail()
			}
		}
		if flags&flagPast != 0 {
			s.past = &pastMembers{first: r.time(), last: r.time(), langs: r.strs(), sources: r.strs(), mixed: r.byte() == 1}
		}
		if r.err != nil {
			return nil, r.fail()
		}
		if len(s.s.Members) == 0 {
			return nil, corrupt("active story %s has no members", s.s.ID)
		}
		if _, dup := st.active[s.s.ID]; dup {
			return nil, corrupt("story %s twice", s.s.ID)
		}
		s.members = make([]*member, len(s.s.Members))
		for i, pub := range s.s.Members {
			m := &member{articleID: pub.ArticleID, dupOf: pub.DuplicateOf, story: s}
			mf := r.byte()
			m.lang = r.str()
			m.ref = r.uvarint()
			m.joined = uint32(clockMin - r.varint())
			m.headline = strings.TrimSpace(pub.Title)
			if mf&flagHeadline != 0 {
				m.headline = r.str()
			}
			// The lead is the headline of an untitled member: not stored
			// twice (and snapshots from before it gain it).
			s.s.Members[i].Lead = leadOf(pub.Title, m.headline)
			m.vec = r.vec()
			if m.normValid = mf&flagMemberNorms != 0; m.normValid {
				m.norms, m.normDocs, m.normEpoch = r.norms()
			}
			if m.dropped = mf&flagDropped != 0; m.dropped {
				m.vec = nil
			} else {
				s.vecs++
			}
			if m.hasSig = mf&flagSig != 0; m.hasSig {
				r.sig(&m.sig)
			}
			if r.err != nil {
				return nil, r.fail()
			}
			if err := validVec(m.vec); err != nil {
				return nil, err
			}
			s.members[i] = m
			members = append(members, m)
		}
		var cv vec
		if flags&flagCentroidIsMember != 0 {
			if len(s.members) != 1 {
				return nil, corrupt("story %s: shared centroid with %d members", s.s.ID, len(s.members))
			}
			cv = s.members[0].vec
		} else {
			cv = r.vec()
			if r.err != nil {
				return nil, r.fail()
			}
			if err := validVec(cv); err != nil {
				return nil, err
			}
		}
		s.cent, s.shared = cv, flags&flagCentroidIsMember != 0
		for _, x := range cv {
			perID[x.id]++
		}
		stories = append(stories, s)
		st.active[s.s.ID] = s
	}
	// Postings in story order, each list allocated once: ids are dense, so
	// counting them in a slice spares most map work.
	lists := make([][]posting, nkeys)
	for id, n := range perID {
		if n > 0 {
			lists[id] = make([]posting, 0, n)
		}
	}
	for i, s := range stories {
		s.slot = uint32(i)
		s.at = make([]int32, len(s.cent))
		for j, x := range s.cent {
			lists[x.id] = append(lists[x.id], makePosting(s.slot, x.w))
			s.at[j] = int32(len(lists[x.id]) - 1)
		}
	}
	st.slots = stories
	for id, ps := range lists {
		if len(ps) == 0 {
			lists[id] = nil
		}
	}
	st.postings = lists

	for range r.count() {
		s := r.story()
		at := r.time()
		if r.err != nil {
			return nil, r.fail()
		}
		st.retired[s.ID] = &retiredStory{s: s, at: at}
	}
	st.aliases = r.strMap()
	st.articleOf = r.strMap()
	for range r.count() {
		st.apart = append(st.apart, [2]string{r.str(), r.str()})
	}
	st.corrected = r.strs()
	for range r.count() {
		f := forgottenID{id: r.str()}
		f.at = uint32(clockMin - r.varint())
		if r.err != nil {
			return nil, r.fail()
		}
		st.forgotten = append(st.forgotten, f)
	}
	if r.err != nil {
		return nil, r.fail()
	}

	for _, m := range members {
		if m.hasSig {
			st.lsh.add(m)
		}
	}
	if end := r.bytes(len(snapshotEnd)); r.err != nil || string(end) != snapshotEnd {
		return nil, corrupt("no end mark")
	}
	return st, kindErr
}

// snapWriter writes the body's values through a buffer of its own (a
// call per value into bufio costs more than the encoding); the first
// error sticks.
type snapWriter struct {
	w   io.Writer
	b   []byte
	err error
	pal palette // reused by vec
	idx []byte
}

func newSnapWriter(w io.Writer) *snapWriter {
	return &snapWriter{w: w, b: make([]byte, 0, 1<<17)}
}

func (w *snapWriter) full() {
	if len(w.b) >= 1<<16 {
		w.flush()
	}
}

func (w *snapWriter) flush() {
	if w.err == nil && len(w.b) > 0 {
		_, w.err = w.w.Write(w.b)
	}
	w.b = w.b[:0]
}

func (w *snapWriter) raw(s string) {
	w.b = append(w.b, s...)
	w.full()
}

func (w *snapWriter) byte(b byte) {
	w.b = append(w.b, b)
	w.full()
}

func (w *snapWriter) uvarint(x uint64) {
	w.b = binary.AppendUvarint(w.b, x)
	w.full()
}

func (w *snapWriter) varint(x int64) {
	w.b = binary.AppendVarint(w.b, x)
	w.full()
}

func (w *snapWriter) u32(x uint32) {
	w.b = binary.LittleEndian.AppendUint32(w.b, x)
	w.full()
}

func (w *snapWriter) u64(x uint64) {
	w.b = binary.LittleEndian.AppendUint64(w.b, x)
	w.full()
}

// f64 writes a float's bits: every weight round-trips exactly.
func (w *snapWriter) f64(x float64) { w.u64(math.Float64bits(x)) }

// norms writes cached vector lengths with the document count and the
// cross-lingual epoch they were computed at (a story's or a member's).
func (w *snapWriter) norms(n sums, docs float64, epoch uint64) {
	w.f64(n.full)
	w.f64(n.kinds)
	w.f64(n.cross)
	w.f64(n.pin)
	w.f64(n.word)
	w.f64(n.loc)
	w.f64(n.ent)
	w.f64(docs)
	w.uvarint(epoch)
}

func (w *snapWriter) str(s string) {
	w.uvarint(uint64(len(s)))
	w.raw(s)
}

// time keeps the instant and the zone offset, which is all that story
// events show of a time.
func (w *snapWriter) time(t time.Time) {
	_, off := t.Zone()
	w.varint(t.Unix())
	w.uvarint(uint64(t.Nanosecond()))
	w.varint(int64(off))
}

// length writes a slice length that keeps nil apart from empty: encoded
// stories show "null" for one and "[]" for the other.
func (w *snapWriter) length(n int, isNil bool) {
	if isNil {
		w.uvarint(0)
		return
	}
	w.uvarint(uint64(n) + 1)
}

func (w *snapWriter) strs(list []string) {
	w.length(len(list), list == nil)
	for _, s := range list {
		w.str(s)
	}
}

// count writes a float that counts things (document frequencies): a
// whole number as a varint, anything else as its bits.
func (w *snapWriter) count(x float64) {
	if x >= 0 && x < 1<<53 && x == math.Trunc(x) {
		w.uvarint(uint64(x) << 1)
		return
	}
	w.uvarint(1)
	w.f64(x)
}

// vec writes a sorted vector: id deltas, and weights through a palette of
// the distinct ones when that is shorter. A member's weights are its term
// frequencies' logarithms over one norm, so a few dozen values serve a few
// hundred features.
func (w *snapWriter) vec(v vec) {
	w.uvarint(uint64(len(v)))
	p := &w.pal
	p.reset()
	idx := w.idx[:0]
	fits := true
	for _, x := range v {
		i, ok := p.index(float64(x.w))
		if !ok {
			fits = false
			break
		}
		idx = append(idx, i)
	}
	w.idx = idx
	if !fits || len(p.vals)*8+len(v) >= len(v)*8 {
		w.uvarint(0)
		prev := uint32(0)
		for _, x := range v {
			w.uvarint(uint64(x.id - prev))
			prev = x.id
			w.f64(float64(x.w))
		}
		return
	}
	w.uvarint(uint64(len(p.vals)))
	for _, x := range p.vals {
		w.f64(x)
	}
	prev := uint32(0)
	for i, x := range v {
		w.uvarint(uint64(x.id - prev))
		prev = x.id
		w.byte(idx[i])
	}
}

// palette numbers a vector's distinct weights (by their bits) in order of
// first appearance, through a small open-addressing table.
type palette struct {
	slot [1024]uint16 // 1 + index in vals; 0 is empty
	used []uint16     // slots to clear
	vals []float64
}

func (p *palette) reset() {
	for _, s := range p.used {
		p.slot[s] = 0
	}
	p.used, p.vals = p.used[:0], p.vals[:0]
}

// index returns x's number, numbering it if new; ok is false past 255.
func (p *palette) index(x float64) (i byte, ok bool) {
	bits := math.Float64bits(x)
	h := uint16((bits * 0x9e3779b97f4a7c15) >> 54)
	for {
		s := p.slot[h]
		if s == 0 {
			if len(p.vals) == 255 {
				return 0, false
			}
			p.vals = append(p.vals, x)
			p.slot[h] = uint16(len(p.vals))
			p.used = append(p.used, h)
			return byte(len(p.vals) - 1), true
		}
		if math.Float64bits(p.vals[s-1]) == bits {
			return byte(s - 1), true
		}
		h = (h + 1) & 1023
	}
}

func (w *snapWriter) strMap(m map[string]string) {
	keys := slices.Sorted(maps.Keys(m))
	w.uvarint(uint64(len(keys)))
	for _, k := range keys {
		w.str(k)
		w.str(m[k])
	}
}

func (w *snapWriter) story(s *story.Story) {
	w.str(s.ID)
	w.str(s.Headline)
	w.strs(s.Languages)
	w.strs(s.Sources)
	w.time(s.FirstSeen)
	w.time(s.LastSeen)
	w.length(len(s.Entities), s.Entities == nil)
	for _, en := range s.Entities {
		w.str(en.Name)
		w.f64(en.Weight)
	}
	w.length(len(s.Members), s.Members == nil)
	for i := range s.Members {
		m := &s.Members[i]
		w.str(m.ArticleID)
		w.str(m.Title)
		w.str(m.URL)
		w.str(m.Source)
		w.str(m.Lang)
		if m.Published == nil {
			w.byte(0)
		} else {
			w.byte(1)
			w.time(*m.Published)
		}
		w.time(m.Added)
		w.f64(m.Score)
		w.str(m.DuplicateOf)
		w.length(len(m.Evidence), m.Evidence == nil)
		for _, ev := range m.Evidence {
			w.str(ev.Feature)
			w.f64(ev.Weight)
		}
	}
	w.strs(s.Aliases)
	w.uvarint(uint64(s.Version))
	w.uvarint(uint64(s.MembersOmitted))
}

// snapReader reads what snapWriter wrote; the first error sticks and every
// later value reads as zero.
type snapReader struct {
	r   *bufio.Reader
	err error
}

// maxLen bounds any one length in a snapshot, so that a corrupt one fails
// rather than allocating without end.
const maxLen = 1 << 28

func (r *snapReader) fail() error {
	if errors.Is(r.err, ErrSnapshotCorrupt) {
		return r.err
	}
	return fmt.Errorf("%w: %w", ErrSnapshotCorrupt, r.err)
}

func (r *snapReader) setErr(err error) {
	if r.err == nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		r.err = err
	}
}

func (r *snapReader) byte() byte {
	if r.err != nil {
		return 0
	}
	b, err := r.r.ReadByte()
	r.setErr(err)
	return b
}

func (r *snapReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	x, err := binary.ReadUvarint(r.r)
	r.setErr(err)
	return x
}

func (r *snapReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	x, err := binary.ReadVarint(r.r)
	r.setErr(err)
	return x
}

func (r *snapReader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	b := make([]byte, n)
	_, err := io.ReadFull(r.r, b)
	r.setErr(err)
	return b
}

// fixed returns the next n bytes, valid until the next read; n is at most
// the reader's buffer size.
func (r *snapReader) fixed(n int) []byte {
	if r.err != nil {
		return nil
	}
	b, err := r.r.Peek(n)
	if err != nil {
		r.setErr(err)
		return nil
	}
	r.r.Discard(n)
	return b
}

func (r *snapReader) u64() uint64 {
	b := r.fixed(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// norms reads what snapWriter.norms wrote.
func (r *snapReader) norms() (n sums, docs float64, epoch uint64) {
	n = sums{r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), 0}
	return n, r.f64(), r.uvarint()
}

func (r *snapReader) sig(s *signature) {
	b := r.fixed(4 * len(s))
	if b == nil {
		return
	}
	for i := range s {
		s[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
}

func (r *snapReader) f64() float64 { return math.Float64frombits(r.u64()) }

// count reads a length and checks it against maxLen.
func (r *snapReader) count() int {
	n := r.uvarint()
	if n > maxLen {
		r.setErr(fmt.Errorf("%w: length %d", ErrSnapshotCorrupt, n))
		return 0
	}
	return int(n)
}

// length reads what snapWriter.length wrote: -1 for nil.
func (r *snapReader) length() int {
	return r.count() - 1
}

func (r *snapReader) str() string {
	n := r.count()
	if n == 0 || r.err != nil {
		return ""
	}
	// Peek avoids a copy for short strings; long ones are read as they
	// come, so that a corrupt length fails at the end of the input rather
	// than allocating first.
	if b, err := r.r.Peek(n); err == nil {
		s := string(b)
		r.r.Discard(n)
		return s
	}
	var b strings.Builder
	if _, err := io.CopyN(&b, r.r, int64(n)); err != nil {
		r.setErr(err)
		return ""
	}
	return b.String()
}

func (r *snapReader) time() time.Time {
	sec, nsec, off := r.varint(), r.uvarint(), r.varint()
	if r.err != nil || nsec >= 1e9 {
		r.setErr(fmt.Errorf("%w: bad time", ErrSnapshotCorrupt))
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	if off == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", int(off)))
}

func (r *snapReader) strs() []string {
	n := r.length()
	if n < 0 {
		return nil
	}
	out := make([]string, 0, min(n, 1024))
	for range n {
		out = append(out, r.str())
		if r.err != nil {
			return nil
		}
	}
	return out
}

// count64 reads what snapWriter.count wrote.
func (r *snapReader) count64() float64 {
	x := r.uvarint()
	if x == 1 {
		return r.f64()
	}
	return float64(x >> 1)
}

func (r *snapReader) vec() vec {
	n, np := r.count(), r.count()
	if np > 255 {
		r.setErr(fmt.Errorf("%w: palette of %d weights", ErrSnapshotCorrupt, np))
		return nil
	}
	pal := make([]float64, np)
	for i := range pal {
		pal[i] = r.f64()
	}
	v := make(vec, 0, min(n, 1<<16))
	id := uint32(0)
	for range n {
		id += uint32(r.uvarint())
		var x float64
		if len(pal) == 0 {
			x = r.f64()
		} else if i := int(r.byte()); i < len(pal) {
			x = pal[i]
		} else {
			r.setErr(fmt.Errorf("%w: weight %d of a palette of %d", ErrSnapshotCorrupt, i, len(pal)))
		}
		if r.err != nil {
			return nil
		}
		v = append(v, entry{id, float32(x)})
	}
	return v
}

func (r *snapReader) strMap() map[string]string {
	n := r.count()
	m := make(map[string]string, min(n, 1<<20))
	for range n {
		k := r.str()
		m[k] = r.str()
		if r.err != nil {
			return nil
		}
	}
	return m
}

func (r *snapReader) story() story.Story {
	var s story.Story
	s.ID = r.str()
	s.Headline = r.str()
	s.Languages = r.strs()
	s.Sources = r.strs()
	s.FirstSeen = r.time()
	s.LastSeen = r.time()
	if n := r.length(); n >= 0 {
		s.Entities = make([]story.Entity, 0, min(n, 1024))
		for range n {
			s.Entities = append(s.Entities, story.Entity{Name: r.str(), Weight: r.f64()})
			if r.err != nil {
				return s
			}
		}
	}
	if n := r.length(); n >= 0 {
		s.Members = make([]story.Member, 0, min(n, 1024))
		for range n {
			var m story.Member
			m.ArticleID = r.str()
			m.Title = r.str()
			m.URL = r.str()
			m.Source = r.str()
			m.Lang = r.str()
			if r.byte() == 1 {
				p := r.time()
				m.Published = &p
			}
			m.Added = r.time()
			m.Score = r.f64()
			m.DuplicateOf = r.str()
			if k := r.length(); k >= 0 {
				m.Evidence = make([]story.Evidence, 0, min(k, 1024))
				for range k {
					m.Evidence = append(m.Evidence, story.Evidence{Feature: r.str(), Weight: r.f64()})
					if r.err != nil {
						return s
					}
				}
			}
			s.Members = append(s.Members, m)
			if r.err != nil {
				return s
			}
		}
	}
	s.Aliases = r.strs()
	s.Version = int(r.uvarint())
	s.MembersOmitted = int(r.uvarint())
	return s
}
