package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// LeaseBucket is the KV bucket that holds the clustering lease: clustering is
// stateful, so exactly one instance is active and the others stand by.
const LeaseBucket = "CLUSTER_LEASE"

const leaseKey = "leader"

// Lease is a time-bounded claim on being the active clustering instance.
// The holder renews it well within its TTL; when the holder dies, the key
// expires with the bucket's TTL and a standby's Create succeeds.
type Lease struct {
	kv     jetstream.KeyValue
	holder string
	ttl    time.Duration
	rev    uint64
	log    *slog.Logger
}

// OpenLease creates (or opens) the lease bucket.
func OpenLease(ctx context.Context, js jetstream.JetStream, holder string, ttl time.Duration, replicas int, log *slog.Logger) (*Lease, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: LeaseBucket, Description: "newsdedup: which cluster instance is active",
		TTL: ttl, History: 1, Replicas: max(replicas, 1),
	})
	if err != nil {
		return nil, fmt.Errorf("lease bucket: %w", err)
	}
	return &Lease{kv: kv, holder: holder, ttl: ttl, log: log}, nil
}

// Acquire blocks until this instance holds the lease or ctx ends.
func (l *Lease) Acquire(ctx context.Context) error {
	waiting := false
	for {
		rev, err := l.kv.Create(ctx, leaseKey, []byte(l.holder))
		if err == nil {
			l.rev = rev
			l.log.Info("clustering lease acquired: this instance is active", "holder", l.holder)
			return nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) {
			l.log.Warn("lease: create failed", "err", err)
		} else if !waiting {
			cur := ""
			if e, err := l.kv.Get(ctx, leaseKey); err == nil {
				cur = string(e.Value())
			}
			l.log.Info("standing by: another instance holds the clustering lease", "holder", cur)
			waiting = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(l.ttl / 4):
		}
	}
}

// Hold renews the lease until ctx ends or it is lost; the returned channel
// closes when this instance must stop being active. On ctx end the lease is
// released so that a standby takes over at once.
func (l *Lease) Hold(ctx context.Context) <-chan struct{} {
	lost := make(chan struct{})
	go func() {
		defer close(lost)
		last := time.Now()
		t := time.NewTicker(l.ttl / 4)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				rel, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
				defer cancel()
				if err := l.kv.Delete(rel, leaseKey, jetstream.LastRevision(l.rev)); err != nil {
					l.log.Warn("lease: release failed; it will expire", "err", err)
				}
				return
			case <-t.C:
			}
			rev, err := l.kv.Update(ctx, leaseKey, []byte(l.holder), l.rev)
			if err == nil {
				l.rev, last = rev, time.Now()
				continue
			}
			if ctx.Err() != nil {
				continue
			}
			// A revision mismatch means someone else holds it now; a passing
			// error is tolerated until the lease would have expired anyway.
			if errors.Is(err, jetstream.ErrKeyExists) || time.Since(last) > l.ttl*3/4 {
				l.log.Error("clustering lease lost: stepping down", "err", err)
				return
			}
			l.log.Warn("lease: renew failed, retrying", "err", err)
		}
	}()
	return lost
}
