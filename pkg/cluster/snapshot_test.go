package cluster

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/cputime"
	"github.com/newsdedup/newsdedup/pkg/evalmetrics"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/lexicon"
	"github.com/newsdedup/newsdedup/pkg/story"
)

// snapCase is a stream cut in two: the engine is snapshotted after before,
// and the original and the restored engine are then both fed after.
type snapCase struct {
	name   string
	cfg    Config
	before []article.Article
	after  []article.Article
	// exercises checks that the stream reaches what the case is about.
	exercises func(t *testing.T, evs []story.Event, st Stats)
}

// streamOf makes n synthetic articles about events, step apart from start,
// every seventh a near-copy of the one before, in the languages given in
// turn per event.
func streamOf(s *synth, prefix string, n, events int, start time.Time, step time.Duration, langs ...string) []article.Article {
	var out []article.Article
	for i := range n {
		at := start.Add(time.Duration(i) * step)
		// Fetched a little after publication, so snapshots carry the
		// arrival clocks too.
		fetched := at.Add(time.Duration(i%3) * time.Minute)
		ev := (i * 7) % events
		if i%7 == 6 && len(out) > 0 {
			c := out[len(out)-1]
			c.ID = fmt.Sprintf("%s-%d-copy", prefix, i)
			c.Source = "copy.example"
			c.Title = "Copy: " + c.Title
			c.Published, c.Fetched = &at, &fetched
			out = append(out, c)
			continue
		}
		a := s.article(fmt.Sprintf("%s-%d", prefix, i), ev, at)
		a.Source = fmt.Sprintf("src%d.example", i%5)
		a.Fetched = &fetched
		if len(langs) > 0 {
			a.Lang = langs[(ev+i/events)%len(langs)]
		}
		out = append(out, a)
	}
	return out
}

func countEvents(evs []story.Event, typ string) int {
	n := 0
	for _, ev := range evs {
		if ev.Type == typ {
			n++
		}
	}
	return n
}

func countDups(evs []story.Event) int {
	n := 0
	for _, ev := range evs {
		for _, m := range ev.Story.Members {
			if m.DuplicateOf != "" {
				n++
			}
		}
	}
	return n
}

