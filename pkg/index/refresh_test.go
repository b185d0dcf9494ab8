package index

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// fakeClock is the index's clock in refresh tests: it moves only when told.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// withRefresh opens an index whose refresh interval is d on a fake clock.
func withRefresh(t testing.TB, dir string, d time.Duration) (*Index, *fakeClock) {
	t.Helper()
	ix := mustOpen(t, dir)
	c := &fakeClock{t: t0}
	ix.now = c.now
	ix.SetRefresh(d)
	return ix, c
}

// views gives the stories of evs as Story reads them (merged ones through
// their aliases).
func views(t *testing.T, ix *Index, evs []story.Event) string {
	t.Helper()
	var b strings.Builder
	seen := map[string]bool{}
	for _, ev := range evs {
		for _, id := range append([]string{ev.Story.ID}, ev.Absorbed...) {
			if seen[id] {
				continue
			}
			seen[id] = true
			v, ok, err := ix.Story(id)
			if err != nil {
				t.Fatal(err)
			}
			v.MemberCount = 0
			fmt.Fprintf(&b, "%s %v %+v\n", id, ok, v)
		}
	}
	return b.String()
}

// TestRefreshLosesNothing: with a refresh interval, stories are read by id
// in their newest version after every batch, as without one; searches and
// lists may lag by the interval, and once the deferred stories are written
// (Refresh, or Close) the index equals one that never deferred. A deferral
// that lost an update fails it.
func TestRefreshLosesNothing(t *testing.T) {
	streams := map[string][]story.Event{"corpus": corpus(), "aliases": aliasCorpus(), "stream": streamEvents(200)}
	for name, v1 := range streams {
		for _, tc := range []struct {
			name  string
			evs   []story.Event
			batch int
			step  time.Duration // the clock's move between batches
		}{
			{"v1 one by one", v1, 1, 100 * time.Millisecond},
			{"v2 one by one", toV2(v1), 1, 100 * time.Millisecond},
			{"v2 in batches of 7", toV2(v1), 7, 300 * time.Millisecond},
			{"v2 replayed over itself", append(toV2(v1), toV2(v1)...), 5, 50 * time.Millisecond},
		} {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				plain := mustOpen(t, "")
				defer plain.Close()
				ix, clock := withRefresh(t, "", time.Second)
				defer ix.Close()
				deferred := 0
				for i := 0; i < len(tc.evs); i += tc.batch {
					end := min(i+tc.batch, len(tc.evs))
					seqs := make([]uint64, 0, end-i)
					for j := i; j < end; j++ {
						seqs = append(seqs, uint64(j+1))
					}
					if err := plain.ApplyBatch(tc.evs[i:end], uint64(end)); err != nil {
						t.Fatal(err)
					}
					cp, err := ix.ApplyStream(tc.evs[i:end], seqs, uint64(end))
					if err != nil {
						t.Fatal(err)
					}
					if len(ix.deferred) > 0 {
						deferred++
					}
					checkCheckpoint(t, ix, cp, uint64(end))
					// The stories of the batch; all of them at the end.
					if g, w := views(t, ix, tc.evs[i:end]), views(t, plain, tc.evs[i:end]); g != w {
						t.Fatalf("after event %d, stories read by id:\n%s\nwant:\n%s", end, g, w)
					}
					clock.t = clock.t.Add(tc.step)
				}
				if deferred == 0 && name == "stream" {
					t.Error("no batch deferred a story: the test tests nothing")
				}
				cp, err := ix.Refresh(time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				if cp != uint64(len(tc.evs)) || len(ix.deferred) != 0 {
					t.Errorf("after Refresh(all): checkpoint %d, %d deferred; want %d, 0", cp, len(ix.deferred), len(tc.evs))
				}
				if g, w := views(t, ix, tc.evs), views(t, plain, tc.evs); g != w {
					t.Errorf("after the refresh, stories read by id:\n%s\nwant:\n%s", g, w)
				}
				if g, w := state(t, ix), state(t, plain); g != w {
					t.Errorf("after the refresh:\n%s\nwant:\n%s", g, w)
				}
			})
		}
	}
}

