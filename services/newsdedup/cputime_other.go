//go:build !unix

package main

import "time"

// cpuTime is not measured here; bench then reports 0 CPU seconds.
func cpuTime() time.Duration { return 0 }