func snapCases(t *testing.T) []snapCase {
	t0 := time.Date(2025, 12, 1, 6, 0, 0, 0, time.UTC)
	var cases []snapCase

	s := newSynth(40)
	all := streamOf(s, "one", 400, 40, t0, 3*time.Minute)
	cases = append(cases, snapCase{name: "one language, near-duplicates", cfg: DefaultConfig(),
		before: all[:250], after: all[250:],
		exercises: func(t *testing.T, evs []story.Event, st Stats) {
			if n := countDups(evs); n == 0 {
				t.Error("no near-duplicate")
			}
		}})

	// Pairs of events found two stories each, until an article covering
	// both bridges them and, with a low merge bar, they merge: half the
	// pairs before the snapshot, half after.
	merge := DefaultConfig()
	merge.MergeThreshold, merge.MergeOneLang = 0.2, -1
	s = newSynth(16)
	all = nil
	for round := range 10 {
		for ev := range 16 {
			at := t0.Add(time.Duration(len(all)) * time.Minute)
			all = append(all, s.article(fmt.Sprintf("merge-%d-%d", round, ev), ev, at))
			if pair := ev / 2; ev%2 == 1 && round == 2+5*(pair%2) {
				a, b := all[len(all)-2], all[len(all)-1]
				at = at.Add(time.Second)
				all = append(all, article.Article{ID: fmt.Sprintf("bridge-%d", pair), Lang: "en",
					Title: a.Title + ": " + b.Title, Text: a.Text + " " + b.Text, Published: &at})
			}
		}
	}
	cut := 16*5 + 4
	cases = append(cases, snapCase{name: "merges and aliases", cfg: merge,
		before: all[:cut], after: append(all[cut:], all[3], all[40], all[cut-1]),
		exercises: func(t *testing.T, evs []story.Event, st Stats) {
			if n := countEvents(evs, story.Merged); n < 4 {
				t.Errorf("%d merges, want at least 4", n)
			}
		}})

	// The handwritten merge: the snapshot holds the alias, the articles
	// after it join the merged story through it.
	m1 := article.Article{ID: "m1", Lang: "en", Published: at(0), Title: "Quarry wall collapses near Tarvel",
		Text: "A quarry wall collapsed near the village of Tarvel on Monday, burying two excavators. " +
			"The operator, Brennock Stone, halted all blasting and evacuated the pit."}
	m2 := article.Article{ID: "m2", Lang: "en", Published: at(1), Title: "Rescuers search for three missing workers",
		Text: "Rescue teams with sniffer dogs searched through the night for three missing workers, " +
			"said regional fire chief Dana Whitcombe, who asked residents to keep away from the roads."}
	m3 := article.Article{ID: "m3", Lang: "en", Published: at(2), Title: m1.Title + ": " + m2.Title, Text: m1.Text + " " + m2.Text}
	m4 := m2
	m4.ID, m4.Published = "m4", at(3)
	hand := DefaultConfig()
	hand.MergeThreshold, hand.MergeOneLang = 0.2, -1
	w := wire
	w.Published = at(4)
	cases = append(cases, snapCase{name: "alias of a merged story", cfg: hand,
		before: []article.Article{m1, m2, m3}, after: []article.Article{m4, m2, m1, w},
		exercises: func(t *testing.T, evs []story.Event, st Stats) {
			if countEvents(evs, story.Merged) != 1 {
				t.Errorf("%d merges, want 1", countEvents(evs, story.Merged))
			}
		}})

	// A short window: stories retire, retired ones are forgotten, the
	// dictionary recycles ids, across the snapshot.
	short := DefaultConfig()
	short.Window = 6 * time.Hour
	short.Retain = 12 * time.Hour
	s = newSynth(30)
	all = streamOf(s, "aged", 360, 30, t0, 20*time.Minute)
	cases = append(cases, snapCase{name: "stories out of the window", cfg: short,
		before: all[:200], after: append(all[200:], all[190], all[5]),
		exercises: func(t *testing.T, evs []story.Event, st Stats) {
			if st.RetiredStories == 0 {
				t.Error("no retired story")
			}
		}})

	// Stories that never go quiet let their older members go, and the
	// ids of those expire, on both sides of the snapshot. Delivered again
	// at the end: a member held, and one let go whose id is still known
	// (one delivered after its id expired is new, and counts twice:
	// TestOpenStoryLetsMembersGo).
	open := DefaultConfig()
	open.Window, open.Retain = 6*time.Hour, 6*time.Hour
	all = streamOf(newSynth(2), "open", 400, 2, t0, 10*time.Minute, "en", "fr")
	cases = append(cases, snapCase{name: "open stories letting members go", cfg: open,
		before: all[:300], after: append(all[300:], all[390], all[300]),
		exercises: func(t *testing.T, evs []story.Event, st Stats) {
			if st.Forgotten < 200 {
				t.Errorf("%d members let go, want most", st.Forgotten)
			}
		}})

	// Several languages: features become cross-lingual, stories mixed.
	s = newSynth(20)
	all = streamOf(s, "multi", 160, 20, t0, 2*time.Minute, "en", "fr", "it", "de")
	multi := append([]article.Article{}, unrelated...)
	for i := range multi {
		multi[i].Published = at(i)
	}
	cases = append(cases, snapCase{name: "several languages", cfg: DefaultConfig(),
		before: append(multi[:4:4], all[:80]...), after: append(multi[4:], all[80:]...),
		exercises: func(t *testing.T, evs []story.Event, st Stats) {
			mixed := 0
			for _, ev := range evs {
				if len(ev.Story.Languages) > 1 {
					mixed++
				}
			}
			if mixed == 0 {
				t.Error("no story in two languages")
			}
		}})

	// Articles without a time take the configured clock's.
	clock := DefaultConfig()
	clock.Now = func() time.Time { return time.Date(2025, 12, 11, 12, 0, 0, 0, time.FixedZone("", 3600)) }
	undated := func(as []article.Article) []article.Article {
		out := slices.Clone(as)
		for i := range out {
			if i%3 == 0 {
				out[i].Published = nil
			}
		}
		return out
	}
	cases = append(cases, snapCase{name: "undated articles and an empty snapshot", cfg: clock,
		after: undated(streamOf(newSynth(10), "undated", 60, 10, t0, time.Minute))})
	return cases
}

// encodeEvents is the bytes the stage would publish for a list of events.
func encodeEvents(t *testing.T, evs []story.Event) []byte {
	t.Helper()
	var out []byte
	for _, ev := range evs {
		b, err := story.Encode(ev)
		if err != nil {
			t.Fatal(err)
		}
		out = append(append(out, b...), '\n')
	}
	return out
}

