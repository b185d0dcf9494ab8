package cluster

import (
	"math"
	"math/bits"
	"strings"

	"github.com/newsdedup/newsdedup/pkg/features"
)

// Feature kinds as small integers, so vectors need not carry key strings.
const (
	kindOther uint8 = iota
	kindEntity
	kindPlace
	kindDate
	kindNumber
	kindTerm
	kindCognate
	kindGloss
	kindLoc
	numKinds
)

func kindOf(key string) uint8 {
	switch features.Kind(key) {
	case features.KindEntity:
		return kindEntity
	case features.KindPlace:
		return kindPlace
	case features.KindDate:
		return kindDate
	case features.KindNumber:
		return kindNumber
	case features.KindTerm:
		return kindTerm
	case features.KindCognate:
		return kindCognate
	case features.KindGloss:
		return kindGloss
	case features.KindLoc:
		return kindLoc
	}
	return kindOther
}

// langBound tells whether features of a kind belong to one language
// (stemmed terms) rather than crossing languages by their form. Glosses
// ("gl:ministri" for ministero and ministry) are English whatever the
// article's language: that is what they are for.
func langBound(kind uint8) bool { return kind == kindTerm }

// dictionary interns feature keys and learns their document frequency
// online. An id no active member uses and not seen for a while is recycled,
// so the vocabulary, numbers and all, stays bounded.
type dictionary struct {
	// ids finds a key's id by the key's hash, computed once per article
	// feature outside the engine's lock (Prepare): a map keyed by integers
	// is much cheaper to probe than one keyed by strings, and comparing the
	// key itself would cost a cache miss per feature. A second, independent
	// 32-bit hash tells a collision instead (two keys agreeing on 96 bits
	// by chance: about one in 10^19 per pair); the rare key whose 64-bit
	// hash another key holds lives in more.
	ids  idTable
	more map[string]hashedID
	keys []string
	// meta is a feature's kind, whether it is cross-lingual and, while
	// small, its document frequency (featMeta): two bytes holding all a
	// vector's lengths read of a feature, so that the lengths of the two
	// dozen candidates an article is scored against (a few thousand
	// features, when document frequencies have drifted) read one small
	// array, which mostly stays in the cache, where they read a byte of
	// kind and eight of log(df+1) from two arrays ten times its size.
	meta []featMeta
	refs []int32 // kept member vectors and story centroids holding the feature
	// stats holds what is learnt of each feature in one array: adding an
	// article updates all of it, one cache miss per feature rather than
	// one per field.
	stats []featStats
	// logDf is log(df+1), so that idf needs no logarithm, read and kept
	// current only for the features too frequent for meta's count (a
	// rare feature's entry may be stale): the common ones, few and read
	// often.
	logDf    []float64
	langBits map[string]uint64
	// crossEpoch counts features that became cross-lingual, so cached
	// cross-lingual norms know when they are stale.
	crossEpoch uint64
	free       []uint32
	docs       float64 // articles counted
	logDocs    float64 // log(docs+1)
	// Articles counted per language, by the index of the language's bit,
	// and the log N a feature seen in that language only is weighed
	// against (logN, setLangLogs).
	langDocs    [64]float64
	langLogDocs [64]float64
}

func newDictionary() *dictionary {
	return &dictionary{ids: newIDTable(0), more: make(map[string]hashedID), langBits: make(map[string]uint64)}
}

// langBit returns the bit of a language; past 63 languages they share one.
func (d *dictionary) langBit(lang string) uint64 {
	if b, ok := d.langBits[lang]; ok {
		return b
	}
	n := len(d.langBits)
	if n > 63 {
		n = 63
	}
	b := uint64(1) << n
	d.langBits[lang] = b
	return b
}

// seenIn records that a feature occurred in a language.
func (d *dictionary) seenIn(id uint32, bit uint64) {
	old := d.stats[id].langs
	d.stats[id].langs = old | bit
	if old == 0 {
		d.meta[id] = d.meta[id].withLang(bit)
	}
	if old != 0 && old&(old-1) == 0 && old != old|bit {
		d.crossEpoch++
		d.meta[id] |= metaCross
	}
}

// featMeta packs a feature's kind (bits 0-3), metaCross, the language it
// was first seen in (the index of its language bit, bits 5-10) and its
// document frequency above metaDfShift when it is a count below metaDfBig,
// else metaDfBig (then read logDf).
type featMeta uint32

const (
	metaKind      featMeta = 1<<4 - 1
	metaCross     featMeta = 1 << 4 // seen in two languages or more
	metaLangShift          = 5
	metaLang      featMeta = 63 << metaLangShift
	metaDfShift            = 11
	metaDfBig              = 1<<12 - 1
)

