package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// BucketEditorLimits holds each editor's correction bucket, shared by every
// API process: behind a load balancer, two replicas each keeping its own
// would allow an editor twice the burst.
const BucketEditorLimits = "API_EDITOR_LIMITS"

// tokens is an editor's bucket: how many corrections it held at At.
type tokens struct {
	Left float64   `json:"left"`
	At   time.Time `json:"at"`
}

// take refills b for the time since it was last taken from (a bucket not
// found is full) and takes one correction from it; when it holds less than
// one, it says how long until it will.
func take(b tokens, found bool, now time.Time, burst int, every time.Duration) (tokens, bool, time.Duration) {
	left := float64(burst)
	if found {
		left = min(left, b.Left+float64(now.Sub(b.At))/float64(every))
	}
	if left < 1 {
		return b, false, time.Duration((1 - left) * float64(every))
	}
	return tokens{Left: left - 1, At: now}, true, 0
}

// sharedLimits keeps the editors' buckets in BucketEditorLimits, each taken
// from by compare-and-set on its revision.
type sharedLimits struct {
	kv    jetstream.KeyValue
	burst int
	every time.Duration
}

// openSharedLimits creates or opens the bucket. Its entries expire once a
// bucket would be full again (burst × every without a correction), so an
// idle editor costs nothing. In memory: a server restart refills them.
func openSharedLimits(ctx context.Context, js jetstream.JetStream, burst int, every time.Duration, replicas int) (*sharedLimits, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: BucketEditorLimits, Description: "newsdedup api: each editor's corrections bucket",
		History: 1, TTL: max(time.Duration(burst)*every, time.Second), Storage: jetstream.MemoryStorage,
		Replicas: max(replicas, 1),
	})
	if err != nil {
		return nil, fmt.Errorf("api: bucket %s: %w", BucketEditorLimits, err)
	}
	return &sharedLimits{kv: kv, burst: burst, every: every}, nil
}

// casTries bounds the compare-and-set rounds of one take: each loses only
// to another process's correction by the same editor.
const casTries = 8

// allow takes one correction from the editor's bucket.
func (s *sharedLimits) allow(ctx context.Context, name string, now time.Time) (bool, time.Duration, error) {
	h := sha256.Sum256([]byte(name))
	key := "editor." + hex.EncodeToString(h[:16])
	for range casTries {
		var b tokens
		found, rev := false, uint64(0)
		e, err := s.kv.Get(ctx, key)
		switch {
		case err == nil:
			rev = e.Revision()
			// A value that does not decode counts as a full bucket,
			// written over.
			found = json.Unmarshal(e.Value(), &b) == nil
		case !errors.Is(err, jetstream.ErrKeyNotFound):
			return false, 0, fmt.Errorf("api: editor limits: %w", err)
		}
		next, ok, wait := take(b, found, now, s.burst, s.every)
		if !ok {
			return false, wait, nil
		}
		v, err := json.Marshal(next)
		if err != nil {
			return false, 0, err
		}
		if rev > 0 {
			_, err = s.kv.Update(ctx, key, v, rev)
		} else {
			_, err = s.kv.Create(ctx, key, v)
		}
		switch {
		case err == nil:
			return true, 0, nil
		case errors.Is(err, jetstream.ErrKeyRevisionMismatch), errors.Is(err, jetstream.ErrKeyExists):
			continue // another process took from it meanwhile
		default:
			return false, 0, fmt.Errorf("api: editor limits: %w", err)
		}
	}
	return false, 0, fmt.Errorf("api: editor limits: %s's bucket changed %d times in a row", name, casTries)
}