func snapshotOf(t testing.TB, e *Engine) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := e.WriteSnapshot(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// checkContinues snapshots a after its articles so far (ids), loads the
// snapshot into a new engine and feeds both the further articles: events,
// Stats, StoryOf and Story must agree throughout.
func checkContinues(t *testing.T, a *Engine, cfg Config, ids []string, after []article.Article) []story.Event {
	t.Helper()
	snap := snapshotOf(t, a)
	b := New(cfg, a.fx)
	if err := b.ReadSnapshot(bytes.NewReader(snap)); err != nil {
		t.Fatalf("read snapshot: %v", err)
	}
	if again := snapshotOf(t, b); !bytes.Equal(again, snap) {
		t.Fatalf("the restored engine's snapshot differs from the original's (%d vs %d bytes)", len(again), len(snap))
	}
	sameState(t, a, b, ids)
	var evs []story.Event
	for i, x := range after {
		ea, errA := a.Add(x)
		eb, errB := b.Add(x)
		if errA != nil || errB != nil {
			t.Fatalf("add %s: %v, %v", x.ID, errA, errB)
		}
		if ga, gb := encodeEvents(t, ea), encodeEvents(t, eb); !bytes.Equal(ga, gb) {
			t.Fatalf("article %d (%s) after the snapshot: events differ\noriginal: %.600s\nrestored: %.600s", i, x.ID, ga, gb)
		}
		evs = append(evs, ea...)
		ids = append(ids, x.ID)
	}
	sameState(t, a, b, ids)
	if sa, sb := snapshotOf(t, a), snapshotOf(t, b); !bytes.Equal(sa, sb) {
		t.Errorf("final states differ (snapshots of %d and %d bytes)", len(sa), len(sb))
	}
	return evs
}

// sameState compares what the engines tell of their stories.
func sameState(t *testing.T, a, b *Engine, ids []string) {
	t.Helper()
	if sa, sb := a.Stats(), b.Stats(); sa != sb {
		t.Fatalf("stats differ: %+v vs %+v", sa, sb)
	}
	storyIDs := map[string]bool{}
	for _, id := range ids {
		ra, oka := a.StoryOf(id)
		rb, okb := b.StoryOf(id)
		if ra != rb || oka != okb {
			t.Fatalf("StoryOf(%s) = %s, %v vs %s, %v", id, ra, oka, rb, okb)
		}
		storyIDs[ra] = true
		storyIDs[StoryID(id)] = true // founded, perhaps merged away since
	}
	for id := range storyIDs {
		sa, oka := a.Story(id)
		sb, okb := b.Story(id)
		ja, _ := json.Marshal(sa)
		jb, _ := json.Marshal(sb)
		if oka != okb || !bytes.Equal(ja, jb) {
			t.Fatalf("Story(%s) differs:\n%s\n%s", id, ja, jb)
		}
	}
}

func TestSnapshotContinuesExactly(t *testing.T) {
	fx := newExtractor(t)
	for _, tc := range snapCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			a := New(tc.cfg, fx)
			var evs []story.Event
			var ids []string
			for _, x := range tc.before {
				ev, err := a.Add(x)
				if err != nil {
					t.Fatal(err)
				}
				evs = append(evs, ev...)
				ids = append(ids, x.ID)
			}
			evs = append(evs, checkContinues(t, a, tc.cfg, ids, tc.after)...)
			if tc.exercises != nil {
				tc.exercises(t, evs, a.Stats())
			}
			t.Logf("%d+%d articles, %d events, %+v, snapshot %d bytes", len(tc.before), len(tc.after), len(evs), a.Stats(), len(snapshotOf(t, a)))
		})
	}
}

// TestSnapshotEvalSets does the same with real articles from the shared
// evaluation sets, in two languages.
func TestSnapshotEvalSets(t *testing.T) {
	fr := loadEval(t, "rpm2-fr-clusters-dev.jsonl")
	en := loadEval(t, "ecbplus-en-clusters-dev.jsonl")
	var all []article.Article
	base := time.Date(2025, 12, 11, 8, 0, 0, 0, time.UTC)
	for i := 0; i < max(len(fr), len(en)); i++ {
		for _, set := range [][]evalmetrics.Item{fr, en} {
			if i < len(set) {
				a := evalArticle(set[i], base.Add(time.Duration(len(all))*time.Minute))
				a.Source = set[i].Topic
				all = append(all, a)
			}
		}
	}
	e := New(DefaultConfig(), newExtractor(t))
	half := len(all) / 2
	var ids []string
	for _, x := range all[:half] {
		if _, err := e.Add(x); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, x.ID)
	}
	// The tail again at the end: redeliveries after a restart.
	evs := checkContinues(t, e, DefaultConfig(), ids, append(all[half:], all[half-5:half]...))
	t.Logf("%d articles, %d events after the snapshot, %+v", len(all), len(evs), e.Stats())
}

