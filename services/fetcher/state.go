package fetcher

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/fetch"
)

// Buckets. FETCH_STATE holds each source's fetch state ("feed.<key>") and
// the sources added at run time ("source.<key>"), and keeps them until
// deleted. FETCH_SEEN holds the seen-set ("seen.<key>"), which must expire:
// it grows with every article. Two buckets, because a JetStream KV's age
// limit applies to the whole bucket.
const (
	BucketState = "FETCH_STATE"
	BucketSeen  = "FETCH_SEEN"
)

const (
	feedPrefix   = "feed."
	sourcePrefix = "source."
	seenPrefix   = "seen."
)

// StateOptions shape the buckets.
type StateOptions struct {
	// Replicas of each bucket (1; 3 on a cluster).
	Replicas int
	// SeenTTL is how long an article URL stays in the seen-set
	// (DefaultSeenTTL when 0).
	SeenTTL time.Duration
}

// DefaultSeenTTL is longer than feeds keep an entry. The seen-set costs
// each NATS server memory per URL of the period (about 235 bytes), so a
// newsroom of millions of articles a day may want it shorter.
const DefaultSeenTTL = 30 * 24 * time.Hour

// KVState is the fetch.StateStore of fetcher replicas: JetStream KV, so
// that every replica shares validators, failures and the seen-set, and a
// restart does not fetch everything again.
type KVState struct {
	StateBucket jetstream.KeyValue // FETCH_STATE
	SeenBucket  jetstream.KeyValue // FETCH_SEEN
}

var _ fetch.StateStore = (*KVState)(nil)

// OpenState creates or updates both buckets and returns the store. It is
// safe to call from every replica at start.
func OpenState(ctx context.Context, js jetstream.JetStream, o StateOptions) (*KVState, error) {
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.SeenTTL <= 0 {
		o.SeenTTL = DefaultSeenTTL
	}
	st, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: BucketState, Description: "newsdedup fetcher: per-source fetch state and sources added at run time",
		History: 1, Storage: jetstream.FileStorage, Replicas: o.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("fetcher: bucket %s: %w", BucketState, err)
	}
	seen, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: BucketSeen, Description: "newsdedup fetcher: article URLs already fetched",
		History: 1, TTL: o.SeenTTL, Storage: jetstream.FileStorage, Replicas: o.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("fetcher: bucket %s: %w", BucketSeen, err)
	}
	return &KVState{StateBucket: st, SeenBucket: seen}, nil
}

// Load implements fetch.StateStore.
func (s *KVState) Load(ctx context.Context, url string) (fetch.State, error) {
	e, err := s.StateBucket.Get(ctx, feedPrefix+fetch.Key(url))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return fetch.State{URL: url}, nil
	}
	if err != nil {
		return fetch.State{}, fmt.Errorf("fetcher: load state of %s: %w", url, err)
	}
	var st fetch.State
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		// A record no reader understands is started afresh, not fatal.
		return fetch.State{URL: url}, nil
	}
	return st, nil
}

// Save implements fetch.StateStore.
func (s *KVState) Save(ctx context.Context, st fetch.State) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("fetcher: encode state of %s: %w", st.URL, err)
	}
	if _, err := s.StateBucket.Put(ctx, feedPrefix+fetch.Key(st.URL), b); err != nil {
		return fmt.Errorf("fetcher: save state of %s: %w", st.URL, err)
	}
	return nil
}

// ForgetState deletes the fetch state of url from FETCH_STATE: for a
// source no fetcher polls any more (Status.Overdue), whose state nothing
// else removes. A source still polled gets a fresh state at its next poll,
// its validators and counts gone. Forgetting an unknown URL is no error.
func ForgetState(ctx context.Context, kv jetstream.KeyValue, url string) error {
	if err := kv.Delete(ctx, feedPrefix+fetch.Key(url)); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("fetcher: forget state of %s: %w", url, err)
	}
	return nil
}

// List implements fetch.StateStore.
func (s *KVState) List(ctx context.Context) ([]fetch.State, error) {
	return listStates(ctx, s.StateBucket)
}

// Seen implements fetch.StateStore.
func (s *KVState) Seen(ctx context.Context, url string) (bool, error) {
	_, err := s.SeenBucket.Get(ctx, seenPrefix+fetch.Key(url))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return false, nil
	}
	return false, fmt.Errorf("fetcher: seen-set: %w", err)
}

