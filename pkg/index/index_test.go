package index

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/newsdedup/newsdedup/pkg/story"
)

func TestApplyEvents(t *testing.T) {
	evs := corpus()
	tests := []struct {
		name      string
		applied   int      // events of corpus() applied
		wantList  []string // List order, newest first
		storyID   string
		wantID    string // story Story(storyID) resolves to; "" = not found
		wantArts  []string
		wantTexts bool
	}{
		{"created", 1, []string{"st-verona"}, "st-verona", "st-verona", []string{"it-1"}, true},
		{"second story", 2, []string{"st-lyon", "st-verona"}, "st-lyon", "st-lyon", []string{"fr-1"}, true},
		{"updated", 4, []string{"st-verona", "st-flood", "st-lyon"}, "st-verona", "st-verona", []string{"it-1", "it-2"}, true},
		{"merged", 5, []string{"st-verona", "st-flood"}, "st-verona", "st-verona", []string{"it-1", "fr-1", "it-2"}, true}, // in the order they joined
		{"absorbed id is an alias", 5, []string{"st-verona", "st-flood"}, "st-lyon", "st-verona", []string{"it-1", "fr-1", "it-2"}, true},
		{"unknown", 5, []string{"st-verona", "st-flood"}, "nope", "", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := mustOpen(t, "")
			defer ix.Close()
			applyAll(t, ix, evs[:tc.applied])

			p, err := ix.List(ListQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p.Stories); !slices.Equal(got, tc.wantList) || p.Total != uint64(len(tc.wantList)) {
				t.Errorf("List = %v (total %d), want %v", got, p.Total, tc.wantList)
			}

			v, ok, err := ix.Story(tc.storyID)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				if tc.wantID != "" {
					t.Fatalf("Story(%s) not found, want %s", tc.storyID, tc.wantID)
				}
				return
			}
			if v.ID != tc.wantID {
				t.Errorf("Story(%s).ID = %s, want %s", tc.storyID, v.ID, tc.wantID)
			}
			var got []string
			for _, a := range v.Articles {
				got = append(got, a.ID)
				if tc.wantTexts && a.Text == "" {
					t.Errorf("article %s has no text", a.ID)
				}
			}
			if !slices.Equal(got, tc.wantArts) {
				t.Errorf("articles = %v, want %v", got, tc.wantArts)
			}
		})
	}
}

// state is everything a reader can see, to compare two indexes.
func state(t *testing.T, ix *Index) string {
	t.Helper()
	var b strings.Builder
	p, err := ix.List(ListQuery{Limit: MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "list %d:", p.Total)
	for _, s := range p.Stories {
		v, _, err := ix.Story(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Stories folded from version 2 events know their member count;
		// the same stories from version 1 events read the same without.
		v.MemberCount = 0
		fmt.Fprintf(&b, "\n%+v", v)
	}
	for _, q := range []string{"attacchi", "serveurs", "flood", "verona"} {
		r, err := ix.Search(SearchQuery{Q: q, Now: t0})
		if err != nil {
			t.Fatal(err)
		}
		for i := range r.Hits {
			r.Hits[i].Story.MemberCount = 0
		}
		fmt.Fprintf(&b, "\n%s %d %v %v %v", q, r.Total, hitIDs(r.Hits), r.Facets, r.Hits)
	}
	return b.String()
}

func TestReplayIsIdempotent(t *testing.T) {
	evs := corpus()
	once := mustOpen(t, "")
	defer once.Close()
	applyAll(t, once, evs)

	twice := mustOpen(t, "")
	defer twice.Close()
	applyAll(t, twice, evs)
	applyAll(t, twice, evs)
	// Each event applied twice in a row, as a redelivery would.
	redelivered := mustOpen(t, "")
	defer redelivered.Close()
	for _, ev := range evs {
		applyAll(t, redelivered, []story.Event{ev, ev})
	}

	want := state(t, once)
	if got := state(t, twice); got != want {
		t.Errorf("replayed twice:\n%s\nwant:\n%s", got, want)
	}
	if got := state(t, redelivered); got != want {
		t.Errorf("each event twice:\n%s\nwant:\n%s", got, want)
	}
}

func TestOlderVersionIgnored(t *testing.T) {
	evs := corpus()
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, evs[:4]) // st-verona at v2 with it-1, it-2

	stale := evs[0] // st-verona v1
	stale.Story.Headline = "stale headline"
	if err := ix.Apply(stale); err != nil {
		t.Fatal(err)
	}
	v, _, err := ix.Story("st-verona")
	if err != nil {
		t.Fatal(err)
	}
	if v.Version != 2 || v.Headline == "stale headline" || len(v.Articles) != 2 {
		t.Errorf("older event applied: version %d headline %q %d articles", v.Version, v.Headline, len(v.Articles))
	}
}

func TestAliasChain(t *testing.T) {
	s := newSim()
	evs := []story.Event{
		s.add("a", t0, art("a1", "it", "x.example", "Primo", "testo uno")),
		s.add("b", t0.Add(time.Minute), art("b1", "it", "y.example", "Secondo", "testo due")),
		s.add("c", t0.Add(2*time.Minute), art("c1", "it", "z.example", "Terzo", "testo tre")),
		s.merge("b", t0.Add(3*time.Minute), "a"),
		s.merge("c", t0.Add(4*time.Minute), "b"),
	}
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, evs)
	// A late event of an absorbed story must not bring it back.
	late := evs[0]
	late.Story.Version = 99
	if err := ix.Apply(late); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b", "c"} {
		v, ok, err := ix.Story(id)
		if err != nil || !ok || v.ID != "c" || len(v.Articles) != 3 {
			t.Errorf("Story(%s) = %s, %v, %v, %d articles; want c with 3", id, v.ID, ok, err, len(v.Articles))
		}
	}
	p, err := ix.List(ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(p.Stories); !slices.Equal(got, []string{"c"}) {
		t.Errorf("List = %v, want [c]", got)
	}
}

