package main

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRetainFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{nil, true},
		{[]string{"--retain", "0"}, true},
		{[]string{"--retain", "168h"}, true},
		{[]string{"--retain", "8760h"}, true},
		{[]string{"--retain", "72h"}, false},
		{[]string{"--retain", "1s"}, false},
	} {
		// A setting refused is refused before anything starts: no
		// server, no data directory.
		args := append([]string{"--data", t.TempDir() + "/never", "--nats", "nats://127.0.0.1:1"}, tc.args...)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		err := cmdWorker(ctx, "api", args, testLog(t))
		cancel()
		if refused := errors.Is(err, errUsage); refused == tc.ok {
			t.Errorf("%v: err = %v, want refused: %v", tc.args, err, !tc.ok)
		}
	}
}
