//go:build !unix

package main

import (
	"fmt"
	"os"
)

// lockDataDir only makes the directory where flock is not available: two
// processes on one data directory are not detected there.
func lockDataDir(dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	return func() {}, nil
}
