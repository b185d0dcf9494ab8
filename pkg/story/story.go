// Package story is the model of a story (one real-world event covered by
// many articles) and of the events that announce its changes to consumers.
// It knows nothing of NATS.
package story

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// SchemaVersion is the version of Event written by this code. Version 1
// events carry the whole story; version 2 events carry the story's header
// and only the members that joined (or moved in) with the change, so that
// a story of N members costs O(N) bytes over its life rather than O(N²).
// Fold reads both.
const SchemaVersion = 2

// SplitSchemaVersion is the version of split events, the one kind of event
// in which members leave a story. A version 2 reader, which knows members
// only join, would keep them: it must stop at a split rather than misread
// it, so split events alone carry version 3, and every other event stays
// readable by version 2 readers.
const SplitSchemaVersion = 3

// ErrUnknownVersion is returned for an event written by a newer schema.
var ErrUnknownVersion = errors.New("story: unknown event schema version")

// ErrInvalid is returned for an event that decodes but has no story.
var ErrInvalid = errors.New("story: invalid event")

// Event types.
const (
	Created = "created"
	Updated = "updated"
	Merged  = "merged"
	// Split says that an editor moved articles out of the story (Removed)
	// into a new story (Into), announced just before by its created event.
	Split = "split"
)

// Evidence is one shared feature that tied an article to its story.
type Evidence struct {
	Feature string  `json:"feature"` // e.g. "ent:beauvau", "term:fr:messageri", "num:2025-12"
	Weight  float64 `json:"weight"`
}

// Member is an article's place in a story, without its text.
type Member struct {
	ArticleID string `json:"article_id"`
	Title     string `json:"title,omitempty"`
	// Lead stands in for a missing title: the first line of the article's
	// text, cut at about 140 characters (with "…"), as the story's headline
	// would take it. Empty when the article has a title.
	Lead        string     `json:"lead,omitempty"`
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
	// MembersOmitted counts the members left out of Members in this copy of
	// a story too large for one message (see Fit), or, in a story folded
	// from version 2 events, the members its holder never received; 0 when
	// Members is whole.
	MembersOmitted int `json:"members_omitted,omitempty"`
	// MemberCount is the story's number of articles. Version 2 events set
	// it, since their Members hold only the members that changed; 0 in
	// version 1 events, whose size is Members plus MembersOmitted.
	MemberCount int `json:"member_count,omitempty"`
	// Edits are the editors' corrections that shaped the story, oldest
	// first. Fold gathers them from the events that carry an Edit; the
	// clusterer's own headers never list them, so only folded copies (the
	// search index's, the HTTP API's) have them.
	Edits []Edited `json:"edits,omitempty"`
}

// Size is the story's number of articles, those left out of Members
// included.
func (s Story) Size() int {
	if s.MemberCount > 0 {
		return s.MemberCount
	}
	return len(s.Members) + s.MembersOmitted
}

// Event announces a story change. Its Story is the story's header (id,
// headline, languages, sources, times, entities, aliases, version, member
// count) with, in version 2, only the members that joined with this change
// (for a merge: those that moved in from the absorbed story), or, in
// version 1, every member. Articles are the full articles that joined, so
// a consumer that replays the events from the start, folding them with
// Fold, rebuilds every story and its texts.
type Event struct {
	V        int               `json:"v"`
	Type     string            `json:"type"`
	Story    Story             `json:"story"`
	Articles []article.Article `json:"articles,omitempty"`
	// Absorbed lists the ids of stories merged into Story (Type == Merged).
	Absorbed []string `json:"absorbed,omitempty"`
	// Repeat marks a re-announcement (an article delivered again to the
	// clusterer, whose first announcement may have been lost): Story is
	// the story's header as it is now, with the member of that article;
	// nothing changed. Its version may equal one already announced.
	Repeat bool `json:"repeat,omitempty"`
	// Removed lists the articles a split took out of Story (Type ==
	// Split), and Into the story they now make.
	Removed []string `json:"removed,omitempty"`
	Into    string   `json:"into,omitempty"`
	// From is, on the created event of a story an editor split out, the
	// story its members came from; their articles came with that story's
	// earlier events, so the event carries none.
	From string `json:"from,omitempty"`
	// Edit names the editor's correction that caused this change (`newsdedup
	// stories merge` or `split`); nil when the engine made it.
	Edit *Edit     `json:"edit,omitempty"`
	At   time.Time `json:"at"`
}

