//go:build unix

package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// Two processes on one data directory would share a JetStream store and
// a search index: the second run is refused at once, saying who holds it.
func TestDataDirLocked(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lockDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// flock belongs to an open file, so a second open in this process
	// conflicts as another process would.
	if _, err := lockDataDir(dir); !errors.Is(err, errDataDirInUse) || !strings.Contains(err.Error(), "pid ") {
		t.Fatalf("second lock: err = %v, want the directory in use and its holder", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, cmd := range []func() error{
		func() error {
			return cmdRun(ctx, []string{"--data", dir, "--nats-listen", "127.0.0.1:0", "--http", "127.0.0.1:0"}, testLog(t))
		},
		func() error {
			return cmdWorker(ctx, "api", []string{"--data", dir, "--http", "127.0.0.1:0"}, testLog(t))
		},
	} {
		if err := cmd(); !errors.Is(err, errDataDirInUse) {
			t.Errorf("err = %v, want the data directory in use", err)
		}
	}
	unlock()
	again, err := lockDataDir(dir)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	again()
}
