package cluster

import (
	"math"
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
	ids   map[string]uint32
	keys  []string
	kinds []uint8
	df    []float64
	logDf []float64 // log(df+1), kept with df so idf needs no logarithm
	refs  []int32   // active members holding the feature
	seen  []int64   // article time (unix seconds) the feature was last seen
	// langs has a bit per language the feature was seen in: a feature seen
	// in two languages ("ent:nunez", "place:FR", "cog:minist") can tie
	// articles across them, one seen in one ("ent:interno") cannot.
	langs    []uint64
	langBits map[string]uint64
	// crossEpoch counts features that became cross-lingual, so cached
	// cross-lingual norms know when they are stale.
	crossEpoch uint64
	free       []uint32
	docs       float64 // articles counted
	logDocs    float64 // log(docs+1)
}

func newDictionary() *dictionary {
	return &dictionary{ids: make(map[string]uint32), langBits: make(map[string]uint64)}
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
	old := d.langs[id]
	d.langs[id] = old | bit
	if old != 0 && old&(old-1) == 0 && old != old|bit {
		d.crossEpoch++
	}
}

// crossLingual tells whether a feature was seen in two languages or more.
func (d *dictionary) crossLingual(id uint32) bool {
	m := d.langs[id]
	return m&(m-1) != 0
}

// intern returns the id of key, creating it when new.
func (d *dictionary) intern(key string) uint32 {
	if id, ok := d.ids[key]; ok {
		return id
	}
	var id uint32
	if n := len(d.free); n > 0 {
		id = d.free[n-1]
		d.free = d.free[:n-1]
		d.keys[id], d.kinds[id], d.df[id], d.logDf[id], d.refs[id], d.seen[id], d.langs[id] = key, kindOf(key), 0, 0, 0, 0, 0
	} else {
		id = uint32(len(d.keys))
		d.keys = append(d.keys, key)
		d.kinds = append(d.kinds, kindOf(key))
		d.df = append(d.df, 0)
		d.logDf = append(d.logDf, 0)
		d.refs = append(d.refs, 0)
		d.seen = append(d.seen, 0)
		d.langs = append(d.langs, 0)
	}
	d.ids[key] = id
	return id
}

// count records one more document holding the feature.
func (d *dictionary) count(id uint32) {
	d.df[id]++
	d.logDf[id] = math.Log(d.df[id] + 1)
}

// addDoc records one more document.
func (d *dictionary) addDoc() {
	d.docs++
	d.logDocs = math.Log(d.docs + 1)
}

// idf is the rarity weight of a feature: log((N+1)/(df+1)) + 1.
func (d *dictionary) idf(id uint32) float64 {
	return d.logDocs - d.logDf[id] + 1
}

// gc recycles the ids that no active member holds and that were last seen
// before cutoff.
func (d *dictionary) gc(cutoff int64) {
	for id := range d.keys {
		if d.keys[id] == "" || d.refs[id] > 0 || d.seen[id] >= cutoff {
			continue
		}
		delete(d.ids, d.keys[id])
		d.keys[id] = ""
		d.free = append(d.free, uint32(id))
	}
}

func (d *dictionary) size() int { return len(d.ids) }

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
