package index

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// aliasCorpus is a stream with a merge of a merge, on top of corpus().
func aliasCorpus() []story.Event {
	s := newSim()
	return []story.Event{
		s.add("a", t0, art("a1", "it", "x.example", "Primo", "testo uno")),
		s.add("b", t0.Add(time.Minute), art("b1", "fr", "y.example", "Deuxième", "texte deux")),
		s.add("a", t0.Add(2*time.Minute), art("a2", "it", "z.example", "Primo bis", "testo uno ancora")),
		s.add("c", t0.Add(3*time.Minute), art("c1", "en", "w.example", "Third", "text three")),
		s.merge("b", t0.Add(4*time.Minute), "a"),
		s.merge("c", t0.Add(5*time.Minute), "b"),
		s.add("c", t0.Add(6*time.Minute), art("c2", "en", "w.example", "Third again", "more text")),
	}
}

// TestApplyBatchMatchesApply: folding a stream in batches of any size, or
// with every event repeated inside its batch, reads the same as applying it
// event by event.
func TestApplyBatchMatchesApply(t *testing.T) {
	for name, evs := range map[string][]story.Event{"corpus": corpus(), "aliases": aliasCorpus()} {
		one := mustOpen(t, "")
		applyAll(t, one, evs)
		want := state(t, one)
		one.Close()

		doubled := make([]story.Event, 0, 2*len(evs))
		for _, ev := range evs {
			doubled = append(doubled, ev, ev)
		}
		tests := []struct {
			name  string
			evs   []story.Event
			batch int
		}{
			{"one batch", evs, len(evs)},
			{"batches of 2", evs, 2},
			{"batches of 3", evs, 3},
			{"redelivered in the batch", doubled, len(doubled)},
		}
		for _, tc := range tests {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				ix := mustOpen(t, "")
				defer ix.Close()
				applyInBatches(t, ix, tc.evs, tc.batch)
				if got := state(t, ix); got != want {
					t.Errorf("batched:\n%s\nwant:\n%s", got, want)
				}
			})
		}
	}
}

