// Package story is the model of a story (one real-world event covered by
// many articles) and of the events that announce its changes to consumers.
// It knows nothing of NATS.
package story

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// SchemaVersion is the version of Event written by this code.
const SchemaVersion = 1

// ErrUnknownVersion is returned for an event written by a newer schema.
var ErrUnknownVersion = errors.New("story: unknown event schema version")

// ErrInvalid is returned for an event that decodes but has no story.
var ErrInvalid = errors.New("story: invalid event")

// Event types.
const (
	Created = "created"
	Updated = "updated"
	Merged  = "merged"
)

// Evidence is one shared feature that tied an article to its story.
type Evidence struct {
	Feature string  `json:"feature"` // e.g. "ent:beauvau", "term:fr:messageri", "num:2025-12"
	Weight  float64 `json:"weight"`
}

// Member is an article's place in a story, without its text.
type Member struct {
	ArticleID   string     `json:"article_id"`
	Title       string     `json:"title,omitempty"`
	URL         string     `json:"url,omitempty"`
	Source      string     `json:"source,omitempty"`
	Lang        string     `json:"lang,omitempty"`
	Published   *time.Time `json:"published,omitempty"`
	Added       time.Time  `json:"added"`
	Score       float64    `json:"score"`                  // similarity to the story when it joined (0 for the founder)
	DuplicateOf string     `json:"duplicate_of,omitempty"` // near-duplicate of this member
	Evidence    []Evidence `json:"evidence,omitempty"`
}

// Entity is a named entity salient in a story.
type Entity struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
}

// Story is one real-world event and the articles that cover it.
type Story struct {
	ID        string    `json:"id"`
	Headline  string    `json:"headline"`
	Languages []string  `json:"languages"`
	Sources   []string  `json:"sources"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Entities  []Entity  `json:"entities,omitempty"`
	Members   []Member  `json:"members"`
	// Aliases are ids of stories merged into this one; they stay resolvable.
	Aliases []string `json:"aliases,omitempty"`
	Version int      `json:"version"` // bumped on every change
}

// Event announces a story change. It carries the whole story (members without
// text) and the full articles that joined with this change, so a consumer that
// replays the events from the start rebuilds every story and its texts.
type Event struct {
	V        int               `json:"v"`
	Type     string            `json:"type"`
	Story    Story             `json:"story"`
	Articles []article.Article `json:"articles,omitempty"`
	// Absorbed lists the ids of stories merged into Story (Type == Merged).
	Absorbed []string  `json:"absorbed,omitempty"`
	At       time.Time `json:"at"`
}

// Encode writes e in the current schema.
func Encode(e Event) ([]byte, error) {
	e.V = SchemaVersion
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode story event %q: %w", e.Story.ID, err)
	}
	return b, nil
}

// Decode reads an event and checks it.
func Decode(data []byte) (Event, error) {
	var e Event
	if err := json.Unmarshal(data, &e); err != nil {
		return Event{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if e.V < 1 || e.V > SchemaVersion {
		return Event{}, fmt.Errorf("%w: v=%d", ErrUnknownVersion, e.V)
	}
	if e.Story.ID == "" {
		return Event{}, fmt.Errorf("%w: no story id", ErrInvalid)
	}
	return e, nil
}