func TestApplyRejectsEventWithoutID(t *testing.T) {
	ix := mustOpen(t, "")
	defer ix.Close()
	if err := ix.Apply(story.Event{}); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("Apply(empty) = %v, want ErrInvalidEvent", err)
	}
}

func TestCheckpointPersists(t *testing.T) {
	dir := t.TempDir()
	ix := mustOpen(t, dir)
	if seq, err := ix.Checkpoint(); err != nil || seq != 0 {
		t.Fatalf("fresh Checkpoint = %d, %v; want 0", seq, err)
	}
	applyAll(t, ix, corpus())
	if err := ix.SetCheckpoint(42); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix = mustOpen(t, dir)
	defer ix.Close()
	if seq, err := ix.Checkpoint(); err != nil || seq != 42 {
		t.Errorf("Checkpoint after reopen = %d, %v; want 42", seq, err)
	}
	if v, ok, err := ix.Story("st-lyon"); err != nil || !ok || v.ID != "st-verona" {
		t.Errorf("Story(st-lyon) after reopen = %s, %v, %v", v.ID, ok, err)
	}
	r, err := ix.Search(SearchQuery{Q: "attacchi"})
	if err != nil || r.Total != 1 {
		t.Errorf("search after reopen: %d hits, %v", r.Total, err)
	}
}

