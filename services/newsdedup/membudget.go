package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"time"
)

// defaultMemoryBudget is the whole process's resident memory that run and
// bench aim at: issue 8's 1 GB after 100,000 articles.
const defaultMemoryBudget = 1000 << 20

// budgetReserve is what the budget keeps free beside the Go limit and the
// file pages: the heap passes its soft limit by some 20–100 MB when the
// collector cannot keep up, and file pages mapped between two readings
// count before the limit follows them. A reserve of 128 MiB lowered the
// limit more often and did not lower the peaks (docs/performance.md,
// stop 30).
const budgetReserve = 64 << 20

// budgetEvery is how often the file-backed pages are read: a merge maps
// its segments over seconds.
const budgetEvery = 100 * time.Millisecond

// memoryBudget keeps the whole process's resident memory within a budget.
// The Go memory limit bounds what the runtime maps (heap, stacks), but the
// RSS also holds file pages the process maps: bleve's segments, which
// swell from some 20 MB to 300 MB while a merge reads segments whole, and
// the binary. While they are many, the Go limit is lowered by as much, and
// put back as they go. Never below floor, nor within a quarter of the live
// heap: a large index read by many searches, or a heap full of live data,
// would otherwise leave the collector running without end.
type memoryBudget struct {
	budget  int64 // whole-process resident bytes aimed at
	ceiling int64 // the Go limit while file pages leave room (--memory-limit)
	floor   int64 // the lowest Go limit set, whatever the live heap
	reserve int64
	lowest  atomic.Int64 // the lowest Go limit set so far
}

// newMemoryBudget is the budget under Go limit ceiling; nil when either is
// off.
func newMemoryBudget(budget, ceiling int64) *memoryBudget {
	if budget <= 0 || ceiling <= 0 {
		return nil
	}
	b := &memoryBudget{budget: budget, ceiling: ceiling, floor: ceiling - ceiling/4, reserve: budgetReserve}
	b.lowest.Store(ceiling)
	return b
}

// size is the budget, 0 for none.
func (b *memoryBudget) size() int64 {
	if b == nil {
		return 0
	}
	return b.budget
}

// lowestLimit is the lowest Go limit the budget set, or limit when there
// is no budget.
func (b *memoryBudget) lowestLimit(limit int64) int64 {
	if b == nil {
		return limit
	}
	return b.lowest.Load()
}

// memUsage is what the budget reads of the process.
type memUsage struct {
	file int64 // resident file-backed bytes
	live int64 // the Go heap's live bytes at the last collection
}

// limitFor is the Go limit that leaves room for u's file pages.
func (b *memoryBudget) limitFor(u memUsage) int64 {
	return min(b.ceiling, max(b.floor, u.live+u.live/4, b.budget-b.reserve-u.file))
}

// keep reads the process's usage every period and sets the Go limit for
// it with set, until ctx ends; then it sets the ceiling again. A failed
// reading (no /proc) stops it: the ceiling stays.
func (b *memoryBudget) keep(ctx context.Context, every time.Duration, read func() (memUsage, error), set func(int64)) error {
	t := time.NewTicker(every)
	defer t.Stop()
	defer set(b.ceiling)
	cur := b.ceiling
	for {
		u, err := read()
		if err != nil {
			return fmt.Errorf("memory budget: %w", err)
		}
		if l := b.limitFor(u); l != cur {
			set(l)
			cur = l
			if l < b.lowest.Load() {
				b.lowest.Store(l)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// start runs keep on the process's own pages and Go limit in the
// background; the function returned stops it and waits. A nil budget
// starts nothing.
func (b *memoryBudget) start(ctx context.Context, onErr func(error)) (stop func()) {
	if b == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		set := func(l int64) { debug.SetMemoryLimit(l) }
		if err := b.keep(ctx, budgetEvery, readUsage, set); err != nil {
			onErr(err)
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// readUsage reads the process's file pages and live heap.
func readUsage() (memUsage, error) {
	file, err := fileResident()
	if err != nil {
		return memUsage{}, err
	}
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	u := memUsage{file: file}
	if live[0].Value.Kind() == metrics.KindUint64 {
		u.live = int64(live[0].Value.Uint64())
	}
	return u, nil
}

// fileResident reads the process's resident file-backed (and shared)
// bytes from /proc/self/statm, whose third field counts them in pages:
// a few dozen bytes to read, where /proc/self/status is a page.
func fileResident() (int64, error) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, err
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0, fmt.Errorf("/proc/self/statm: %q: too few fields", b)
	}
	pages, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("/proc/self/statm: %w", err)
	}
	return pages * int64(os.Getpagesize()), nil
}

// memoryBudgetFlag is --memory-budget: a byte size or off, parsed as
// --memory-limit is; unset, defaultMemoryBudget.
type memoryBudgetFlag struct{ memoryLimitFlag }

func (f *memoryBudgetFlag) String() string {
	if f == nil || !f.set {
		return "1000MiB"
	}
	return f.memoryLimitFlag.String()
}

// bytesOrDefault is the budget in bytes, 0 for off.
func (f *memoryBudgetFlag) bytesOrDefault() int64 {
	if !f.set {
		return defaultMemoryBudget
	}
	return f.bytes
}

const memoryBudgetUsage = "whole-process resident memory to stay within: while mapped file pages (the search index's segments) are many, the Go memory limit is lowered by as much, down to three quarters of it (e.g. 1000MiB, 2GiB; off: the Go limit alone)"
