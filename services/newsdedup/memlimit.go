package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// defaultMemoryLimit is the Go soft memory limit of the all-in-one process
// (run, bench), so the collector runs more often as the heap nears it
// instead of letting garbage double the live heap (GOGC=100) before
// collecting. 700 MiB rather than nearer 1 GB because the file-backed part
// of the RSS (bleve's mapped segments, the binary: 230–260 MB at 100,000
// articles) is outside it; docs/performance.md has the runs.
const defaultMemoryLimit = 700 << 20

// defaultGCPercent is the collector's GOGC under a memory limit. Each
// cycle marks the whole live heap (lingua's tables, the clustering state,
// bleve's segments: 260–300 MB after 10,000 articles), so at GOGC=100 the
// collector took a quarter of the pipeline's CPU; at 300 it runs half as
// often, and the limit still bounds the heap (docs/performance.md).
const defaultGCPercent = 300

// errMemoryLimit marks a --memory-limit value that cannot be read.
var errMemoryLimit = errors.New("memory limit")

// memoryLimitFlag is the --memory-limit value: a byte size ("900MiB",
// "1GB", "750000000"), or "off" (also "0") for no limit. Unset, it is
// defaultMemoryLimit unless GOMEMLIMIT is in the environment, which the Go
// runtime has applied already and which then wins.
type memoryLimitFlag struct {
	set   bool
	bytes int64 // 0: no limit
}

func (f *memoryLimitFlag) String() string {
	if f == nil || !f.set {
		return "700MiB"
	}
	if f.bytes == 0 {
		return "off"
	}
	return strconv.FormatInt(f.bytes, 10)
}

func (f *memoryLimitFlag) Set(s string) error {
	n, err := parseByteSize(s)
	if err != nil {
		return err
	}
	f.set, f.bytes = true, n
	return nil
}

// apply sets the process's soft memory limit and returns a function that
// puts the previous one back (tests run commands inside one process). It
// reports the limit in force, 0 for none. Under a limit the collector's
// GOGC becomes defaultGCPercent, unless GOGC is in the environment.
func (f *memoryLimitFlag) apply() (limit int64, restore func()) {
	limit, restoreLimit := f.applyLimit()
	if limit == 0 || os.Getenv("GOGC") != "" {
		return limit, restoreLimit
	}
	prev := debug.SetGCPercent(defaultGCPercent)
	return limit, func() {
		debug.SetGCPercent(prev)
		restoreLimit()
	}
}

func (f *memoryLimitFlag) applyLimit() (limit int64, restore func()) {
	var want int64
	switch {
	case f.set:
		want = f.bytes
	case os.Getenv("GOMEMLIMIT") != "":
		prev := debug.SetMemoryLimit(-1) // -1 reads without changing
		if prev == math.MaxInt64 {
			prev = 0
		}
		return prev, func() {}
	default:
		want = defaultMemoryLimit
	}
	if want == 0 {
		want = math.MaxInt64 // the runtime's "no limit"
	}
	prev := debug.SetMemoryLimit(want)
	if want == math.MaxInt64 {
		want = 0
	}
	return want, func() { debug.SetMemoryLimit(prev) }
}

// parseByteSize reads a byte count with an optional unit: B, KB/MB/GB
// (powers of 1000), KiB/MiB/GiB (powers of 1024), as GOMEMLIMIT spells
// them, or K/M/G as powers of 1024. "off" is 0.
func parseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "off") {
		return 0, nil
	}
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') {
		i--
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult := map[string]float64{
		"": 1, "b": 1,
		"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
		"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
		"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
	}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("%w %q: unknown unit %q (use B, KiB, MiB, GiB, KB, MB, GB or off)", errMemoryLimit, s, t[i:])
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%w %q: not a non-negative size", errMemoryLimit, s)
	}
	if v*mult >= math.MaxInt64 {
		return 0, fmt.Errorf("%w %q: too large", errMemoryLimit, s)
	}
	return int64(v * mult), nil
}