func TestListPagination(t *testing.T) {
	s := newSim()
	ix := mustOpen(t, "")
	defer ix.Close()
	const n = 25
	for i := range n {
		// Pairs share a last_seen so the id tie-break is exercised.
		at := t0.Add(time.Duration(i/2) * time.Minute)
		id := fmt.Sprintf("s%02d", i)
		applyAll(t, ix, []story.Event{s.add(id, at, art("a"+id, "en", "x.example", "Title "+id, "body"))})
	}

	var got []string
	cursor := ""
	pages := 0
	for {
		p, err := ix.List(ListQuery{Limit: 10, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != n {
			t.Errorf("Total = %d, want %d", p.Total, n)
		}
		pages++
		got = append(got, ids(p.Stories)...)
		if p.Next == "" {
			break
		}
		cursor = p.Next
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if pages != 3 || len(got) != n {
		t.Fatalf("%d pages, %d stories; want 3 and %d", pages, len(got), n)
	}
	seen := map[string]bool{}
	for i, id := range got {
		if seen[id] {
			t.Errorf("story %s listed twice", id)
		}
		seen[id] = true
		if i > 0 {
			prev, cur := s.stories[got[i-1]].LastSeen, s.stories[id].LastSeen
			if cur.After(prev) {
				t.Errorf("%s (%v) listed after older %s (%v)", id, cur, got[i-1], prev)
			}
		}
	}

	for _, bad := range []string{"!!!", "bm90IGpzb24", "WyJ4IiwieSJd"} {
		if _, err := ix.List(ListQuery{Cursor: bad}); !errors.Is(err, ErrBadCursor) {
			t.Errorf("List(cursor %q) = %v, want ErrBadCursor", bad, err)
		}
	}
}

func TestDateFilter(t *testing.T) {
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, corpus())
	// Last seen: st-flood t0+2h, st-verona t0+4h.
	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"all", time.Time{}, time.Time{}, []string{"st-verona", "st-flood"}},
		{"from", t0.Add(3 * time.Hour), time.Time{}, []string{"st-verona"}},
		{"to is exclusive", time.Time{}, t0.Add(4 * time.Hour), []string{"st-flood"}},
		{"window", t0.Add(time.Hour), t0.Add(5 * time.Hour), []string{"st-verona", "st-flood"}},
		{"empty window", t0.Add(5 * time.Hour), t0.Add(6 * time.Hour), []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ix.List(ListQuery{From: tc.from, To: tc.to})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p.Stories); !slices.Equal(got, tc.want) {
				t.Errorf("List = %v, want %v", got, tc.want)
			}
			r, err := ix.Search(SearchQuery{From: tc.from, To: tc.to, Sort: SortUpdated})
			if err != nil {
				t.Fatal(err)
			}
			if got := hitIDs(r.Hits); !slices.Equal(got, tc.want) {
				t.Errorf("Search = %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := ix.List(ListQuery{From: t0, To: t0}); !errors.Is(err, ErrBadQuery) {
		t.Errorf("empty range: %v, want ErrBadQuery", err)
	}
}

func TestStoryViewJSONShape(t *testing.T) {
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, corpus())
	v, _, err := ix.Story("st-verona")
	if err != nil {
		t.Fatal(err)
	}
	want := corpus()[4].Story
	if !reflect.DeepEqual(normalize(v.Story), normalize(want)) {
		t.Errorf("stored story differs:\n%+v\nwant\n%+v", v.Story, want)
	}
}

// normalize drops monotonic clock readings so stored and built stories compare.
func normalize(s story.Story) story.Story {
	s.FirstSeen, s.LastSeen = s.FirstSeen.UTC(), s.LastSeen.UTC()
	for i := range s.Members {
		s.Members[i].Added = s.Members[i].Added.UTC()
	}
	return s
}

func TestOpenRebuildsOtherSchema(t *testing.T) {
	dir := t.TempDir()
	ix := mustOpen(t, dir)
	applyAll(t, ix, corpus())
	if err := ix.SetCheckpoint(5); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// Waiting for the disk, so that Close keeps the write (the index's own
	// configuration, stored with it, does not).
	raw, err := bleve.OpenUsing(filepath.Join(dir, indexDirName), map[string]any{"unsafe_batch": false})
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.SetInternal(keySchema, []byte("older-layout")); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	ix = mustOpen(t, dir)
	defer ix.Close()
	if seq, err := ix.Checkpoint(); err != nil || seq != 0 {
		t.Errorf("Checkpoint after rebuild = %d, %v; want 0 so the stream is replayed", seq, err)
	}
	if p, err := ix.List(ListQuery{}); err != nil || p.Total != 0 {
		t.Errorf("rebuilt index lists %d stories, %v; want an empty index", p.Total, err)
	}
	applyAll(t, ix, corpus())
	if p, err := ix.List(ListQuery{}); err != nil || p.Total != 2 {
		t.Errorf("after replay: %d stories, %v", p.Total, err)
	}
}

// TestReadWhileApplying runs readers beside the writer (for -race).
func TestReadWhileApplying(t *testing.T) {
	ix := mustOpen(t, "")
	defer ix.Close()
	evs := corpus()
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if _, err := ix.Search(SearchQuery{Q: "attacchi"}); err != nil {
					t.Error(err)
				}
				if _, _, err := ix.Story("st-lyon"); err != nil {
					t.Error(err)
				}
				if _, err := ix.List(ListQuery{}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	applyAll(t, ix, evs)
	wg.Wait()
}

// TestLateMemberFound: a story's document carries every member's title and
// each article's document its body, so the eighth member of a story of
// long bodies is found by its title and by words only its body has (a
// story's document once held bodies up to 48 KB, and missed these).
func TestLateMemberFound(t *testing.T) {
	ix := mustOpen(t, "")
	defer ix.Close()
	s := newSim()
	body := strings.Repeat("Il consiglio comunale ha discusso il bilancio della città per ore. ", 200) // ~13 KB
	var evs []story.Event
	for i := range 8 {
		id := fmt.Sprintf("a%d", i)
		title := "Bilancio comunale, seduta numero " + id
		text := body
		if i == 7 {
			title = "Bilancio comunale: interviene il revisore Zampolli"
			text = body + " Parola solo nel corpo: quadrifoglio."
		}
		evs = append(evs, s.add("s1", t0.Add(time.Duration(i)*time.Minute), art(id, "it", "x.it", title, text)))
	}
	applyAll(t, ix, evs)
	for _, tc := range []struct {
		q    string
		want int
	}{{"Zampolli", 1}, {"quadrifoglio", 1}, {"bilancio", 1}} {
		res, err := ix.Search(SearchQuery{Q: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if int(res.Total) != tc.want {
			t.Errorf("search %q: %d stories, want %d", tc.q, res.Total, tc.want)
		}
	}
}
