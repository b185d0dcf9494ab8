package cluster

import "math"

// pins tells whether features of a kind may pin an article to one event:
// numbers (counts, sums, years) and dates.
func pins(kind uint8) bool { return kind == kindNumber || kind == kindDate }

// rare tells whether a feature of inverse document frequency idf, in a
// stream whose document count gives logDocs, is seen in at most √N
// articles: a number that common (the year, "20", "2") ties articles of a
// topic, not of one event.
func rare(idf, logDocs float64) bool { return idf >= logDocs/2+1 }

// pin tells whether a feature counts in the pin sums: a rare number or date.
func (d *dictionary) pin(id uint32) bool { return pins(d.kinds[id]) && rare(d.idf(id), d.logDocs) }

// pinBonus is what the rare numbers and dates an article shares with a
// story (or another article) add to its score: PinBonus times the square
// root of their cosine over those features alone. Over all features a
// shared figure is a few features among a hundred and barely moves the
// cosine, though it tells one event from another better than most ("229
// recovered", "16 dead"); counted apart it does, while articles without
// figures in common lose nothing. Two stories' centroids are compared
// without it (storySim): they pool their members' figures.
func (e *Engine) pinBonus(dot, a, b sums) float64 {
	if e.cfg.PinBonus <= 0 || dot.pin <= 0 || a.pin == 0 || b.pin == 0 {
		return 0
	}
	return e.cfg.PinBonus * math.Sqrt(dot.pin/(a.pin*b.pin))
}
