package main

import (
	"context"
	"errors"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"
)

func TestMemoryBudgetLimitFor(t *testing.T) {
	const mib = 1 << 20
	b := newMemoryBudget(1000*mib, 700*mib) // reserve 64 MiB, floor 525 MiB
	tests := []struct {
		name       string
		file, live int64
		want       int64
	}{
		{"few file pages leave the Go limit alone", 30 * mib, 300 * mib, 700 * mib},
		{"up to the budget less the reserve and the limit", 236 * mib, 300 * mib, 700 * mib},
		{"past it the limit gives way", 300 * mib, 300 * mib, 636 * mib},
		{"down to three quarters of it", 420 * mib, 300 * mib, 525 * mib},
		{"and no further", 2000 * mib, 300 * mib, 525 * mib},
		{"nor within a quarter of the live heap", 300 * mib, 520 * mib, 650 * mib},
		{"a live heap near the limit keeps it", 300 * mib, 600 * mib, 700 * mib},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.limitFor(memUsage{file: tt.file, live: tt.live}); got != tt.want {
				t.Errorf("limitFor(%d MiB of file pages, %d MiB live) = %d MiB, want %d MiB", tt.file/mib, tt.live/mib, got/mib, tt.want/mib)
			}
		})
	}
}

func TestMemoryBudgetOff(t *testing.T) {
	tests := []struct {
		name            string
		budget, ceiling int64
	}{
		{"no budget", 0, 700 << 20},
		{"no Go limit to lower", 1000 << 20, 0},
	}
	for _, tt := range tests {
		if b := newMemoryBudget(tt.budget, tt.ceiling); b != nil {
			t.Errorf("%s: got a budget %+v", tt.name, b)
		}
	}
	var none *memoryBudget
	none.start(context.Background(), func(err error) { t.Error(err) })() // starts and stops nothing
	if none.size() != 0 || none.lowestLimit(123) != 123 {
		t.Errorf("a nil budget reports size %d, lowest limit %d", none.size(), none.lowestLimit(123))
	}
}

// TestMemoryBudgetKeep follows a merge's file pages coming and going: the
// Go limit goes down with them and back, is set only when it changes, and
// is the ceiling again once the keeper stops.
func TestMemoryBudgetKeep(t *testing.T) {
	const mib = 1 << 20
	b := newMemoryBudget(1000*mib, 700*mib)
	readings := []int64{40, 40, 250, 300, 300, 500, 120, 40}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	i := 0
	read := func() (memUsage, error) {
		v := readings[min(i, len(readings)-1)] * mib
		if i++; i == len(readings) {
			cancel()
		}
		return memUsage{file: v, live: 300 * mib}, nil
	}
	var set []int64
	if err := b.keep(ctx, time.Millisecond, read, func(l int64) { set = append(set, l/mib) }); err != nil {
		t.Fatal(err)
	}
	want := []int64{686, 636, 525, 700, 700}
	if !slices.Equal(set, want) {
		t.Errorf("limits set %v MiB, want %v", set, want)
	}
	if got := b.lowestLimit(0) / mib; got != 525 {
		t.Errorf("lowest limit %d MiB, want 525", got)
	}
}

func TestMemoryBudgetReadError(t *testing.T) {
	b := newMemoryBudget(1000<<20, 700<<20)
	boom := errors.New("no /proc here")
	var set []int64
	err := b.keep(context.Background(), time.Millisecond, func() (memUsage, error) { return memUsage{}, boom }, func(l int64) { set = append(set, l) })
	if !errors.Is(err, boom) {
		t.Errorf("keep = %v, want %v", err, boom)
	}
	if !slices.Equal(set, []int64{700 << 20}) {
		t.Errorf("limits set %v, want the ceiling alone", set)
	}
}

// TestReadUsage reads this process's own usage: file pages, at least the
// test binary's code that ran, and a live heap after a collection.
func TestReadUsage(t *testing.T) {
	if _, err := os.Stat("/proc/self/statm"); err != nil {
		t.Skipf("no /proc/self/statm: %v", err)
	}
	runtime.GC()
	u, err := readUsage()
	if err != nil {
		t.Fatal(err)
	}
	if u.file <= 0 || u.file%int64(os.Getpagesize()) != 0 {
		t.Errorf("file-backed resident bytes %d, want a positive number of pages", u.file)
	}
	if u.live <= 0 {
		t.Errorf("live heap %d bytes, want some", u.live)
	}
}

func TestMemoryBudgetFlag(t *testing.T) {
	tests := []struct {
		value string // "" leaves it unset
		want  int64
	}{
		{"", defaultMemoryBudget},
		{"2GiB", 2 << 30},
		{"off", 0},
	}
	for _, tt := range tests {
		var f memoryBudgetFlag
		if tt.value != "" {
			if err := f.Set(tt.value); err != nil {
				t.Fatal(err)
			}
		}
		if got := f.bytesOrDefault(); got != tt.want {
			t.Errorf("--memory-budget %q: %d bytes, want %d", tt.value, got, tt.want)
		}
	}
	var f memoryBudgetFlag
	if err := f.Set("lots"); !errors.Is(err, errMemoryLimit) {
		t.Errorf("Set(lots) = %v, want an errMemoryLimit error", err)
	}
}
