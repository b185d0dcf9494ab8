//go:build !unix

package index

import "time"

// cpuTime is not measured here; the benchmark then reports zeros for it.
func cpuTime() time.Duration { return 0 }
