package index

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// crashEnv names the directory the child of TestCrashKeepsCheckpoint
// indexes into; unset, TestCrashChild does nothing.
const crashEnv = "NEWSDEDUP_INDEX_CRASH_DIR"

const (
	crashArticles = 400
	crashBatch    = 10
	crashKillAt   = 25 // batches applied before the kill
)

// TestCrashChild is the process TestCrashKeepsCheckpoint kills: it applies
// the stream in batches, each with its checkpoint, and reports each one.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("run by TestCrashKeepsCheckpoint")
	}
	ix := mustOpen(t, dir)
	evs := streamEvents(crashArticles)
	for i := 0; i < len(evs); i += crashBatch {
		end := min(i+crashBatch, len(evs))
		if err := ix.ApplyBatch(evs[i:end], uint64(end)); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("applied %d\n", end)
		time.Sleep(50 * time.Millisecond)
	}
	select {} // wait for the kill
}

// TestCrashKeepsCheckpoint kills a process while it indexes (batches do not
// wait for the disk) and checks what a restart finds: the checkpoint of
// some applied batch, with exactly the documents of the events up to it,
// and after replaying the stream from there the index a clean run gives.
func TestCrashKeepsCheckpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	applied := 0
	for sc := bufio.NewScanner(out); sc.Scan() && applied < crashKillAt*crashBatch; {
		if n, ok := strings.CutPrefix(sc.Text(), "applied "); ok {
			applied, _ = strconv.Atoi(n)
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if applied == 0 {
		t.Fatal("the child applied nothing")
	}

	evs := streamEvents(crashArticles)
	ix := mustOpen(t, dir)
	defer ix.Close()
	seq, err := ix.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed after %d events applied; the index reopened at checkpoint %d", applied, seq)
	if seq > uint64(applied) || seq%crashBatch != 0 && seq != uint64(len(evs)) {
		t.Fatalf("checkpoint %d is not one of the batches applied (%d events)", seq, applied)
	}
	want := mustOpen(t, t.TempDir())
	defer want.Close()
	if err := want.ApplyBatch(evs[:seq], 0); err != nil {
		t.Fatal(err)
	}
	compareStories(t, "at the checkpoint", ix, want, evs)

	for i := int(seq); i < len(evs); i += crashBatch {
		end := min(i+crashBatch, len(evs))
		if err := ix.ApplyBatch(evs[i:end], uint64(end)); err != nil {
			t.Fatal(err)
		}
	}
	if err := want.ApplyBatch(evs[seq:], 0); err != nil {
		t.Fatal(err)
	}
	compareStories(t, "after the replay", ix, want, evs)
}

// compareStories checks that both indexes hold the same version of every
// story of evs (or the same alias for it) and give the same story views.
func compareStories(t *testing.T, when string, got, want *Index, evs []story.Event) {
	t.Helper()
	seen := map[string]bool{}
	for _, ev := range evs {
		if seen[ev.Story.ID] {
			continue
		}
		seen[ev.Story.ID] = true
		describe := func(ix *Index) string {
			s, ok, err := ix.storedStory(ev.Story.ID)
			if err != nil {
				t.Fatal(err)
			}
			to, merged, err := ix.aliasTarget(ev.Story.ID)
			if err != nil {
				t.Fatal(err)
			}
			v, _, err := ix.Story(ev.Story.ID)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("stored %v v%d, alias %v %q, view %d articles", ok, s.Version, merged, to, len(v.Articles))
		}
		if g, w := describe(got), describe(want); g != w {
			t.Errorf("%s, story %s: %s, want %s", when, ev.Story.ID, g, w)
		}
	}
	for _, q := range []string{"", "attacchi ospedale", "+flood +roads"} {
		g, err := got.Search(SearchQuery{Q: q, Now: t0})
		if err != nil {
			t.Fatal(err)
		}
		w, err := want.Search(SearchQuery{Q: q, Now: t0})
		if err != nil {
			t.Fatal(err)
		}
		if g.Total != w.Total || fmt.Sprint(g.Facets) != fmt.Sprint(w.Facets) {
			t.Errorf("%s, search %q: %d stories %v, want %d %v", when, q, g.Total, g.Facets, w.Total, w.Facets)
		}
	}
}

// TestCloseKeepsEverything: with batches that do not wait for the disk,
// Close still waits for them, so a clean restart replays nothing.
func TestCloseKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	ix := mustOpen(t, dir)
	evs := corpus()
	for i, ev := range evs {
		if err := ix.ApplyBatch([]story.Event{ev}, uint64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("Close took %v", time.Since(start).Round(time.Millisecond))
	ix = mustOpen(t, dir)
	defer ix.Close()
	if seq, err := ix.Checkpoint(); err != nil || seq != uint64(len(evs)) {
		t.Errorf("checkpoint after reopen = %d, %v; want %d", seq, err, len(evs))
	}
	want := mustOpen(t, "")
	defer want.Close()
	applyAll(t, want, evs)
	if g, w := state(t, ix), state(t, want); g != w {
		t.Errorf("after reopen:\n%s\nwant:\n%s", g, w)
	}
}
