package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// State is what the fetcher remembers of one source between polls: the
// validators for conditional GET, when it was last fetched and how, and its
// failures. It is shared by fetcher replicas through a StateStore.
type State struct {
	URL    string `json:"url"`
	Kind   Kind   `json:"kind,omitempty"`
	Source string `json:"source,omitempty"`

	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// BodyHash stands in for validators when the server sends none: an
	// unchanged body is not parsed again.
	BodyHash string `json:"body_hash,omitempty"`

	LastAttempt time.Time `json:"last_attempt,omitzero"`
	// NextPoll is when the schedule polls the source again (zero for a
	// source fetched off schedule).
	NextPoll    time.Time `json:"next_poll,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	// LastChange is the last time the body was new; LastNew the last time
	// it brought articles not seen before.
	LastChange time.Time `json:"last_change,omitzero"`
	LastNew    time.Time `json:"last_new,omitzero"`
	LastStatus int       `json:"last_status,omitempty"`

	// Failures counts consecutive failed polls; a success resets it.
	Failures     int       `json:"failures,omitempty"`
	LastError    string    `json:"last_error,omitempty"`
	BackoffUntil time.Time `json:"backoff_until,omitzero"`

	// Entries, Malformed and Deferred describe the last parsed body;
	// Articles counts every article published from the source.
	Entries   int   `json:"entries,omitempty"`
	Malformed int   `json:"malformed,omitempty"`
	Deferred  int   `json:"deferred,omitempty"`
	Articles  int64 `json:"articles,omitempty"`
}

// BackedOff tells whether the source is left alone at now.
func (s State) BackedOff(now time.Time) bool { return now.Before(s.BackoffUntil) }

// Overdue tells whether no fetcher has polled the source for a whole
// interval past its next poll (or past its backoff, if later): most often a
// source taken out of the list, whose state stays behind. A late poll
// under load is not overdue; a source fetched off schedule never is.
func (s State) Overdue(now time.Time) bool {
	if s.NextPoll.IsZero() || !s.NextPoll.After(s.LastAttempt) {
		return false
	}
	due := s.NextPoll
	if s.BackoffUntil.After(due) {
		due = s.BackoffUntil
	}
	return now.After(due.Add(s.NextPoll.Sub(s.LastAttempt)))
}

// StateStore keeps fetch state and the set of article URLs already fetched.
// Implementations must be safe for concurrent use. URLs given to Seen and
// MarkSeen are canonical (article.CanonicalURL).
type StateStore interface {
	// Load returns the state of a source, or a zero State with URL set.
	Load(ctx context.Context, url string) (State, error)
	Save(ctx context.Context, s State) error
	// List returns every source's state, sorted by URL.
	List(ctx context.Context) ([]State, error)
	Seen(ctx context.Context, url string) (bool, error)
	MarkSeen(ctx context.Context, urls ...string) error
}

// Key is a short, stable, storage-safe key for a URL: hex of the SHA-256 of
// its canonical form. Stores whose keys are restricted (NATS KV) use it.
func Key(rawURL string) string {
	h := sha256.Sum256([]byte(article.CanonicalURL(rawURL)))
	return hex.EncodeToString(h[:16])
}

// MemoryState is a StateStore in memory, for tests and single runs.
type MemoryState struct {
	mu     sync.Mutex
	states map[string]State
	seen   map[string]bool
}

// NewMemoryState returns an empty MemoryState.
func NewMemoryState() *MemoryState {
	return &MemoryState{states: map[string]State{}, seen: map[string]bool{}}
}

// Load implements StateStore.
func (m *MemoryState) Load(_ context.Context, url string) (State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.states[url]; ok {
		return s, nil
	}
	return State{URL: url}, nil
}

// Save implements StateStore.
func (m *MemoryState) Save(_ context.Context, s State) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.states[s.URL] = s
	return nil
}

// List implements StateStore.
func (m *MemoryState) List(_ context.Context) ([]State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Collect(maps.Values(m.states))
	slices.SortFunc(out, func(a, b State) int {
		switch {
		case a.URL < b.URL:
			return -1
		case a.URL > b.URL:
			return 1
		}
		return 0
	})
	return out, nil
}

// Seen implements StateStore.
func (m *MemoryState) Seen(_ context.Context, url string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.seen[url], nil
}

// MarkSeen implements StateStore.
func (m *MemoryState) MarkSeen(_ context.Context, urls ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range urls {
		m.seen[u] = true
	}
	return nil
}
