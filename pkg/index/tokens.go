package index

import (
	"encoding/binary"
	"hash/maphash"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
)

// Every update of a story re-indexes its whole document, most of whose text
// (its earlier members' titles) bleve analysed at the previous update
// already: analysis was a fifth of the index's CPU when the document held
// bodies too. tokenCache keeps the analysis of recently indexed titles,
// keyed by analyzer and text, so that an update analyses only its new
// members' titles. The index gets the
// very tokens the analyzer gives, so nothing searchable changes.
type tokenCache struct {
	seed maphash.Seed
	mu   sync.Mutex // analysis runs in bleve's worker goroutines
	lru  *lru[*tokenList]
}

func newTokenCache(limit int) *tokenCache {
	return &tokenCache{seed: maphash.MakeSeed(), lru: newLRU(limit, func(key string, t *tokenList) int {
		return len(key) + len(t.terms) + cap(t.toks) + entryOverhead
	})}
}

// key identifies analyzer's tokens of text: a hash, with the text's length
// so that a collision would also need texts of one length.
func (c *tokenCache) key(analyzer string, text []byte) string {
	var h maphash.Hash
	h.SetSeed(c.seed)
	_, _ = h.WriteString(analyzer)
	_ = h.WriteByte(0)
	_, _ = h.Write(text)
	var k [16]byte
	binary.LittleEndian.PutUint64(k[:8], h.Sum64())
	binary.LittleEndian.PutUint64(k[8:], uint64(len(text)))
	return string(k[:])
}

func (c *tokenCache) get(key string) (*tokenList, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.get(key)
}

func (c *tokenCache) put(key string, t *tokenList) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.put(key, t)
}

// useTokenCache makes the title fields of a story's doc analyse through the
// cache: every update of a story re-indexes all its members' titles. The
// other fields are a few words.
func (c *tokenCache) useTokenCache(doc *document.Document) {
	for i, f := range doc.Fields {
		tf, ok := f.(*document.TextField)
		if !ok || !strings.HasPrefix(tf.Name(), titlePrefix) || tf.Analyzer() == nil {
			continue
		}
		doc.Fields[i] = document.NewTextFieldCustom(tf.Name(), tf.ArrayPositions(), tf.Value(), tf.Options(),
			cachedAnalyzer{cache: c, name: tf.Name(), inner: tf.Analyzer()})
	}
}

// cachedAnalyzer analyses through the cache; name tells the analyzer
// (one per field) apart in the cache's keys.
type cachedAnalyzer struct {
	cache *tokenCache
	name  string
	inner analysis.Analyzer
}

func (a cachedAnalyzer) Analyze(text []byte) analysis.TokenStream {
	key := a.cache.key(a.name, text)
	if t, ok := a.cache.get(key); ok {
		return t.stream()
	}
	ts := a.inner.Analyze(text)
	a.cache.put(key, packTokens(ts))
	return ts
}

// tokenList is a token stream packed small (about the size of its text):
// the distinct terms once, then per token varints of its term's number and
// of its offsets and position as differences from the previous token's.
// What bleve indexes of a token is exactly these four values.
type tokenList struct {
	terms string // distinct terms, each preceded by its length as a uvarint
	toks  []byte
	n     int // tokens
}

func packTokens(ts analysis.TokenStream) *tokenList {
	var terms []byte
	ids := make(map[string]uint64, len(ts))
	toks := make([]byte, 0, len(ts)*5)
	prevEnd, prevPos := 0, 0
	for _, t := range ts {
		id, ok := ids[string(t.Term)]
		if !ok {
			id = uint64(len(ids))
			ids[string(t.Term)] = id
			terms = binary.AppendUvarint(terms, uint64(len(t.Term)))
			terms = append(terms, t.Term...)
		}
		toks = binary.AppendUvarint(toks, id)
		toks = binary.AppendVarint(toks, int64(t.Start-prevEnd))
		toks = binary.AppendVarint(toks, int64(t.End-t.Start))
		toks = binary.AppendVarint(toks, int64(t.Position-prevPos))
		prevEnd, prevPos = t.End, t.Position
	}
	// Copied to its length: the estimate above is often too large.
	return &tokenList{terms: string(terms), toks: append([]byte(nil), toks...), n: len(ts)}
}

// stream unpacks the tokens; their terms share one new buffer, so nothing
// bleve does with them can touch the cache.
func (t *tokenList) stream() analysis.TokenStream {
	buf := []byte(t.terms)
	var terms [][]byte
	for p := 0; p < len(buf); {
		n, w := binary.Uvarint(buf[p:])
		p += w
		terms = append(terms, buf[p:p+int(n):p+int(n)])
		p += int(n)
	}
	toks := make([]analysis.Token, t.n)
	out := make(analysis.TokenStream, t.n)
	prevEnd, prevPos := 0, 0
	b := t.toks
	for i := range toks {
		id, w := binary.Uvarint(b)
		b = b[w:]
		ds, w := binary.Varint(b)
		b = b[w:]
		l, w := binary.Varint(b)
		b = b[w:]
		dp, w := binary.Varint(b)
		b = b[w:]
		start := prevEnd + int(ds)
		tok := &toks[i]
		tok.Term, tok.Start, tok.End, tok.Position = terms[id], start, start+int(l), prevPos+int(dp)
		tok.Type = analysis.AlphaNumeric
		prevEnd, prevPos = tok.End, tok.Position
		out[i] = tok
	}
	return out
}