// Encode writes e in the current schema.
func Encode(e Event) ([]byte, error) {
	e.V = SchemaVersion
	if e.Type == Split {
		e.V = SplitSchemaVersion
	}
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode story event %q: %w", e.Story.ID, err)
	}
	return b, nil
}

// ErrTooLarge is returned by Fit when the articles that joined with an event
// alone exceed the limit.
var ErrTooLarge = errors.New("story: event too large")

// Fit encodes e in at most limit bytes. A version 2 event carries only the
// members that changed, which outgrow one message only when two stories of
// many thousands of members merge (and a version 1 event, its whole
// story); rather than an event that can never be published, such an event
// first loses the evidence of the members that did not join with e, then
// its oldest members (counted in MembersOmitted). A consumer folding a
// merge with its copy of the absorbed story (Fold) still has them. The
// members that joined with e keep everything. Any event that fits is
// encoded as Encode would.
func Fit(e Event, limit int) ([]byte, Event, error) {
	b, err := Encode(e)
	if err != nil || len(b) <= limit {
		return b, e, err
	}
	joined := make(map[string]bool, len(e.Articles))
	for _, a := range e.Articles {
		joined[a.ID] = true
	}
	whole := e.Story.Members
	slim := make([]Member, len(whole))
	var others []int // indexes of members that did not join, oldest first
	for i, m := range whole {
		if !joined[m.ArticleID] {
			m.Evidence = nil
			others = append(others, i)
		}
		slim[i] = m
	}
	sort.SliceStable(others, func(a, b int) bool { return whole[others[a]].Added.Before(whole[others[b]].Added) })
	// keepNewest encodes e with the joined members and the newest n others.
	keepNewest := func(n int) ([]byte, Event, error) {
		drop := make(map[int]bool, len(others)-n)
		for _, i := range others[:len(others)-n] {
			drop[i] = true
		}
		f := e
		f.Story.Members = make([]Member, 0, len(whole)-len(drop))
		for i, m := range slim {
			if !drop[i] {
				f.Story.Members = append(f.Story.Members, m)
			}
		}
		f.Story.MembersOmitted = e.Story.MembersOmitted + len(drop)
		b, err := Encode(f)
		return b, f, err
	}
	all, f, err := keepNewest(len(others))
	if err != nil || len(all) <= limit {
		return all, f, err
	}
	none, f, err := keepNewest(0)
	if err != nil {
		return nil, Event{}, err
	}
	if len(none) > limit {
		return nil, Event{}, fmt.Errorf("%w: story %s: %d bytes with only its %d joining articles, limit %d",
			ErrTooLarge, e.Story.ID, len(none), len(e.Articles), limit)
	}
	// Members without evidence are much alike in size: estimate how many
	// fit from the two encodings, then step down until one does. Every
	// later event of such a story comes here too, so a few encodings
	// rather than a bisection's dozen.
	per := float64(len(all)-len(none)) / float64(len(others))
	n := min(len(others)-1, int(float64(limit-len(none))/per))
	for n > 0 {
		b, f, err := keepNewest(n)
		if err != nil || len(b) <= limit {
			return b, f, err
		}
		n -= max(1, n/20)
	}
	return none, f, nil
}

// Decode reads an event and checks it.
func Decode(data []byte) (Event, error) {
	// The fast reader takes what Encode writes; encoding/json reads the
	// rest (and turns invalid UTF-8 into U+FFFD, which the fast one does not).
	e, ok := Event{}, false
	if utf8.Valid(data) {
		e, ok = decodeFast(data)
	}
	if !ok {
		e = Event{}
		if err := json.Unmarshal(data, &e); err != nil {
			return Event{}, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
	}
	if e.V < 1 || e.V > SplitSchemaVersion || e.V == SplitSchemaVersion && e.Type != Split {
		return Event{}, fmt.Errorf("%w: v=%d", ErrUnknownVersion, e.V)
	}
	if e.Story.ID == "" {
		return Event{}, fmt.Errorf("%w: no story id", ErrInvalid)
	}
	return e, nil
}
