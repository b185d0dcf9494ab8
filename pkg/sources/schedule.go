package sources

import (
	"hash/fnv"
	"time"
)

// Slot numbers the polls of s: slot n starts at Offset(s) + n*Interval in
// Unix time. Every fetcher replica computes the same slot for the same
// moment, so a poll request can carry the slot as its message id and the
// stream keeps one request per slot however many replicas schedule it.
func Slot(s Source, now time.Time) int64 {
	iv := s.Interval.Nanoseconds()
	if iv <= 0 {
		return 0
	}
	t := now.UnixNano() - Offset(s).Nanoseconds()
	n := t / iv
	if t < 0 && t%iv != 0 {
		n-- // floor, not truncation
	}
	return n
}

// SlotStart is when slot n of s begins.
func SlotStart(s Source, n int64) time.Time {
	return time.Unix(0, Offset(s).Nanoseconds()+n*s.Interval.Nanoseconds())
}

// Offset spreads sources with one interval over it, stably by URL, so that
// hundreds of 10-minute feeds are not all requested in the same second.
func Offset(s Source) time.Duration {
	if s.Interval <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(s.Key()))
	return time.Duration(h.Sum64() % uint64(s.Interval.Nanoseconds()))
}

// Scheduler tells which sources are due. It remembers the last slot it
// fired for each source; a source is due once per slot, and at once for the
// slot in progress when it is first seen (a fresh start polls everything).
// It is not safe for concurrent use: one polling loop owns it.
type Scheduler struct {
	fired map[string]int64
}

// Due is a source to poll now, in its slot.
type Due struct {
	Source Source
	Slot   int64
}

// Due returns the enabled sources of list that are due at now, and when the
// next one will be (zero when list has none enabled). Sources no longer in
// list are forgotten.
func (sc *Scheduler) Due(list []Source, now time.Time) ([]Due, time.Time) {
	if sc.fired == nil {
		sc.fired = map[string]int64{}
	}
	var due []Due
	var next time.Time
	keep := make(map[string]bool, len(list))
	for _, s := range list {
		if s.Disabled || s.Interval <= 0 {
			continue
		}
		k := s.Key()
		keep[k] = true
		n := Slot(s, now)
		if last, ok := sc.fired[k]; !ok || last != n {
			sc.fired[k] = n
			due = append(due, Due{Source: s, Slot: n})
		}
		if at := SlotStart(s, n+1); next.IsZero() || at.Before(next) {
			next = at
		}
	}
	for k := range sc.fired {
		if !keep[k] {
			delete(sc.fired, k)
		}
	}
	return due, next
}
