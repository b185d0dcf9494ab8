package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/services/bus"
	"github.com/newsdedup/newsdedup/services/fetcher"
)

func TestSeenTTLFlagChecked(t *testing.T) {
	for _, tt := range []struct {
		ttl time.Duration
		ok  bool
	}{{0, true}, {fetcher.DefaultSeenTTL, true}, {6 * 24 * time.Hour, true}, {7 * 24 * time.Hour, true},
		{5 * 24 * time.Hour, false}, {time.Hour, false}} {
		err := pipelineFlags{seenTTL: tt.ttl}.check()
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, errUsage)) {
			t.Errorf("--seen-ttl %v: err = %v", tt.ttl, err)
		}
	}
}

// TestRunSeenTTL: the fetcher gives the seen-set the period of its
// --seen-ttl, and a fetcher started later with another changes it.
func TestRunSeenTTL(t *testing.T) {
	dir := t.TempDir()
	url := embeddedNATS(t, dir)
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	for _, ttl := range []time.Duration{8 * 24 * time.Hour, 10 * 24 * time.Hour} {
		ctx, cancel := context.WithCancel(context.Background())
		pf := pipelineFlags{dataDir: dir, concurrency: 1, replicas: 1, poll: time.Hour, seenTTL: ttl, opsAddr: "127.0.0.1:0"}
		done := make(chan error, 1)
		go func() { done <- runStages(ctx, url, []string{bus.StageFetcher}, pf, testLog(t), func(string) {}) }()
		waitFor(t, "the seen-set's period", 30*time.Second, func() (bool, string) {
			kv, err := js.KeyValue(ctx, fetcher.BucketSeen)
			if err != nil {
				return false, err.Error()
			}
			st, err := kv.Status(ctx)
			if err != nil {
				return false, err.Error()
			}
			return st.TTL() == ttl, st.TTL().String()
		})
		stopPipeline(t, "fetcher", cancel, done)
	}
}