// checkCheckpoint: the checkpoint returned and stored stays below the
// oldest event of every deferred story, and reaches upTo when none is.
func checkCheckpoint(t *testing.T, ix *Index, cp, upTo uint64) {
	t.Helper()
	want := upTo
	for id, d := range ix.deferred {
		if d.seq == 0 || d.seq > upTo {
			t.Fatalf("story %s deferred with sequence %d, batch up to %d", id, d.seq, upTo)
		}
		want = min(want, d.seq-1)
	}
	if cp != want {
		t.Fatalf("checkpoint %d, want %d (up to %d, %d deferred)", cp, want, upTo, len(ix.deferred))
	}
	if stored, err := ix.Checkpoint(); err != nil || stored != cp {
		t.Fatalf("stored checkpoint %d, %v; want %d", stored, err, cp)
	}
}

// TestRefreshDefers: what the interval defers and what it writes at once.
func TestRefreshDefers(t *testing.T) {
	evs := toV2(aliasCorpus()) // a, b, a, c, merge a→b, merge b→c, c
	ix, clock := withRefresh(t, "", time.Second)
	defer ix.Close()
	w := ix.Watch(64)
	defer w.Stop()
	apply := func(seq int) uint64 {
		t.Helper()
		cp, err := ix.ApplyStream(evs[seq-1:seq], []uint64{uint64(seq)}, uint64(seq))
		if err != nil {
			t.Fatal(err)
		}
		return cp
	}
	searchA := func() int {
		t.Helper()
		r, err := ix.Search(SearchQuery{Q: "ancora", Now: t0})
		if err != nil {
			t.Fatal(err)
		}
		return int(r.Total)
	}
	announced := func() []string {
		var out []string
		for {
			select {
			case c := <-w.C:
				out = append(out, fmt.Sprintf("%s %s v%d", c.Type, c.StoryID, c.Version))
			default:
				return out
			}
		}
	}

	if cp := apply(1); cp != 1 {
		t.Errorf("a new story: checkpoint %d, want 1", cp)
	}
	clock.t = clock.t.Add(200 * time.Millisecond)
	apply(2)
	clock.t = clock.t.Add(200 * time.Millisecond)
	// a's second member, 400 ms after a was written: deferred.
	if cp := apply(3); cp != 2 {
		t.Errorf("a deferred update at 3: checkpoint %d, want 2", cp)
	}
	// Its article's document is not deferred: its words find story a,
	// as last written, at once.
	if r, err := ix.Search(SearchQuery{Q: "ancora", Now: t0}); err != nil || r.Total != 1 || len(r.Hits[0].Story.Members) != 1 {
		t.Errorf("the deferred member's words: %+v, %v; want story a as written, of 1 member", r.Hits, err)
	}
	if v, _, _ := ix.Story("a"); len(v.Members) != 2 || len(v.Articles) != 2 {
		t.Errorf("Story(a) reads %d members, %d articles; want the newest, 2", len(v.Members), len(v.Articles))
	}
	if due, ok := ix.NextRefresh(); !ok || !due.Equal(t0.Add(time.Second)) {
		t.Errorf("NextRefresh = %v, %v; want %v", due, ok, t0.Add(time.Second))
	}
	if got := announced(); fmt.Sprint(got) != "[created a v1 created b v1]" {
		t.Errorf("announced %v before the refresh", got)
	}
	if cp, err := ix.Refresh(t0.Add(900 * time.Millisecond)); err != nil || cp != 2 {
		t.Errorf("Refresh before due: %d, %v; want 2", cp, err)
	}
	clock.t = t0.Add(900 * time.Millisecond)
	if cp, err := ix.Refresh(t0.Add(time.Second)); err != nil || cp != 3 {
		t.Errorf("Refresh when due: %d, %v; want 3", cp, err)
	}
	if n := searchA(); n != 1 {
		t.Errorf("after the refresh the member gives %d hits, want 1", n)
	}
	if got := announced(); fmt.Sprint(got) != "[updated a v2]" {
		t.Errorf("announced %v at the refresh", got)
	}

	// c is new (written), then the merges a→b and b→c, written at once
	// although c was written 100 ms before the second.
	apply(4)
	clock.t = clock.t.Add(100 * time.Millisecond)
	if cp := apply(5); cp != 5 {
		t.Errorf("a merge: checkpoint %d, want 5", cp)
	}
	clock.t = clock.t.Add(100 * time.Millisecond)
	if cp := apply(6); cp != 6 { // merge b→c, 100 ms after b was written
		t.Errorf("a merge into a story just written: checkpoint %d, want 6", cp)
	}
	clock.t = clock.t.Add(100 * time.Millisecond)
	if cp := apply(7); cp != 6 { // c's new member, deferred
		t.Errorf("an update of a story just merged: checkpoint %d, want 6", cp)
	}
	if v, _, _ := ix.Story("a"); v.ID != "c" || len(v.Members) != 5 {
		t.Errorf("Story(a) = %s with %d members, want c with 5", v.ID, len(v.Members))
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if cp, err := ix.Checkpoint(); err == nil {
		t.Errorf("checkpoint readable after Close: %d", cp)
	}
}

// TestRefreshScalesWithSize: a story's refresh interval grows with its
// members (refreshFor), so an update 2 s after a write is written at once
// for a small story and waits for a big one, until its own interval ends.
func TestRefreshScalesWithSize(t *testing.T) {
	tests := []struct {
		name     string
		members  int
		deferred bool          // the update 2 s after the write waits
		due      time.Duration // after the write, when it waits
	}{
		{"small", 3, false, 0},
		{"16 members, 2 s", 16, false, 0},
		{"24 members, 3 s", 24, true, 3 * time.Second},
		{"big, at most 5 s", 300, true, 5 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix, clock := withRefresh(t, "", time.Second)
			defer ix.Close()
			sim := newSim()
			arts := make([]article.Article, tc.members)
			for i := range arts {
				arts[i] = art(fmt.Sprintf("m%d", i), "en", "wire.example", fmt.Sprintf("Harbour crane falls, report %d", i), "A crane fell onto the quay.")
			}
			evs := toV2([]story.Event{
				sim.add("s", t0, arts...),
				sim.add("s", t0.Add(2*time.Second), art("late", "en", "wire.example", "Harbour reopens after crane fall", "Ships sail again.")),
			})
			if cp, err := ix.ApplyStream(evs[:1], []uint64{1}, 1); err != nil || cp != 1 {
				t.Fatalf("the new story: checkpoint %d, %v", cp, err)
			}
			clock.t = t0.Add(2 * time.Second)
			cp, err := ix.ApplyStream(evs[1:], []uint64{2}, 2)
			if err != nil {
				t.Fatal(err)
			}
			if got := cp == 1; got != tc.deferred {
				t.Fatalf("the update 2 s later: checkpoint %d, deferred %v, want %v", cp, got, tc.deferred)
			}
			if due, ok := ix.NextRefresh(); ok != tc.deferred || ok && !due.Equal(t0.Add(tc.due)) {
				t.Errorf("NextRefresh = %v, %v; want %v after the write", due, ok, tc.due)
			}
		})
	}
}