// Every count below metaDfBig has its log(n+1) in smallLogs.
var _ [len(smallLogs) - metaDfBig]struct{}

// The kinds fit in metaKind's bits.
var _ [int(metaKind) + 1 - int(numKinds)]struct{}

// kind is the feature's kind.
func (m featMeta) kind() uint8 { return uint8(m & metaKind) }

// cross tells whether the feature was seen in two languages or more.
func (m featMeta) cross() bool { return m&metaCross != 0 }

// lang is the index of the language bit the feature was first seen in.
func (m featMeta) lang() int { return int(m&metaLang) >> metaLangShift }

// withLang is m first seen in the language of bit (a nonzero mask; the
// lowest bit of several).
func (m featMeta) withLang(bit uint64) featMeta {
	return m&^metaLang | featMeta(bits.TrailingZeros64(bit))<<metaLangShift
}

// withDf is m with document frequency df.
func (m featMeta) withDf(df float64) featMeta {
	n := featMeta(metaDfBig)
	if df >= 0 && df < metaDfBig && df == math.Trunc(df) {
		n = featMeta(df)
	}
	return m&(metaKind|metaCross|metaLang) | n<<metaDfShift
}

// big tells whether the feature's log(df+1) is in logDf rather than in
// smallLogs.
func (m featMeta) big() bool { return m>>metaDfShift == metaDfBig }

// logDfOf is log(df+1) of feature id, whose meta is m: logPlusOne(df),
// from smallLogs (a few kilobytes, in the cache) for the many rare
// features.
func (d *dictionary) logDfOf(id uint32, m featMeta) float64 {
	if n := m >> metaDfShift; n != metaDfBig {
		return smallLogs[n]
	}
	return d.logDf[id]
}

// kind is a feature's kind.
func (d *dictionary) kind(id uint32) uint8 { return d.meta[id].kind() }

// crossLingual tells whether a feature was seen in two languages or more.
func (d *dictionary) crossLingual(id uint32) bool { return d.meta[id].cross() }

// keyHash is a key's hash (64-bit FNV-1a) and its check (32-bit FNV-1a
// from another basis): fixed, so a replay or a restored snapshot finds the
// same keys.
func keyHash(key string) keyHashes {
	h, c := uint64(14695981039346656037), uint32(2166136261^0x5bd1e995)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= 1099511628211
		c ^= uint32(key[i])
		c *= 16777619
	}
	return keyHashes{h, c}
}

// keyHashes are the two hashes of a key.
type keyHashes struct {
	h uint64
	c uint32
}

// idCheck is an id in dictionary.ids with its key's check hash.
type idCheck struct {
	id uint32
	c  uint32
}

// hashedID is an id in dictionary.more with its key's hashes.
type hashedID struct {
	id uint32
	k  keyHashes
}

// lookup returns the id of key, whose hashes are k.
func (d *dictionary) lookup(key string, k keyHashes) (uint32, bool) {
	if x, ok := d.ids.get(k.h); ok && x.c == k.c {
		return x.id, true
	}
	if len(d.more) == 0 {
		return 0, false
	}
	x, ok := d.more[key]
	return x.id, ok
}

// index makes id findable by key.
func (d *dictionary) index(key string, k keyHashes, id uint32) {
	if _, taken := d.ids.get(k.h); !taken {
		d.ids.put(k.h, idCheck{id, k.c})
		return
	}
	d.more[key] = hashedID{id, k}
}

// unindex forgets key, of hashes k and id id.
func (d *dictionary) unindex(key string, k keyHashes, id uint32) {
	if cur, ok := d.ids.get(k.h); ok && cur.id == id {
		d.ids.remove(k.h)
		// A key that collided with this one takes its place. (Any would
		// do; lookup finds the others in more either way.)
		for other, x := range d.more {
			if x.k.h == k.h {
				delete(d.more, other)
				d.ids.put(k.h, idCheck{x.id, x.k.c})
				break
			}
		}
		return
	}
	delete(d.more, key)
}

// intern returns the id of key, whose hashes are h, creating it when new.
func (d *dictionary) intern(key string, h keyHashes) uint32 {
	if id, ok := d.lookup(key, h); ok {
		return id
	}
	// Keys are often slices of an article's text: a copy keeps the text
	// from living as long as the feature.
	key = strings.Clone(key)
	var id uint32
	if n := len(d.free); n > 0 {
		id = d.free[n-1]
		d.free = d.free[:n-1]
		d.keys[id], d.meta[id], d.refs[id], d.stats[id] = key, featMeta(kindOf(key)), 0, featStats{}
		d.logDf[id] = 0
	} else {
		id = uint32(len(d.keys))
		d.keys = append(d.keys, key)
		d.meta = append(d.meta, featMeta(kindOf(key)))
		d.refs = append(d.refs, 0)
		d.stats = append(d.stats, featStats{})
		d.logDf = append(d.logDf, 0)
	}
	d.index(key, h, id)
	return id
}