// MarkSeen implements fetch.StateStore.
func (s *KVState) MarkSeen(ctx context.Context, urls ...string) error {
	for _, u := range urls {
		if _, err := s.SeenBucket.Put(ctx, seenPrefix+fetch.Key(u), []byte(u)); err != nil {
			return fmt.Errorf("fetcher: seen-set: %w", err)
		}
	}
	return nil
}

// values reads every live value under prefix.
func values(ctx context.Context, kv jetstream.KeyValue, prefix string) ([][]byte, error) {
	w, err := kv.Watch(ctx, prefix+"*", jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("fetcher: list %s%s: %w", kv.Bucket(), prefix, err)
	}
	defer w.Stop()
	var out [][]byte
	for {
		select {
		case e := <-w.Updates():
			if e == nil { // the initial values are all there
				return out, nil
			}
			out = append(out, e.Value())
		case <-ctx.Done():
			return nil, fmt.Errorf("fetcher: list %s: %w", kv.Bucket(), ctx.Err())
		}
	}
}

func listStates(ctx context.Context, kv jetstream.KeyValue) ([]fetch.State, error) {
	return decodeAll(ctx, kv, feedPrefix, func(st fetch.State) string { return st.URL })
}

// decodeAll reads every JSON value under prefix, keeps those with a URL,
// and sorts them by it.
func decodeAll[T any](ctx context.Context, kv jetstream.KeyValue, prefix string, url func(T) string) ([]T, error) {
	vals, err := values(ctx, kv, prefix)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(vals))
	for _, v := range vals {
		var x T
		if json.Unmarshal(v, &x) == nil && url(x) != "" {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b T) int { return strings.Compare(url(a), url(b)) })
	return out, nil
}

// Status is a source's fetch state as /metrics and the API show it.
type Status struct {
	fetch.State
	// BackedOff is true while the source is left alone after failures.
	BackedOff bool `json:"backed_off"`
	// Healthy is true when the last poll succeeded.
	Healthy bool `json:"healthy"`
	// Overdue is true when no fetcher has polled the source for a whole
	// interval past its next poll: most often a source no longer listed,
	// whose state stays behind (fetch.State.Overdue).
	Overdue bool `json:"overdue"`
}

// FeedStatus returns the state of every source fetched so far, sorted by
// URL, from the FETCH_STATE bucket (js.KeyValue(ctx, fetcher.BucketState)).
func FeedStatus(ctx context.Context, kv jetstream.KeyValue) ([]Status, error) {
	states, err := listStates(ctx, kv)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	out := make([]Status, len(states))
	for i, st := range states {
		out[i] = Status{State: st, BackedOff: st.BackedOff(now), Healthy: st.Failures == 0, Overdue: st.Overdue(now)}
	}
	return out, nil
}

// FeedStatusOf is FeedStatus for callers that hold only JetStream: before
// any fetcher has created the bucket there are no sources to report.
func FeedStatusOf(ctx context.Context, js jetstream.JetStream) ([]Status, error) {
	kv, err := js.KeyValue(ctx, BucketState)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fetcher: bucket %s: %w", BucketState, err)
	}
	return FeedStatus(ctx, kv)
}

// Summary counts sources for /metrics. An overdue source is counted as
// overdue only: what its last poll said is old news.
type Summary struct {
	Sources   int   `json:"sources"`
	Failing   int   `json:"failing"`
	BackedOff int   `json:"backed_off"`
	Overdue   int   `json:"overdue"`
	Articles  int64 `json:"articles"`
}

// Summarize counts statuses.
func Summarize(list []Status) Summary {
	var s Summary
	for _, st := range list {
		s.Sources++
		s.Articles += st.Articles
		switch {
		case st.Overdue:
			s.Overdue++
		case !st.Healthy:
			s.Failing++
		}
		if st.BackedOff && !st.Overdue {
			s.BackedOff++
		}
	}
	return s
}

// Rank orders statuses for a reader: failing sources first, then healthy
// ones, then those no fetcher polls any more; URL order within each.
func Rank(list []Status) {
	rank := func(s Status) int {
		switch {
		case s.Overdue:
			return 2
		case !s.Healthy:
			return 0
		}
		return 1
	}
	slices.SortStableFunc(list, func(a, b Status) int { return cmp.Compare(rank(a), rank(b)) })
}
