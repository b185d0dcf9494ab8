package cluster

import (
	"time"

	"github.com/newsdedup/newsdedup/pkg/features"
)

// Config tunes an Engine. The zero value of a field means its default.
type Config struct {
	// Window is how long a story stays active without a new article, in
	// article time; then it leaves the candidate index. Default 72h.
	Window time.Duration
	// Retain is how long a story that left the window stays resolvable by
	// Story and StoryOf (and its articles stay known for idempotency).
	// A story that stays active lets go of a member a window and a
	// retention after it joined, but for the latest MemberLinks and its
	// headline's holder, and knows its id a retention more (forget.go).
	// Default: Window.
	Retain time.Duration
	// Threshold is the score an article needs against a story to join it.
	// Scores are the square root of a cosine (see Engine.Similarity), so
	// 0.51 is a cosine of about 0.26.
	Threshold float64
	// MergeThreshold is the score two stories' centroids need to be merged
	// when an article could join both. Default: a bar somewhat above
	// Threshold, in the default ratio when Threshold is set.
	MergeThreshold float64
	// MergeOneLang is MergeThreshold for two stories written in one and
	// the same language. There an event's articles join one story
	// directly, sharing its words, so two such stories that stay apart
	// are more often two events of one kind; across languages centroids
	// rarely get close, and merges are how one event's stories in two
	// languages meet. Default: in the default ratio to MergeThreshold;
	// negative means MergeThreshold.
	MergeOneLang float64
	// DupThreshold is the MinHash Jaccard estimate above which an article is
	// a near-duplicate of an earlier one.
	DupThreshold float64
	// MaxCandidates is how many stories retrieved from the index are scored
	// in full.
	MaxCandidates int
	// TopK is how many of an article's strongest features query the index.
	TopK int
	// MaxCentroid caps the features kept per story.
	MaxCentroid int
	// KindWeights weighs feature kinds (features.KindEntity, ...). Missing
	// kinds weigh 1.
	KindWeights map[string]float64
	// CrossLingual scales the score computed on cross-lingual features only
	// (those the stream has shown in two languages or more: entities,
	// places, dates, numbers, cognates); between languages an article's
	// score is the larger of that and the full cosine, so that articles in
	// different languages, which share no terms, can meet. Negative disables
	// it.
	CrossLingual float64
	// CrossSupport is how many shared features, in effective number, the
	// cross-lingual score needs to count in full; resting on fewer, it is
	// scaled by their share. One shared acronym ("NRW": a German state and
	// an Australian contractor) is a coincidence more often than a story.
	// A name shared whole also shares its cognate and gloss keys, so it
	// counts as two or three. Negative disables it.
	CrossSupport float64
	// PinBonus scales the cosine over numbers and dates alone, added to the
	// score: a figure or a day two articles share ("229 recovered", "16
	// dead", "23 February") pins down one event among the many that share
	// their people and places. Negative disables it.
	PinBonus float64
	// WordBonus scales the cosine over rare content words alone (terms and
	// glosses seen in at most √N articles), added to the score as PinBonus
	// adds the figures': "ransomware", "machete". Not when both sides name
	// where it happened and no place matches (pin.go), and not to bridge
	// two stories for a merge. Negative disables it.
	WordBonus float64
	// NameWeight scales the weight of names (entities) when both sides are
	// in one language, where a name also counts through its words' terms,
	// cognates and glosses (Engine.sameLangCosine). 1 keeps their weight;
	// negative means 1.
	NameWeight float64
	// MemberLinks is how many of a candidate story's latest members an
	// article is also compared with; the story scores the best of its
	// centroid and, scaled by MemberWeight, its closest member. Negative
	// disables it.
	MemberLinks int
	// MemberCandidates is how many of the best candidates (by centroid)
	// are compared member by member.
	MemberCandidates int
	// MemberWeight scales a member's score against the centroid's.
	MemberWeight float64
	// Now gives the time of an article that has neither Published nor
	// Fetched. Default time.Now.
	Now func() time.Time
}

// DefaultConfig is the one configuration used for all data.
func DefaultConfig() Config {
	return Config{
		Window:    72 * time.Hour,
		Threshold: 0.51,
		// Two stories an article bridges merge when their centroids are
		// this close; cross-lingual centroids rarely get closer.
		MergeThreshold:   0.548,
		MergeOneLang:     0.60,
		DupThreshold:     0.8,
		MaxCandidates:    24,
		TopK:             40,
		MaxCentroid:      400,
		CrossLingual:     1.5,
		CrossSupport:     3,
		PinBonus:         0.1,
		WordBonus:        0.15,
		NameWeight:       0.6,
		MemberLinks:      8,
		MemberCandidates: 4,
		MemberWeight:     1,
		KindWeights: map[string]float64{
			features.KindEntity:  2.0,
			features.KindPlace:   1.2,
			features.KindDate:    2.0,
			features.KindNumber:  1.0,
			features.KindTerm:    1.0,
			features.KindCognate: 1.0,
			// Place marks only tell whether two reports name one place
			// (pin.go); the entity feature beside each carries the name.
			features.KindLoc: 0.05,
		},
		Now: time.Now,
	}
}

// withDefaults fills the zero fields of c from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Window <= 0 {
		c.Window = d.Window
	}
	if c.Retain <= 0 {
		c.Retain = c.Window
	}
	if c.Threshold <= 0 {
		c.Threshold = d.Threshold
	}
	if c.MergeThreshold <= 0 {
		c.MergeThreshold = c.Threshold * d.MergeThreshold / d.Threshold
	}
	switch {
	case c.MergeOneLang == 0:
		c.MergeOneLang = c.MergeThreshold * d.MergeOneLang / d.MergeThreshold
	case c.MergeOneLang < 0:
		c.MergeOneLang = c.MergeThreshold
	}
	if c.DupThreshold <= 0 {
		c.DupThreshold = d.DupThreshold
	}
	if c.MaxCandidates <= 0 {
		c.MaxCandidates = d.MaxCandidates
	}
	if c.TopK <= 0 {
		c.TopK = d.TopK
	}
	if c.MaxCentroid <= 0 {
		c.MaxCentroid = d.MaxCentroid
	}
	switch {
	case c.MemberLinks == 0:
		c.MemberLinks = d.MemberLinks
	case c.MemberLinks < 0:
		c.MemberLinks = 0
	}
	if c.MemberCandidates <= 0 {
		c.MemberCandidates = d.MemberCandidates
	}
	if c.MemberWeight <= 0 {
		c.MemberWeight = d.MemberWeight
	}
	if c.KindWeights == nil {
		c.KindWeights = d.KindWeights
	}
	c.CrossLingual = orDefault(c.CrossLingual, d.CrossLingual, 0)
	c.CrossSupport = orDefault(c.CrossSupport, d.CrossSupport, 0)
	c.PinBonus = orDefault(c.PinBonus, d.PinBonus, 0)
	c.WordBonus = orDefault(c.WordBonus, d.WordBonus, 0)
	c.NameWeight = orDefault(c.NameWeight, d.NameWeight, 1)
	if c.Now == nil {
		c.Now = d.Now
	}
	return c
}

// orDefault reads a knob where 0 means the default and a negative value
// means off, whose value is off.
func orDefault(v, def, off float64) float64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return off
	}
	return v
}
