package extractor

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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

// maxCASTries bounds the retries of a compare-and-set that keeps losing races.
const maxCASTries = 20

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