func TestSnapshotRejects(t *testing.T) {
	fx := newExtractor(t)
	e := New(DefaultConfig(), fx)
	for _, x := range streamOf(newSynth(10), "r", 40, 10, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), time.Minute) {
		if _, err := e.Add(x); err != nil {
			t.Fatal(err)
		}
	}
	good := snapshotOf(t, e)
	future := append([]byte(snapshotMagic), binary.AppendUvarint(nil, SnapshotVersion+1)...)
	future = append(future, good[len(snapshotMagic)+1:]...)
	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 0xff
	other := DefaultConfig()
	other.Threshold = 0.6
	// Glosses from no dictionaries: other features under the same config.
	noDicts, err := features.New(features.WithLexicon(lexicon.Open(lexicon.Options{Dir: t.TempDir()})))
	if err != nil {
		t.Fatal(err)
	}
	sameDicts := fx.LexiconPrint() == noDicts.LexiconPrint()
	for _, tc := range []struct {
		name string
		cfg  Config
		data []byte
		want error
		fx   *features.Extractor // nil: the snapshot's own
	}{
		{"newer version", DefaultConfig(), future, ErrSnapshotVersion, nil},
		{"truncated", DefaultConfig(), good[:len(good)/2], ErrSnapshotCorrupt, nil},
		{"flipped byte", DefaultConfig(), flipped, ErrSnapshotCorrupt, nil},
		{"not a snapshot", DefaultConfig(), []byte(`{"v":1}`), ErrSnapshotCorrupt, nil},
		{"empty", DefaultConfig(), nil, ErrSnapshotCorrupt, nil},
		{"other configuration", other, good, ErrSnapshotConfig, nil},
		{"other dictionaries", DefaultConfig(), good, ErrSnapshotConfig, noDicts},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bfx := fx
			if tc.fx != nil {
				if sameDicts {
					t.Skipf("needs the FreeDict dictionaries in %s ('make deps' installs them)", lexicon.DefaultDir)
				}
				bfx = tc.fx
			}
			b := New(tc.cfg, bfx)
			err := b.ReadSnapshot(bytes.NewReader(tc.data))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			// A failed load leaves the engine empty and working.
			if st := b.Stats(); st != (Stats{}) {
				t.Errorf("stats after a failed load: %+v", st)
			}
			if evs, err := b.Add(wire); err != nil || len(evs) != 1 || evs[0].Type != story.Created {
				t.Errorf("add after a failed load: %v, %v", evs, err)
			}
		})
	}
	t.Run("damaged anywhere", func(t *testing.T) {
		for i := range 97 {
			at := len(good) * i / 97
			flipped := slices.Clone(good)
			flipped[at] ^= 0x55
			for _, data := range [][]byte{flipped, good[:at]} {
				if err := New(DefaultConfig(), fx).ReadSnapshot(bytes.NewReader(data)); err == nil {
					t.Fatalf("damage at byte %d of %d went unnoticed", at, len(good))
				}
			}
		}
	})
	t.Run("engine not empty", func(t *testing.T) {
		if err := e.ReadSnapshot(bytes.NewReader(good)); !errors.Is(err, ErrNotEmpty) {
			t.Errorf("err = %v, want ErrNotEmpty", err)
		}
	})
	for _, tc := range []struct {
		name        string
		compression byte
		reader      func(io.Reader) io.Reader
	}{
		{"gzip", compressGzip, nil},
		{"gzip, read a byte at a time", compressGzip, iotest.OneByteReader},
		{"raw, read a byte at a time", compressNone, iotest.OneByteReader},
		{"raw, read in halves", compressNone, iotest.HalfReader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := e.writeSnapshot(&buf, tc.compression); err != nil {
				t.Fatal(err)
			}
			var r io.Reader = &buf
			if tc.reader != nil {
				r = tc.reader(r)
			}
			b := New(DefaultConfig(), fx)
			if err := b.ReadSnapshot(r); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(snapshotOf(t, b), good) {
				t.Error("the snapshot loads another state")
			}
		})
	}
}

