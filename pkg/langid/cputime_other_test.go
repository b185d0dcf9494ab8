//go:build !unix

package langid

import "time"

// cpuTime is unknown here; the per-CPU-second metric is then left out.
func cpuTime() time.Duration { return 0 }
