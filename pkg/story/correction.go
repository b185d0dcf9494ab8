package story

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// CorrectionVersion is the version of Correction written by this code.
const CorrectionVersion = 1

// Correction operations.
const (
	// OpMerge makes the listed stories one: the oldest survives and the
	// others become its aliases, as when the engine finds two stories
	// converging.
	OpMerge = "merge"
	// OpSplit moves the listed articles, all of one story, out of it into
	// a new story of their own, which the engine then never merges back.
	OpSplit = "split"
)

// ErrInvalidCorrection is returned for a correction that cannot be applied
// whatever the stories hold: an unknown version or operation, too few
// stories.
var ErrInvalidCorrection = errors.New("story: invalid correction")

// Limits of a correction: an editor merges a handful of stories at once.
const (
	maxCorrectionStories = 20
	maxCorrectionText    = 500 // bytes of By and of Note
)

// Correction is an editor's correction of the clustering, sent to the
// clustering stage in stream order with the articles so that a restart
// that replays the stream applies it again at the same place.
type Correction struct {
	V  int    `json:"v"`
	ID string `json:"id"` // unique per correction; the events it causes carry it
	Op string `json:"op"`
	// Stories are the story ids a merge names (an alias names the story
	// it was merged into).
	Stories []string `json:"stories,omitempty"`
	// Articles are the article ids a split moves out.
	Articles []string  `json:"articles,omitempty"`
	By       string    `json:"by,omitempty"`   // who asked for it
	Note     string    `json:"note,omitempty"` // why, in the editor's words
	At       time.Time `json:"at"`
}

// Edit names, on an event, the correction that caused it; nil on the
// engine's own changes.
type Edit struct {
	ID   string `json:"id"`
	By   string `json:"by,omitempty"`
	Note string `json:"note,omitempty"`
}

// Edited records, on a folded story, a correction that changed it.
type Edited struct {
	Edit
	// Type is the event's: merged (Absorbed: the stories taken in),
	// split (Articles: those moved out; Into: the story they make) or
	// created (a story split out of From).
	Type     string    `json:"type"`
	Absorbed []string  `json:"absorbed,omitempty"`
	Articles []string  `json:"articles,omitempty"`
	Into     string    `json:"into,omitempty"`
	From     string    `json:"from,omitempty"`
	At       time.Time `json:"at"`
}

func cloneEdits(es []Edited) []Edited {
	if es == nil {
		return nil
	}
	out := make([]Edited, len(es))
	for i, e := range es {
		e.Absorbed, e.Articles = slices.Clone(e.Absorbed), slices.Clone(e.Articles)
		out[i] = e
	}
	return out
}

// foldEdits returns the corrections of a story as ev leaves it: prev's,
// those of the stories a merge absorbs, then ev's own. One correction
// merging several stories sends one event per absorbed story: they make
// one record. grew tells that ev added something.
func foldEdits(prev *Story, ev Event, absorbed []*Story) (edits []Edited, grew bool) {
	if prev != nil {
		edits = cloneEdits(prev.Edits)
	}
	add := func(r Edited) bool {
		for i := range edits {
			if edits[i].ID != r.ID {
				continue
			}
			more := false
			for _, id := range r.Absorbed {
				if !slices.Contains(edits[i].Absorbed, id) {
					edits[i].Absorbed, more = append(edits[i].Absorbed, id), true
				}
			}
			return more
		}
		r.Absorbed, r.Articles = slices.Clone(r.Absorbed), slices.Clone(r.Articles)
		edits = append(edits, r)
		return true
	}
	if ev.Type == Merged {
		for _, a := range absorbed {
			if a != nil {
				for _, r := range a.Edits {
					add(r)
				}
			}
		}
	}
	if ev.Edit != nil && add(Edited{Edit: *ev.Edit, Type: ev.Type, Absorbed: ev.Absorbed, Articles: ev.Removed,
		Into: ev.Into, From: ev.From, At: ev.At}) {
		grew = true
	}
	slices.SortStableFunc(edits, func(a, b Edited) int { return a.At.Compare(b.At) })
	return edits, grew
}

// Edit is what events caused by c say of it.
func (c Correction) Edit() *Edit { return &Edit{ID: c.ID, By: c.By, Note: c.Note} }

// EncodeCorrection writes c in the current version, after checking it.
func EncodeCorrection(c Correction) ([]byte, error) {
	c.V = CorrectionVersion
	if err := c.Check(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode correction %q: %w", c.ID, err)
	}
	return b, nil
}

// DecodeCorrection reads and checks a correction.
func DecodeCorrection(data []byte) (Correction, error) {
	var c Correction
	if err := json.Unmarshal(data, &c); err != nil {
		return Correction{}, fmt.Errorf("%w: %v", ErrInvalidCorrection, err)
	}
	if err := c.Check(); err != nil {
		return Correction{}, err
	}
	return c, nil
}

// Check tells whether c is a correction this build can apply, whatever
// the stories hold.
func (c Correction) Check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidCorrection, fmt.Sprintf(format, args...))
	}
	switch {
	case c.V != CorrectionVersion:
		return bad("version %d, this build reads %d", c.V, CorrectionVersion)
	case c.ID == "":
		return bad("no id")
	case c.Op != OpMerge && c.Op != OpSplit:
		return bad("unknown operation %q (known: %s, %s)", c.Op, OpMerge, OpSplit)
	case c.Op == OpMerge && (len(c.Stories) < 2 || len(c.Articles) > 0):
		return bad("a merge names at least two stories and no article, got %d and %d", len(c.Stories), len(c.Articles))
	case c.Op == OpSplit && (len(c.Articles) < 1 || len(c.Stories) > 0):
		return bad("a split names at least one article and no story, got %d and %d", len(c.Articles), len(c.Stories))
	case len(c.Stories) > maxCorrectionStories || len(c.Articles) > maxCorrectionStories:
		return bad("a correction names at most %d stories or articles", maxCorrectionStories)
	case len(c.By) > maxCorrectionText || len(c.Note) > maxCorrectionText:
		return bad("by and note take at most %d bytes each", maxCorrectionText)
	case !utf8.ValidString(c.By) || !utf8.ValidString(c.Note):
		return bad("by and note must be UTF-8")
	}
	for _, id := range append(slices.Clone(c.Stories), c.Articles...) {
		if strings.TrimSpace(id) == "" || id != strings.TrimSpace(id) {
			return bad("id %q", id)
		}
	}
	return nil
}