// BenchmarkSnapshot writes and reads the snapshot of an engine holding
// 100,000 active stories of synthetic 150-word articles, built as
// BenchmarkAdd builds its engine (NEWSDEDUP_BENCH_STORIES sets another
// size), with the body as WriteSnapshot writes it (raw) and gzip-compressed.
// It reports the snapshot's size, the engine's live heap, and the CPU time
// of the whole process per operation (garbage collection included), which
// reads the same whatever else the shared machine runs; add-all-cpu-s is
// the CPU time Add took to build the engine, what a full replay costs.
//
// Measured on the 2-core development machine: see docs/architecture.md.
func BenchmarkSnapshot(b *testing.B) {
	stories := 100000
	if v, err := strconv.Atoi(os.Getenv("NEWSDEDUP_BENCH_STORIES")); err == nil && v > 0 {
		stories = v
	}
	fx := newExtractor(b)
	s := newSynth(stories * 2)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cpu0 := cputime.Process()
	e := New(DefaultConfig(), fx)
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < stories; i += 2 {
				if _, err := e.Add(s.articleFor(fmt.Sprintf("warm-%d", i), i)); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	// What a full replay costs the engine (decoding and NATS aside).
	build := cputime.Process() - cpu0
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := float64(after.HeapAlloc - before.HeapAlloc)
	st := e.Stats()
	type variant struct {
		name        string
		compression byte
		snap        []byte
	}
	variants := []*variant{{name: "raw", compression: compressNone}, {name: "gzip", compression: compressGzip}}
	report := func(b *testing.B, v *variant, cpu time.Duration) {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		b.ReportMetric(float64(len(v.snap))/1e6, "MB")
		b.ReportMetric(float64(len(v.snap))/float64(st.Articles), "B/article")
		b.ReportMetric(heap/1e6, "heap-MB")
		b.ReportMetric(float64(st.ActiveStories), "stories")
		b.ReportMetric(build.Seconds(), "add-all-cpu-s")
	}
	for _, v := range variants {
		var buf bytes.Buffer
		if err := e.writeSnapshot(&buf, v.compression); err != nil {
			b.Fatal(err)
		}
		v.snap = buf.Bytes()
		b.Run(fmt.Sprintf("write/%s/stories=%d", v.name, stories), func(b *testing.B) {
			var out bytes.Buffer
			out.Grow(len(v.snap))
			cpu0 := cputime.Process()
			for b.Loop() {
				out.Reset()
				if err := e.writeSnapshot(&out, v.compression); err != nil {
					b.Fatal(err)
				}
			}
			report(b, v, cputime.Process()-cpu0)
		})
	}
	// Reads start as a restarted process does, with no other engine on the
	// heap for the collector to scan.
	e, s = nil, nil
	for _, v := range variants {
		b.Run(fmt.Sprintf("read/%s/stories=%d", v.name, stories), func(b *testing.B) {
			var cpu time.Duration
			for range b.N {
				b.StopTimer()
				runtime.GC()
				r := New(DefaultConfig(), fx)
				b.StartTimer()
				cpu0 := cputime.Process()
				if err := r.ReadSnapshot(bytes.NewReader(v.snap)); err != nil {
					b.Fatal(err)
				}
				cpu += cputime.Process() - cpu0
			}
			report(b, v, cpu)
		})
	}
}

// TestSnapshotInvariants guards what the format relies on: a member's id
// and duplicate mark are those of the public member at its index, and a
// story whose centroid is shared has one member, whose vector it is, so
// both are written once.
func TestSnapshotInvariants(t *testing.T) {
	e := New(DefaultConfig(), newExtractor(t))
	for _, x := range streamOf(newSynth(40), "p", 60, 40, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), time.Minute) {
		if _, err := e.Add(x); err != nil {
			t.Fatal(err)
		}
	}
	single := 0
	for _, st := range e.active {
		for i, m := range st.members {
			if pub := st.s.Members[i]; pub.ArticleID != m.articleID || pub.DuplicateOf != m.dupOf {
				t.Fatalf("story %s member %d: private %s/%s, public %s/%s", st.s.ID, i, m.articleID, m.dupOf, pub.ArticleID, pub.DuplicateOf)
			}
		}
		if st.shared {
			single++
			if len(st.members) != 1 || (len(st.cent) > 0 && &st.cent[0] != &st.members[0].vec[0]) {
				t.Fatalf("story %s: shares a centroid with %d members", st.s.ID, len(st.members))
			}
		}
	}
	if single == 0 || single == len(e.active) {
		t.Errorf("%d one-member stories of %d: the stream does not test both kinds", single, len(e.active))
	}
}
