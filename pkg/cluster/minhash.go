package cluster

import (
	"hash/fnv"
	"strings"
	"unicode"

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
func minhash(title, text string) (sig signature, ok bool) {
	words := strings.FieldsFunc(title+"\n"+text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return sig, false
	}
	for i := range words {
		words[i] = features.Fold(words[i])
	}
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	n := len(words) - shingleN + 1
	if n < 1 {
		n = 1
	}
	h := fnv.New64a()
	for i := 0; i < n; i++ {
		h.Reset()
		for k := i; k < i+shingleN && k < len(words); k++ {
			h.Write([]byte(words[k]))
			h.Write([]byte{0})
		}
		x := h.Sum64()
		for j := range sig {
			if v := uint32(splitmix(x^hashSeeds[j]) >> 32); v < sig[j] {
				sig[j] = v
			}
		}
	}
	return sig, true
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