// featStats is what the dictionary learns of a feature.
type featStats struct {
	df   float64
	seen int64 // article time (unix seconds) the feature was last seen
	// langs has a bit per language the feature was seen in: a feature seen
	// in two languages ("ent:nunez", "place:FR", "cog:minist") can tie
	// articles across them, one seen in one ("ent:interno") cannot.
	langs uint64
}

// count records one more document holding the feature.
func (d *dictionary) count(id uint32) {
	st := &d.stats[id]
	st.df++
	m := d.meta[id].withDf(st.df)
	d.meta[id] = m
	if m.big() {
		d.logDf[id] = logPlusOne(st.df)
	}
}

// smallLogs holds log(n+1) for the document frequencies most features
// have: a table read instead of a logarithm per feature of every article.
// Built once, never written.
var smallLogs = func() (t [4096]float64) {
	for n := range t {
		t[n] = math.Log(float64(n) + 1)
	}
	return t
}()

// logPlusOne is log(x+1) for a count x, from smallLogs when it holds it.
func logPlusOne(x float64) float64 {
	if x >= 0 && x < float64(len(smallLogs)) && x == math.Trunc(x) {
		return smallLogs[int(x)]
	}
	return math.Log(x + 1)
}

// addDoc records one more document, in the language of bit.
func (d *dictionary) addDoc(bit uint64) {
	d.docs++
	d.logDocs = math.Log(d.docs + 1)
	d.langDocs[bits.TrailingZeros64(bit)]++
	d.setLangLogs()
}

// langPrior is how many articles of its own a language needs before its
// features' rarity is counted mostly among them: with n, log N is the mix
// n/(n+langPrior) of log(n+1) and (1 - that) of log(N+1) over all the
// articles. A language's first few articles would otherwise make every word
// of it look common (seen in one of two articles), and words shared across
// languages would outweigh all of them. On the eval sets any value from 20
// to 200 gives the same figures (docs/quality.md "Rarity within a language").
const langPrior = 50

// setLangLogs recomputes langLogDocs from the counts.
func (d *dictionary) setLangLogs() {
	for i, n := range d.langDocs {
		if n == 0 {
			continue
		}
		if n == d.docs {
			// One language so far: exactly the overall log, so that a
			// stream of one language is weighed as it was before.
			d.langLogDocs[i] = d.logDocs
			continue
		}
		w := n / (n + langPrior)
		d.langLogDocs[i] = w*math.Log(n+1) + (1-w)*d.logDocs
	}
}

// logN is log(N+1) for the feature whose meta is m, N being the documents
// its document frequency is counted against: those of its language when it
// was seen in one only (blended with all of them while the language has
// few: langPrior), else all of them. Counted against every article,
// a word common in a language that few of the articles are in ("ve",
// "yüzde" among Turkish ones) passed for rare, and two unrelated articles
// of that language scored as if they shared rare words.
func (d *dictionary) logN(m featMeta) float64 {
	if m.cross() {
		return d.logDocs
	}
	return d.langLogDocs[m.lang()]
}

// idf is the rarity weight of a feature: log((N+1)/(df+1)) + 1, N as logN.
func (d *dictionary) idf(id uint32) float64 {
	m := d.meta[id]
	return d.logN(m) - d.logDfOf(id, m) + 1
}

// gc recycles the ids that no active member holds and that were last seen
// before cutoff.
func (d *dictionary) gc(cutoff int64) {
	for id := range d.keys {
		if d.keys[id] == "" || d.refs[id] > 0 || d.stats[id].seen >= cutoff {
			continue
		}
		d.unindex(d.keys[id], keyHash(d.keys[id]), uint32(id))
		d.keys[id] = ""
		d.free = append(d.free, uint32(id))
	}
}

func (d *dictionary) size() int { return d.ids.n + len(d.more) }

// display gives a readable name for an entity key: the surface form when
// known, else the key without its prefix.
func display(key string, names map[string]string) string {
	if n, ok := names[key]; ok {
		return n
	}
	if i := strings.IndexByte(key, ':'); i >= 0 {
		return key[i+1:]
	}
	return key
}
