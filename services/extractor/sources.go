package extractor

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/services/bus"
)

// SourcesBucketName is the key-value bucket of per-source block counts.
const SourcesBucketName = "EXTRACT_SOURCES"

// SourcesMaxAge is how long a count lives without being updated: the
// boilerplate of a site's old design is forgotten, what recurs stays.
const SourcesMaxAge = 90 * 24 * time.Hour

// SourcesBucket creates or opens the bucket of per-source counts, with as
// many replicas as the ARTICLES stream (1 on one server, 3 on a cluster).
// Every replica of the stage calls it at start; the config is the same.
func SourcesBucket(ctx context.Context, js jetstream.JetStream) (jetstream.KeyValue, error) {
	replicas := 1
	if s, err := js.Stream(ctx, bus.StreamArticles); err == nil {
		if info, err := s.Info(ctx); err == nil && info.Config.Replicas > 0 {
			replicas = info.Config.Replicas
		}
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      SourcesBucketName,
		Description: "extraction: how many articles of each source every short block was seen in",
		History:     1,
		TTL:         SourcesMaxAge,
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("ensure bucket %s: %w", SourcesBucketName, err)
	}
	return kv, nil
}

// KVCounts implements extract.Counts on a JetStream key-value bucket. Keys
// are "<source>.<key>", the source made safe for key syntax; values are
// decimal counts. Increments are compare-and-set, so replicas can share a
// bucket.
type KVCounts struct {
	kv jetstream.KeyValue
}

// NewKVCounts returns counts kept in kv.
func NewKVCounts(kv jetstream.KeyValue) *KVCounts { return &KVCounts{kv: kv} }

// maxCASTries bounds the retries of an increment that keeps losing races.
const maxCASTries = 20

// Get implements extract.Counts.
func (c *KVCounts) Get(ctx context.Context, source, key string) (uint64, error) {
	e, err := c.kv.Get(ctx, kvKey(source, key))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("counts get: %w", err)
	}
	return parseCount(e.Value())
}

// Incr implements extract.Counts.
func (c *KVCounts) Incr(ctx context.Context, source, key string) (uint64, error) {
	return c.IncrBy(ctx, source, key, 1)
}

// IncrBy adds n to the count of key for source and returns the new count.
func (c *KVCounts) IncrBy(ctx context.Context, source, key string, n uint64) (uint64, error) {
	k := kvKey(source, key)
	for try := range maxCASTries {
		e, err := c.kv.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			if _, err := c.kv.Create(ctx, k, []byte(strconv.FormatUint(n, 10))); err == nil {
				return n, nil
			} else if !lostRace(err) {
				return 0, fmt.Errorf("counts create: %w", err)
			}
			if err := backoff(ctx, try); err != nil {
				return 0, err
			}
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("counts get: %w", err)
		}
		cur, err := parseCount(e.Value())
		if err != nil {
			return 0, err
		}
		cur += n
		if _, err := c.kv.Update(ctx, k, []byte(strconv.FormatUint(cur, 10)), e.Revision()); err == nil {
			return cur, nil
		} else if !lostRace(err) {
			return 0, fmt.Errorf("counts update: %w", err)
		}
		if err := backoff(ctx, try); err != nil {
			return 0, err
		}
	}
	return 0, fmt.Errorf("counts: %s: %w", k, errContended)
}

var errContended = errors.New("too many concurrent updates")

// backoff waits a random while, growing with the tries, after a lost
// compare-and-set: two writers in step would otherwise keep colliding.
func backoff(ctx context.Context, try int) error {
	d := time.Duration(rand.Int64N(int64(time.Millisecond) << min(try, 6)))
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// lostRace reports a compare-and-set that another writer won.
func lostRace(err error) bool {
	return errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch)
}

func parseCount(v []byte) (uint64, error) {
	n, err := strconv.ParseUint(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("counts: bad value %q: %w", v, err)
	}
	return n, nil
}

// kvKey builds a bucket key. Key syntax allows letters, digits and
// "-_=./"; anything else in the source becomes '_', and a source name is
// cut at 200 bytes.
func kvKey(source, key string) string {
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_', r == '=':
			return r
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		case r == '.':
			return r
		}
		return '_'
	}, source)
	s = strings.Trim(s, ".")
	for strings.Contains(s, "..") {
		s = strings.ReplaceAll(s, "..", ".")
	}
	if len(s) > 200 {
		s = s[:200]
	}
	if s == "" {
		s = "_"
	}
	return s + "." + key
}
