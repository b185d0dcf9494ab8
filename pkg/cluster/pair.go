package cluster

import (
	"math"
	"sort"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// Comparison is the verdict on two articles.
type Comparison struct {
	// Score is the similarity the engine would give the second article
	// against a story founded by the first.
	Score float64
	// Same is Score ≥ the engine's join threshold: the engine would put the
	// two articles in one story.
	Same bool
	// Evidence lists the strongest shared features.
	Evidence []story.Evidence
}

// Similarity scores two articles the way Add scores an article against a
// one-member story, with the document frequencies the engine has learned so
// far (a feature it never saw counts as rare). It changes nothing. The
// score is the square root of a cosine (so that it grows about linearly
// with relatedness), in [0, 1] but for the cross-lingual boost, which may
// pass 1; the articles belong together when it reaches Threshold.
func (e *Engine) Similarity(a, b article.Article) float64 {
	return e.Compare(a, b).Score
}

// Compare is Similarity with the join decision and the evidence.
func (e *Engine) Compare(a, b article.Article) Comparison {
	fa, _ := e.fx.OfRepeats(a, e.rep)
	fb, _ := e.fx.OfRepeats(b, e.rep)
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.compareSets(fa, fb, features.BaseLang(a.Lang), features.BaseLang(b.Lang))
}

// Observe counts an article into the document frequencies and the
// languages each feature was seen in, without clustering it: a background
// model for Similarity.
func (e *Engine) Observe(a article.Article) {
	fs, runs := e.fx.OfRepeats(a, e.rep)
	e.rep.Learn(runs, keyHash(a.ID).h)
	ks := e.weigh(fs)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.vectorize(ks, features.BaseLang(a.Lang))
}

// Threshold is the score an article needs to join a story.
func (e *Engine) Threshold() float64 { return e.cfg.Threshold }

// pairFeature is one feature of a pair, weighted as vectorize weighs it.
type pairFeature struct {
	key      string
	wa, wb   float64 // kind- and tf-weighted, not idf-weighted
	idf      float64
	indep    bool // a language-independent kind
	crossing bool // seen in two languages
	pin      bool // a rare number or date
	word     bool // a rare content word
	loc      bool // a place mark
	ent      bool // a name
}

// compareSets mirrors score over two feature sets without touching the
// dictionary: a feature unknown to it has document frequency 0, and a
// feature the two articles share across two languages counts as
// cross-lingual, as it would once both were added.
func (e *Engine) compareSets(fa, fb features.Set, la, lb string) Comparison {
	byKey := make(map[string]*pairFeature, len(fa.Terms)+len(fb.Terms))
	get := func(k string) *pairFeature {
		p, ok := byKey[k]
		if !ok {
			p = &pairFeature{key: k}
			byKey[k] = p
		}
		return p
	}
	weight := func(k string, raw float64) float64 {
		if raw <= 0 {
			return 0
		}
		return e.kw[kindOf(k)] * math.Log2(1+raw)
	}
	for k, raw := range fa.Terms {
		if w := weight(k, raw); w > 0 {
			get(k).wa = w
		}
	}
	for k, raw := range fb.Terms {
		if w := weight(k, raw); w > 0 {
			get(k).wb = w
		}
	}
	d := e.dict
	var na, nb, dot sums
	shared := make([]*pairFeature, 0, 16)
	// Sum in a fixed order, so that the same pair always gets the same
	// score to the last bit (a map's order changes from run to run).
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := byKey[k]
		kind := kindOf(k)
		p.indep = !langBound(kind)
		logN := d.logDocs
		if id, ok := d.lookup(k, keyHash(k)); ok {
			logN = d.logN(d.meta[id])
			p.idf = d.idf(id)
			p.crossing = d.crossLingual(id)
		} else {
			p.idf = logN + 1
		}
		if la != lb && p.wa > 0 && p.wb > 0 {
			p.crossing = true
		}
		p.pin = pins(kind) && rare(p.idf, logN)
		p.word = words(kind) && rare(p.idf, logN)
		p.loc = kind == kindLoc
		p.ent = kind == kindEntity
		xa, xb := p.wa*p.idf, p.wb*p.idf
		na.add(xa*xa, p)
		nb.add(xb*xb, p)
		if xa > 0 && xb > 0 {
			dot.add(xa*xb, p)
			shared = append(shared, p)
		}
	}
	na, nb = na.sqrt(), nb.sqrt()
	c := Comparison{Score: e.similarity(dot, na, nb, la == lb) + e.pinBonus(dot, na, nb, la == lb)}
	c.Same = c.Score >= e.cfg.Threshold
	if na.full > 0 && nb.full > 0 {
		sort.Slice(shared, func(i, j int) bool {
			wi, wj := shared[i].wa*shared[i].wb*shared[i].idf*shared[i].idf, shared[j].wa*shared[j].wb*shared[j].idf*shared[j].idf
			if wi != wj {
				return wi > wj
			}
			return shared[i].key < shared[j].key
		})
		for _, p := range shared[:min(len(shared), evidenceN)] {
			c.Evidence = append(c.Evidence, story.Evidence{Feature: p.key, Weight: round(p.wa * p.wb * p.idf * p.idf / (na.full * nb.full))})
		}
	}
	return c
}

// add adds a squared weight or product of p to the sums it belongs to.
func (s *sums) add(x float64, p *pairFeature) {
	s.full += x
	if p.indep {
		s.kinds += x
	}
	if p.crossing {
		s.cross += x
		s.crossSq += x * x
	}
	if p.pin {
		s.pin += x
	}
	if p.word {
		s.word += x
	}
	if p.loc {
		s.loc += x
	}
	if p.ent {
		s.ent += x
	}
}

func (s sums) sqrt() sums {
	return sums{math.Sqrt(s.full), math.Sqrt(s.kinds), math.Sqrt(s.cross), math.Sqrt(s.pin), math.Sqrt(s.word), math.Sqrt(s.loc), math.Sqrt(s.ent), 0}
}