func TestApplyBatchCheckpointAndErrors(t *testing.T) {
	dir := t.TempDir()
	ix := mustOpen(t, dir)
	evs := corpus()
	bad := append(slices.Clone(evs[:2]), story.Event{}, evs[2])
	if err := ix.ApplyBatch(bad, 9); !errors.Is(err, ErrInvalidEvent) {
		t.Fatalf("ApplyBatch with an event without id = %v, want ErrInvalidEvent", err)
	}
	if p, _ := ix.List(ListQuery{}); p.Total != 0 {
		t.Errorf("a failed batch wrote %d stories", p.Total)
	}
	if seq, _ := ix.Checkpoint(); seq != 0 {
		t.Errorf("a failed batch wrote checkpoint %d", seq)
	}
	if err := ix.ApplyBatch(evs, 5); err != nil {
		t.Fatal(err)
	}
	if err := ix.ApplyBatch(nil, 6); err != nil { // a checkpoint alone
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	ix = mustOpen(t, dir)
	defer ix.Close()
	if seq, err := ix.Checkpoint(); seq != 6 || err != nil {
		t.Errorf("checkpoint after reopen = %d, %v; want 6", seq, err)
	}
	if p, _ := ix.List(ListQuery{}); p.Total != 2 {
		t.Errorf("after reopen: %d stories, want 2", p.Total)
	}
}

func TestWatch(t *testing.T) {
	ix := mustOpen(t, "")
	evs := corpus()
	// The merge was an editor's: its change says so, and the stored story
	// keeps it.
	edit := &story.Edit{ID: "c-1", By: "desk", Note: "one strike"}
	evs[len(evs)-1].Edit = edit
	w := ix.Watch(16)
	small := ix.Watch(1)
	applyAll(t, ix, evs)
	applyAll(t, ix, evs[:1]) // stale: no change

	var got []string
	for range len(evs) {
		c := <-w.C
		got = append(got, c.Type+":"+c.StoryID)
		if c.Type == story.Merged && (!slices.Equal(c.Absorbed, []string{"st-lyon"}) || c.Edit == nil || *c.Edit != *edit) {
			t.Errorf("merge change absorbed %v by edit %+v", c.Absorbed, c.Edit)
		}
		if c.Type != story.Merged && c.Edit != nil {
			t.Errorf("%s change names an edit: %+v", c.Type, c.Edit)
		}
	}
	if v, ok, err := ix.Story("st-lyon"); err != nil || !ok || v.ID != "st-verona" || len(v.Edits) != 1 || v.Edits[0].Edit != *edit ||
		!slices.Equal(v.Edits[0].Absorbed, []string{"st-lyon"}) {
		t.Errorf("stored story %s (%v, %v) lists edits %+v", v.ID, ok, err, v.Edits)
	}
	want := []string{"created:st-verona", "created:st-lyon", "created:st-flood", "updated:st-verona", "merged:st-verona"}
	if !slices.Equal(got, want) {
		t.Errorf("changes = %v, want %v", got, want)
	}
	select {
	case c := <-w.C:
		t.Errorf("stale event announced: %+v", c)
	default:
	}
	if n := small.Missed(); n != uint64(len(evs)-1) {
		t.Errorf("a one-slot watcher missed %d changes, want %d", n, len(evs)-1)
	}
	if n := small.Missed(); n != 0 {
		t.Errorf("Missed did not reset: %d", n)
	}
	small.Stop()
	small.Stop() // harmless twice
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-w.C; ok {
		t.Error("watcher channel open after Close")
	}
	if _, ok := <-ix.Watch(1).C; ok {
		t.Error("Watch on a closed index gives an open channel")
	}
}

// TestDateFacet: stories last seen 2 hours, 3 days, 20 days, 200 days and
// two years before now fall in the cumulative buckets, and a bucket's From
// used as a filter finds exactly the stories it counted.
func TestDateFacet(t *testing.T) {
	now := time.Date(2025, 12, 14, 10, 30, 0, 0, time.UTC)
	s := newSim()
	ix := mustOpen(t, "")
	defer ix.Close()
	for i, age := range []time.Duration{2 * time.Hour, 72 * time.Hour, 20 * 24 * time.Hour, 200 * 24 * time.Hour, 730 * 24 * time.Hour} {
		id := string(rune('a' + i))
		applyAll(t, ix, []story.Event{s.add(id, now.Add(-age), art(id+"1", "en", "x.example", "Story "+id, "text"))})
	}
	r, err := ix.Search(SearchQuery{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	var order []string
	for _, f := range r.Facets[FacetDate] {
		got[f.Term] = f.Count
		order = append(order, f.Term)
		q := SearchQuery{Now: now, From: f.From, To: f.To}
		fr, err := ix.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		if int(fr.Total) != f.Count {
			t.Errorf("bucket %s counts %d, its range [%v, %v) finds %d", f.Term, f.Count, f.From, f.To, fr.Total)
		}
	}
	want := map[string]int{"24h": 1, "7d": 2, "30d": 3, "365d": 4, "older": 1}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("date facet %s = %d, want %d (all: %v)", k, got[k], v, got)
		}
	}
	if !slices.Equal(order, []string{"24h", "7d", "30d", "365d", "older"}) {
		t.Errorf("date facet order %v", order)
	}
	if f := r.Facets[FacetDate][0]; !f.From.Equal(time.Date(2025, 12, 13, 10, 0, 0, 0, time.UTC)) || !f.To.IsZero() {
		t.Errorf("24h bucket range [%v, %v), want from the hour a day ago", f.From, f.To)
	}
}

// TestBrowseMatchesSearch: browsing without words or filters is answered
// from the in-memory counts and a window of recent stories; it must give
// what the full search gives (forced here by a filter that keeps every
// story), after merges, redeliveries and a reopen.
func TestBrowseMatchesSearch(t *testing.T) {
	now := t0.Add(48 * time.Hour)
	check := func(t *testing.T, ix *Index) {
		t.Helper()
		sameAsFullSearch(t, ix, now, []SearchQuery{{Sort: SortUpdated, Size: 2}, {Size: 3, Offset: 1}, {Sort: SortUpdated}})
	}
	dir := t.TempDir()
	ix := mustOpen(t, dir)
	evs := append(corpus(), aliasCorpus()...)
	for _, ev := range evs {
		applyAll(t, ix, []story.Event{ev, ev})
		check(t, ix)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix = mustOpen(t, dir)
	defer ix.Close()
	check(t, ix)
	if total, _ := ix.tally.facets(now); total != 3 {
		t.Errorf("tally after reopen counts %d stories, want 3", total)
	}
}

// TestBrowseAmongMatchesSearch: browsing one language or one source is
// answered from counts learnt on its first browse and kept up to date batch
// by batch; after every event (merges and redeliveries included) and after
// a reopen it must give what the full search gives (forced by a date
// filter that keeps every story).
func TestBrowseAmongMatchesSearch(t *testing.T) {
	now := t0.Add(48 * time.Hour)
	ancient := time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	check := func(t *testing.T, ix *Index) {
		t.Helper()
		all, err := ix.Search(SearchQuery{Now: now, From: ancient})
		if err != nil {
			t.Fatal(err)
		}
		var qs []SearchQuery
		for _, f := range all.Facets[FacetLang] {
			qs = append(qs, SearchQuery{Langs: []string{f.Term}, Sort: SortUpdated, Size: 2}, SearchQuery{Langs: []string{strings.ToUpper(f.Term)}, Size: 1, Offset: 1})
		}
		for _, f := range all.Facets[FacetSource] {
			qs = append(qs, SearchQuery{Sources: []string{f.Term}, Sort: SortUpdated}, SearchQuery{Sources: []string{" " + f.Term}, Size: 1})
		}
		qs = append(qs, SearchQuery{Langs: []string{"xx"}}, SearchQuery{Sources: []string{"nowhere.example"}})
		sameAsFullSearch(t, ix, now, qs)
	}
	dir := t.TempDir()
	ix := mustOpen(t, dir)
	evs := append(corpus(), aliasCorpus()...)
	for _, ev := range evs {
		applyAll(t, ix, []story.Event{ev, ev})
		check(t, ix)
	}
	if len(ix.tally.co) == 0 {
		t.Fatal("no counts were learnt: the fast path was not taken")
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix = mustOpen(t, dir)
	defer ix.Close()
	check(t, ix)
}

// TestTallyForgetsOldestValue: at most coValues values keep their counts,
// the first learnt going first.
func TestTallyForgetsOldestValue(t *testing.T) {
	tl := newTally()
	for i := range coValues + 2 {
		tl.learn(fmt.Sprintf("lang:l%d", i), map[string]int{})
	}
	if len(tl.co) != coValues || tl.known("lang:l0") || tl.known("lang:l1") || !tl.known("lang:l2") {
		t.Fatalf("kept %d values; l0 %v l1 %v l2 %v", len(tl.co), tl.known("lang:l0"), tl.known("lang:l1"), tl.known("lang:l2"))
	}
}

// sameAsFullSearch runs each query as it is, where browsing may answer it,
// and with a date filter that keeps every story, which forces the full
// search; the two must agree on hits, total and facets.
func sameAsFullSearch(t *testing.T, ix *Index, now time.Time, qs []SearchQuery) {
	t.Helper()
	ancient := time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, q := range qs {
		q.Now = now
		fast, err := ix.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		q.From = ancient
		full, err := ix.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		fast.Took, full.Took = 0, 0
		if got, want := fmt.Sprint(hitIDs(fast.Hits), fast.Total, fast.Facets), fmt.Sprint(hitIDs(full.Hits), full.Total, full.Facets); got != want {
			t.Errorf("%+v:\nbrowse %s\nsearch %s", q, got, want)
		}
	}
}