// TestRefreshCloseWrites: Close writes the deferred stories with the last
// checkpoint, so a clean restart replays nothing and has everything.
func TestRefreshCloseWrites(t *testing.T) {
	dir := t.TempDir()
	evs := toV2(aliasCorpus()) // ends with an update of c, just merged
	ix, clock := withRefresh(t, dir, time.Minute)
	for i, ev := range evs {
		if _, err := ix.ApplyStream([]story.Event{ev}, []uint64{uint64(i + 1)}, uint64(i+1)); err != nil {
			t.Fatal(err)
		}
		clock.t = clock.t.Add(time.Second)
	}
	if len(ix.deferred) == 0 {
		t.Fatal("nothing deferred: the test tests nothing")
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix = mustOpen(t, dir)
	defer ix.Close()
	if cp, err := ix.Checkpoint(); err != nil || cp != uint64(len(evs)) {
		t.Errorf("checkpoint after Close %d, %v; want %d", cp, err, len(evs))
	}
	want := mustOpen(t, "")
	defer want.Close()
	applyAll(t, want, evs)
	if g, w := state(t, ix), state(t, want); g != w {
		t.Errorf("after reopen:\n%s\nwant:\n%s", g, w)
	}
}

// refreshCrashEnv names the directory the child of TestRefreshCrash
// indexes into.
const refreshCrashEnv = "NEWSDEDUP_INDEX_REFRESH_CRASH_DIR"

// TestRefreshCrashChild is the process TestRefreshCrash kills: it applies
// the stream in batches with a refresh interval, so stories are deferred
// when it dies.
func TestRefreshCrashChild(t *testing.T) {
	dir := os.Getenv(refreshCrashEnv)
	if dir == "" {
		t.Skip("run by TestRefreshCrash")
	}
	ix, clock := withRefresh(t, dir, time.Second)
	evs := toV2(streamEvents(crashArticles))
	for i := 0; i < len(evs); i += crashBatch {
		end := min(i+crashBatch, len(evs))
		seqs := make([]uint64, 0, end-i)
		for j := i; j < end; j++ {
			seqs = append(seqs, uint64(j+1))
		}
		cp, err := ix.ApplyStream(evs[i:end], seqs, uint64(end))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("applied %d checkpoint %d deferred %d\n", end, cp, len(ix.deferred))
		clock.t = clock.t.Add(100 * time.Millisecond)
		time.Sleep(50 * time.Millisecond)
	}
	select {} // wait for the kill
}

// TestRefreshCrash kills a process that indexes with a refresh interval
// while stories are deferred: the index reopens at a checkpoint below
// every deferred event, and replaying the stream after it gives the index
// a clean run gives. A checkpoint that covered a deferred event would lose
// that event's member.
func TestRefreshCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRefreshCrashChild$", "-test.v")
	cmd.Env = append(os.Environ(), refreshCrashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	applied, deferredAtKill := 0, 0
	for sc := bufio.NewScanner(out); sc.Scan() && applied < crashKillAt*crashBatch; {
		var a, cp, d int
		if _, err := fmt.Sscanf(sc.Text(), "applied %d checkpoint %d deferred %d", &a, &cp, &d); err == nil {
			applied, deferredAtKill = a, d
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if deferredAtKill == 0 {
		t.Fatal("nothing was deferred when the child was killed: the test tests nothing")
	}

	evs := toV2(streamEvents(crashArticles))
	ix := mustOpen(t, dir)
	defer ix.Close()
	seq, err := ix.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed after %d events applied, %d stories deferred; reopened at checkpoint %d", applied, deferredAtKill, seq)
	for i := int(seq); i < len(evs); i += crashBatch {
		end := min(i+crashBatch, len(evs))
		if err := ix.ApplyBatch(evs[i:end], uint64(end)); err != nil {
			t.Fatal(err)
		}
	}
	want := mustOpen(t, t.TempDir())
	defer want.Close()
	if err := want.ApplyBatch(evs, 0); err != nil {
		t.Fatal(err)
	}
	compareStories(t, "after the replay", ix, want, evs)
	if g, w := views(t, ix, evs), views(t, want, evs); g != w {
		t.Errorf("after the replay, stories read by id differ:\n%s\nwant:\n%s", g, w)
	}
}
