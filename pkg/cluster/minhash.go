package cluster

import (
	"unicode"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/pkg/features"
)

// MinHash over word 5-shingles, banded for locality-sensitive lookup: 16
// bands of 4 rows find pairs with Jaccard 0.8 almost surely (1-(1-0.8⁴)¹⁶ ≈
// 0.9998) and pairs below 0.3 rarely; the estimate then decides.
const (
	numHashes = 64
	numBands  = 16
	bandRows  = numHashes / numBands
	shingleN  = 5
)

// signature holds the minimum of each hash function over the shingles.
// 32-bit minima: two unrelated shingle sets agree on one by chance with
// odds of 2⁻³², nothing next to the 0.8 the threshold asks, at half the
// memory of 64-bit ones.
type signature [numHashes]uint32

// hashSeeds are fixed so that signatures are stable across runs.
var hashSeeds = func() (s [numHashes]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	for i := range s {
		x = splitmix(x)
		s[i] = x
	}
	return s
}()

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// minhash signs the words of title and text; ok is false when there are no
// words.
//
// Its shingles are runs of shingleN words, each lower-cased and stripped of
// its accents (features.Fold), hashed with 64-bit FNV-1a over the words
// with a zero byte after each. The words are folded one after another into
// one buffer, so that a shingle is one run of it, hashed in place: no string
// per word, no hash object.
func minhash(title, text string) (sig signature, ok bool) {
	sh := shingler{buf: make([]byte, 0, len(title)+len(text)+shingleN)}
	for i := range sh.sig {
		sh.sig[i] = ^uint32(0)
	}
	// Title and text are read as if joined by a line break, which parts
	// words.
	sh.words(title)
	sh.words(text)
	switch {
	case sh.n == 0:
		return sig, false
	case sh.n < shingleN:
		// Fewer words than a shingle: they are its one shingle.
		sh.mix(fnv64a(sh.buf))
	}
	return sh.sig, true
}

// shingler folds words into buf and mixes each shingle into sig as soon as
// its last word is in.
type shingler struct {
	buf []byte
	// starts holds where the last shingleN words start in buf (word k at
	// k%shingleN).
	starts [shingleN]int
	n      int // words so far
	sig    signature
}

// words adds the words of s: runs of letters and digits.
func (sh *shingler) words(s string) {
	for i := 0; i < len(s); {
		if size, ok := wordRuneAt(s, i); !ok {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			size, ok := wordRuneAt(s, j)
			if !ok {
				break
			}
			j += size
		}
		sh.word(s[i:j])
		i = j
	}
}

// wordRuneAt tells whether the rune at s[i:] is a letter or digit, and its
// width (an invalid byte is U+FFFD, one byte wide, neither).
func wordRuneAt(s string, i int) (int, bool) {
	if c := s[i]; c < utf8.RuneSelf {
		return 1, 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9'
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	return size, unicode.IsLetter(r) || unicode.IsDigit(r)
}

func (sh *shingler) word(w string) {
	sh.starts[sh.n%shingleN] = len(sh.buf)
	sh.buf = append(features.AppendFold(sh.buf, w), 0)
	sh.n++
	if sh.n >= shingleN {
		sh.mix(fnv64a(sh.buf[sh.starts[(sh.n-shingleN)%shingleN]:]))
	}
}

// mix lowers sig to one shingle's hashes.
func (sh *shingler) mix(x uint64) {
	for j := range sh.sig {
		sh.sig[j] = min(sh.sig[j], uint32(splitmix(x^hashSeeds[j])>>32))
	}
}

// fnv64a is hash/fnv's 64-bit FNV-1a of b.
func fnv64a(b []byte) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for _, c := range b {
		h ^= uint64(c)
		h *= prime
	}
	return h
}

// bands returns the LSH bucket keys of a signature.
func (s *signature) bands() [numBands]uint64 {
	var out [numBands]uint64
	for b := range out {
		x := uint64(b) * 0x9e3779b97f4a7c15
		for r := 0; r < bandRows; r++ {
			x = splitmix(x ^ uint64(s[b*bandRows+r]))
		}
		out[b] = x
	}
	return out
}

// jaccard estimates the Jaccard similarity of the shingle sets behind two
// signatures.
func (s *signature) jaccard(o *signature) float64 {
	eq := 0
	for i := range s {
		if s[i] == o[i] {
			eq++
		}
	}
	return float64(eq) / numHashes
}
