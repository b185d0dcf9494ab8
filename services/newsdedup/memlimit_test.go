package main

import (
	"errors"
	"math"
	"runtime/debug"
	"testing"
)

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{in: "900MiB", want: 900 << 20},
		{in: "1GiB", want: 1 << 30},
		{in: "1.5GiB", want: 3 << 29},
		{in: "750MB", want: 750_000_000},
		{in: "1GB", want: 1_000_000_000},
		{in: "512M", want: 512 << 20},
		{in: "64k", want: 64 << 10},
		{in: "123456", want: 123456},
		{in: "100B", want: 100},
		{in: " 900 MiB ", want: 900 << 20},
		{in: "off", want: 0},
		{in: "OFF", want: 0},
		{in: "0", want: 0},
		{in: "", wantErr: true},
		{in: "MiB", wantErr: true},
		{in: "12XB", wantErr: true},
		{in: "-5MiB", wantErr: true},
		{in: "1e30GiB", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseByteSize(tt.in)
		if tt.wantErr {
			if !errors.Is(err, errMemoryLimit) {
				t.Errorf("parseByteSize(%q) = %d, %v; want an errMemoryLimit error", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestMemoryLimitApply(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "") // the default must not depend on the caller's environment
	t.Setenv("GOGC", "")
	before, gcBefore := debug.SetMemoryLimit(-1), gcPercent()
	tests := []struct {
		name  string
		value string // "" leaves the flag unset
		want  int64  // what apply reports
		limit int64  // what the runtime then holds
		gogc  int    // the collector's GOGC meanwhile
	}{
		{name: "default", want: defaultMemoryLimit, limit: defaultMemoryLimit, gogc: defaultGCPercent},
		{name: "explicit", value: "1GiB", want: 1 << 30, limit: 1 << 30, gogc: defaultGCPercent},
		// Without a limit nothing bounds a heap paced at GOGC=300.
		{name: "off", value: "off", want: 0, limit: math.MaxInt64, gogc: gcBefore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f memoryLimitFlag
			if tt.value != "" {
				if err := f.Set(tt.value); err != nil {
					t.Fatal(err)
				}
			}
			got, restore := f.apply()
			if got != tt.want {
				t.Errorf("apply reports %d, want %d", got, tt.want)
			}
			if l := debug.SetMemoryLimit(-1); l != tt.limit {
				t.Errorf("runtime limit %d, want %d", l, tt.limit)
			}
			if g := gcPercent(); g != tt.gogc {
				t.Errorf("GOGC %d, want %d", g, tt.gogc)
			}
			restore()
			if l := debug.SetMemoryLimit(-1); l != before {
				t.Errorf("after restore the limit is %d, want %d", l, before)
			}
			if g := gcPercent(); g != gcBefore {
				t.Errorf("after restore GOGC is %d, want %d", g, gcBefore)
			}
		})
	}
}

// gcPercent reads the collector's GOGC (SetGCPercent only reads by writing).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}
