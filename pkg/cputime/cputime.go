// Package cputime reads the CPU time the process has used. Benchmarks and
// the pipeline bench report costs with it: on a shared machine other
// processes inflate wall time far more than a process's own CPU time.
package cputime

import "time"

// Process returns the CPU time this process has used, user and system,
// or 0 where the platform does not say.
func Process() time.Duration { return process() }
