package cluster

import "math"

// pins tells whether features of a kind may pin an article to one event:
// numbers (counts, sums, years) and dates.
func pins(kind uint8) bool { return kind == kindNumber || kind == kindDate }

// rare tells whether a feature of inverse document frequency idf, counted
// against N documents (logDocs = log(N+1): dictionary.logN), is seen in at
// most √N of them: a number that common (the year, "20", "2") ties articles of a
// topic, not of one event.
func rare(idf, logDocs float64) bool { return idf >= rareBar(logDocs) }

// rareBar is the least idf of a rare feature.
func rareBar(logDocs float64) float64 { return logDocs/2 + 1 }

// words tells whether features of a kind are content words: stemmed terms
// and their glosses (names are entities, and shared names already weigh
// twice in the cosine).
func words(kind uint8) bool { return kind == kindTerm || kind == kindGloss }

// Pin sums a feature may count in (markSlot); 0 is none.
const (
	slotPin  = 1 + iota // a rare number or date
	slotWord            // a rare content word
	slotLoc             // a place mark
	slotEnt             // a name (an entity), rare or not
	numSlots
)

// slotOfKind maps a kind to the pin sum its rare features (all, for place
// marks and names) count in. Read only.
var slotOfKind = [numKinds]uint8{kindNumber: slotPin, kindDate: slotPin, kindTerm: slotWord, kindGloss: slotWord, kindLoc: slotLoc, kindEntity: slotEnt}

// markSlot is the pin sum a feature of kind k and inverse document
// frequency idf counts in, given the rarity bar (rareBar), or 0.
func markSlot(k uint8, idf, bar float64) uint8 {
	i := slotOfKind[k]
	if idf < bar && i < slotLoc {
		i = 0
	}
	return i
}

// marks returns the query bits of markSlot (bitPin, bitWord, bitLoc,
// bitEnt).
func marks(k uint8, idf, logDocs float64) uint8 {
	switch markSlot(k, idf, rareBar(logDocs)) {
	case slotPin:
		return bitPin
	case slotWord:
		return bitWord
	case slotLoc:
		return bitLoc
	case slotEnt:
		return bitEnt
	}
	return 0
}

// placesDiffer tells whether both sides name where their event happened
// (a town written after "in", "à", "a": features.KindLoc) and no place
// matches: two events of one kind, the Waitrose fires of Banstead and of
// Wellington. Their rare words then say what happened, not that it
// happened once, and earn no bonus. The marks weigh too little to move the cosine
// itself: names differ between reports of one story too often for that
// (docs/quality.md).
func placesDiffer(dot, a, b sums) bool { return a.loc > 0 && b.loc > 0 && dot.loc <= 0 }

// pinBonus is what the rare numbers and dates an article shares with a
// story (or another article) add to its score: PinBonus times the square
// root of their cosine over those features alone. Over all features a
// shared figure is a few features among a hundred and barely moves the
// cosine, though it tells one event from another better than most ("229
// recovered", "16 dead"); counted apart it does, while articles without
// figures in common lose nothing. Two stories' centroids are compared
// without it (storySim): they pool their members' figures.
//
// Rare content words ("machete", "ransomware") do the same with
// WordBonus, within one language.
func (e *Engine) pinBonus(dot, a, b sums, sameLang bool) float64 {
	p, w := e.bonuses(dot, a, b, sameLang)
	return p + w
}

// bonuses returns the figures' and the words' parts of pinBonus.
func (e *Engine) bonuses(dot, a, b sums, sameLang bool) (pin, word float64) {
	if e.cfg.PinBonus > 0 && dot.pin > 0 && a.pin > 0 && b.pin > 0 {
		pin = e.cfg.PinBonus * math.Sqrt(dot.pin/(a.pin*b.pin))
	}
	// Between languages rare words meet only as glosses, one gloss for
	// several words and some glosses wrong: no bonus there (with it,
	// SemEval's cross-lingual F1 fell 1.3 points).
	if !sameLang || placesDiffer(dot, a, b) {
		return pin, 0
	}
	if e.cfg.WordBonus > 0 && dot.word > 0 && a.word > 0 && b.word > 0 {
		word = e.cfg.WordBonus * math.Sqrt(dot.word/(a.word*b.word))
	}
	return pin, word
}
