package cluster

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/story"
)

func TestCorrectMerge(t *testing.T) {
	fx := newExtractor(t)
	// Four unrelated stories, founded an hour apart; then the first of
	// them ages out of a 24-hour window when a later article comes.
	setup := func(t *testing.T) (*Engine, []string) {
		cfg := DefaultConfig()
		cfg.Window = 24 * time.Hour
		e := New(cfg, fx)
		var ids []string
		for i, a := range unrelated[:4] {
			a.Published = at(i)
			if i == 3 {
				a.Published = at(30) // the others leave the window but the last
			}
			evs, err := e.Add(a)
			if err != nil || len(evs) != 1 || evs[0].Type != story.Created {
				t.Fatalf("add %s: %v, %v", a.ID, evs, err)
			}
			ids = append(ids, evs[0].Story.ID)
		}
		return e, ids
	}
	when := time.Date(2025, 12, 12, 9, 0, 0, 0, time.UTC)
	merge := func(ids ...string) story.Correction {
		return story.Correction{V: 1, ID: "edit-1", Op: story.OpMerge, Stories: ids, By: "desk", Note: "same fire", At: when}
	}

	t.Run("merges into the oldest", func(t *testing.T) {
		cfg := DefaultConfig()
		e := New(cfg, fx)
		var ids []string
		for i, a := range unrelated[:3] {
			a.Published = at(i)
			evs, err := e.Add(a)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, evs[0].Story.ID)
		}
		// Named newest first: the story first seen survives all the same.
		evs, err := e.Correct(merge(ids[2], ids[0], ids[1]))
		if err != nil {
			t.Fatalf("Correct: %v", err)
		}
		if len(evs) != 2 {
			t.Fatalf("%d events, want one merged event per absorbed story: %+v", len(evs), evs)
		}
		for i, ev := range evs {
			if ev.Type != story.Merged || ev.Story.ID != ids[0] || len(ev.Absorbed) != 1 || ev.Absorbed[0] != ids[i+1] {
				t.Errorf("event %d: %s of %s absorbing %v; want merged of %s absorbing %s", i, ev.Type, ev.Story.ID, ev.Absorbed, ids[0], ids[i+1])
			}
			if ev.Edit == nil || ev.Edit.ID != "edit-1" || ev.Edit.By != "desk" || ev.Edit.Note != "same fire" || !ev.At.Equal(when) {
				t.Errorf("event %d names edit %+v at %v", i, ev.Edit, ev.At)
			}
			if len(ev.Story.Members) != 1 || ev.Story.Members[0].ArticleID != unrelated[i+1].ID {
				t.Errorf("event %d carries members %+v, want the absorbed story's one", i, ev.Story.Members)
			}
		}
		if got := evs[1].Story.MemberCount; got != 3 {
			t.Errorf("member count after the merges = %d, want 3", got)
		}
		for _, a := range unrelated[:3] {
			if sid, _ := e.StoryOf(a.ID); sid != ids[0] {
				t.Errorf("%s is in %s, want %s", a.ID, sid, ids[0])
			}
		}
		if s, ok := e.Story(ids[2]); !ok || s.ID != ids[0] {
			t.Errorf("the absorbed id resolves to %q, %v", s.ID, ok)
		}
		if n := e.Stats().ActiveStories; n != 1 {
			t.Errorf("%d active stories, want 1", n)
		}
		// The same correction again (a redelivery) changes nothing and says
		// nothing; another asking for what is done already is refused.
		before := stateBytes(t, e)
		if evs, err := e.Correct(merge(ids[2], ids[0], ids[1])); err != nil || len(evs) != 0 {
			t.Errorf("the correction again: %v, %v; want nothing", evs, err)
		}
		again := merge(ids[0], ids[2])
		again.ID = "edit-again"
		if _, err := e.Correct(again); !errors.Is(err, ErrAlreadyOne) {
			t.Errorf("merging again: %v, want ErrAlreadyOne", err)
		}
		if !bytes.Equal(before, stateBytes(t, e)) {
			t.Error("a correction delivered again, or refused, changed the engine")
		}
	})

	for _, tc := range []struct {
		name  string
		ids   func(ids []string) []string
		want  error
		whole bool // every story still stands apart afterwards
	}{
		{"unknown story", func(ids []string) []string { return []string{ids[3], "s-nosuch"} }, ErrUnknownStory, true},
		{"unknown story named last, after a good pair", func(ids []string) []string { return []string{ids[3], ids[3], "s-nosuch"} }, ErrUnknownStory, true},
		{"story out of the window", func(ids []string) []string { return []string{ids[3], ids[0]} }, ErrInactive, true},
		{"one story twice", func(ids []string) []string { return []string{ids[3], ids[3]} }, ErrAlreadyOne, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, ids := setup(t)
			before := e.Stats()
			evs, err := e.Correct(merge(tc.ids(ids)...))
			if !errors.Is(err, tc.want) || len(evs) != 0 {
				t.Fatalf("Correct = %v, %v; want %v and no event", evs, err, tc.want)
			}
			if after := e.Stats(); after != before {
				t.Errorf("a refused correction changed the engine: %+v → %+v", before, after)
			}
		})
	}

	t.Run("unknown operation", func(t *testing.T) {
		e, ids := setup(t)
		c := merge(ids[3], ids[2])
		c.Op = "unmerge"
		if _, err := e.Correct(c); !errors.Is(err, story.ErrInvalidCorrection) {
			t.Errorf("Correct = %v, want ErrInvalidCorrection", err)
		}
	})
}

// stateBytes is the engine's whole state, as its snapshot.
func stateBytes(t *testing.T, e *Engine) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := e.WriteSnapshot(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wireCopies is the wire report and n copies of it with small edits, an
// hour apart: one story.
func wireCopies(n int) []article.Article {
	out := []article.Article{wire}
	out[0].Published = at(0)
	for i := 1; i <= n; i++ {
		c := wire
		c.ID = fmt.Sprintf("wire-copy-%d", i)
		c.Source = fmt.Sprintf("site%d.example", i)
		c.Published = at(i)
		c.Text = strings.Replace(c.Text, "on Tuesday", fmt.Sprintf("on Tuesday (update %d)", i), 1)
		out = append(out, c)
	}
	return out
}

func TestCorrectSplit(t *testing.T) {
	fx := newExtractor(t)
	when := time.Date(2025, 12, 12, 9, 0, 0, 0, time.UTC)
	split := func(ids ...string) story.Correction {
		return story.Correction{V: 1, ID: "edit-2", Op: story.OpSplit, Articles: ids, By: "desk", Note: "another ferry", At: when}
	}
	setup := func(t *testing.T, copies int) (*Engine, []article.Article, string) {
		t.Helper()
		e := New(DefaultConfig(), fx)
		as := wireCopies(copies)
		for _, a := range as {
			if _, err := e.Add(a); err != nil {
				t.Fatal(err)
			}
		}
		sid := assertOneStory(t, e, as)
		return e, as, sid
	}

	t.Run("moves the articles into a story of their own", func(t *testing.T) {
		e, as, origin := setup(t, 3)
		before, _ := e.Story(origin)
		evs, err := e.Correct(split(as[3].ID, as[2].ID))
		if err != nil {
			t.Fatalf("Correct: %v", err)
		}
		if len(evs) != 2 || evs[0].Type != story.Created || evs[1].Type != story.Split {
			t.Fatalf("events %+v; want created, then split", evs)
		}
		created, sp := evs[0], evs[1]
		into := created.Story.ID
		if into == origin || created.From != origin || created.Story.Version != 1 || created.Story.MemberCount != 2 ||
			len(created.Story.Members) != 2 || created.Story.Members[0].ArticleID != as[2].ID || len(created.Articles) != 0 {
			t.Errorf("created event: %s from %s v%d, %d members %+v, %d articles", into, created.From, created.Story.Version,
				created.Story.MemberCount, created.Story.Members, len(created.Articles))
		}
		for _, m := range created.Story.Members {
			if m.Score != 0 || len(m.Evidence) == 0 {
				t.Errorf("moved member %s: score %v, evidence %v", m.ArticleID, m.Score, m.Evidence)
			}
			if m.DuplicateOf != "" && m.DuplicateOf != as[2].ID {
				t.Errorf("moved member %s is marked a copy of %s, which stayed behind", m.ArticleID, m.DuplicateOf)
			}
		}
		if sp.V != story.SplitSchemaVersion || sp.Story.ID != origin || sp.Into != into || !slices.Equal(sp.Removed, []string{as[2].ID, as[3].ID}) ||
			sp.Story.MemberCount != 2 || len(sp.Story.Members) != 0 || sp.Story.Version != before.Version+1 {
			t.Errorf("split event: v%d %s into %s removing %v, count %d, %d members, version %d (was %d)", sp.V, sp.Story.ID, sp.Into,
				sp.Removed, sp.Story.MemberCount, len(sp.Story.Members), sp.Story.Version, before.Version)
		}
		for _, ev := range evs {
			if ev.Edit == nil || ev.Edit.ID != "edit-2" || !ev.At.Equal(when) {
				t.Errorf("%s event names %+v at %v", ev.Type, ev.Edit, ev.At)
			}
		}
		for i, a := range as {
			want := origin
			if i >= 2 {
				want = into
			}
			if got, _ := e.StoryOf(a.ID); got != want {
				t.Errorf("%s is in %s, want %s", a.ID, got, want)
			}
		}
		left, _ := e.Story(origin)
		if !slices.Equal(left.Sources, []string{"site1.example", "wire.example"}) || len(left.Members) != 2 || !left.LastSeen.Equal(*at(1)) {
			t.Errorf("the story left: sources %v, %d members, last seen %v", left.Sources, len(left.Members), left.LastSeen)
		}
		checkIndex(t, e)
		// The moved articles' words left the story's centroid: it is the
		// sum of the two articles left.
		want := map[uint32]float32{}
		for _, m := range e.active[origin].members {
			for _, x := range m.vec {
				want[x.id] += x.w
			}
		}
		cent := e.active[origin].cent
		if len(cent) != len(want) {
			t.Errorf("the centroid holds %d features, its articles %d", len(cent), len(want))
		}
		for _, c := range cent {
			if d := c.w - want[c.id]; d > 1e-4 || d < -1e-4 {
				t.Errorf("feature %s weighs %v in the centroid, %v in its articles", e.dict.keys[c.id], c.w, want[c.id])
				break
			}
		}
		if s := e.Stats(); s.ActiveStories != 2 || s.Articles != 4 || s.Known != 4 {
			t.Errorf("stats %+v", s)
		}
		// The state survives a snapshot, the pair kept apart included.
		r, b := throughSnapshot(t, e, fx)
		var again bytes.Buffer
		if err := r.WriteSnapshot(&again); err != nil || !bytes.Equal(b.Bytes(), again.Bytes()) {
			t.Fatalf("the restored engine writes another snapshot (%v)", err)
		}
		// A further copy joins one of the two, and the engine does not
		// merge them back, in either engine.
		next := wireCopies(4)[4]
		for _, x := range []*Engine{e, r} {
			evs, err := x.Add(next)
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range evs {
				if ev.Type == story.Merged {
					t.Errorf("the split stories were merged again: %+v", ev.Absorbed)
				}
			}
			checkIndex(t, x)
			a, _ := x.StoryOf(as[0].ID)
			b, _ := x.StoryOf(as[3].ID)
			if a == b {
				t.Errorf("after another copy the split articles are back in %s", a)
			}
		}
		// An editor may still merge them.
		if _, err := e.Correct(story.Correction{V: 1, ID: "edit-3", Op: story.OpMerge, Stories: []string{origin, into}, At: when}); err != nil {
			t.Errorf("merging the split stories: %v", err)
		}
	})

	t.Run("the copies of an article that leaves are no longer marked", func(t *testing.T) {
		e, as, origin := setup(t, 3)
		before, _ := e.Story(origin)
		marked := 0
		for _, m := range before.Members {
			if m.DuplicateOf == as[0].ID {
				marked++
			}
		}
		if marked == 0 {
			t.Fatal("no member is marked a copy of the wire report")
		}
		evs, err := e.Correct(split(as[0].ID))
		if err != nil {
			t.Fatal(err)
		}
		sp := evs[1].Story
		if len(sp.Members) != marked {
			t.Errorf("the split event carries %d members, want the %d copies unmarked", len(sp.Members), marked)
		}
		left, _ := e.Story(origin)
		for _, m := range append(left.Members, sp.Members...) {
			if m.DuplicateOf == as[0].ID {
				t.Errorf("%s is still marked a copy of %s, which left", m.ArticleID, m.DuplicateOf)
			}
		}
		// Folded onto the story as it was, the event gives the engine's view.
		folded, _, err := story.Fold(&before, evs[1])
		if err != nil || !slices.EqualFunc(folded.Members, left.Members, func(a, b story.Member) bool { return a.ArticleID == b.ArticleID && a.DuplicateOf == b.DuplicateOf }) {
			t.Errorf("folded %+v (%v), engine %+v", folded.Members, err, left.Members)
		}
	})

	t.Run("the headline leaves with its article", func(t *testing.T) {
		e := New(DefaultConfig(), fx)
		as := wireCopies(12)
		for i := range as {
			as[i].Title = fmt.Sprintf("Report %d on the Skerra ferry fire", i)
			if _, err := e.Add(as[i]); err != nil {
				t.Fatal(err)
			}
		}
		sid := assertOneStory(t, e, as)
		// Every article whose vector is kept, the headline's holder among
		// them: those left have no vector to measure.
		var out []string
		for _, m := range e.active[sid].members {
			if !m.dropped {
				out = append(out, m.articleID)
			}
		}
		if _, err := e.Correct(split(out...)); err != nil {
			t.Fatal(err)
		}
		left, _ := e.Story(sid)
		if len(left.Members) != len(as)-len(out) || !slices.ContainsFunc(left.Members, func(m story.Member) bool { return m.Title == left.Headline }) {
			t.Errorf("%d members left under %q, want %d under one of their titles", len(left.Members), left.Headline, len(as)-len(out))
		}
		checkIndex(t, e)
	})

	t.Run("an article whose vector is gone, read again", func(t *testing.T) {
		// Added with refs, as the clustering stage adds them (their
		// stream sequences), so that Recall can say where to read them.
		e := New(DefaultConfig(), fx)
		as := wireCopies(12)
		for i, a := range as {
			p := e.Prepare(a)
			p.Ref = uint64(100 + i)
			if _, err := e.AddPrepared(p); err != nil {
				t.Fatal(err)
			}
		}
		sid := assertOneStory(t, e, as)
		st := e.active[sid]
		if !st.members[1].dropped || st.members[len(as)-1].dropped {
			t.Fatal("the second article's vector is kept, or the last one's is not: the test tests nothing")
		}
		c := split(as[1].ID, as[len(as)-1].ID)
		if got := e.Recall(c); len(got) != 1 || got[as[1].ID] != 101 {
			t.Fatalf("Recall = %v; want the second article, ref 101", got)
		}
		if got := e.Recall(story.Correction{Op: story.OpMerge, Stories: []string{sid, sid}}); got != nil {
			t.Errorf("Recall of a merge = %v", got)
		}
		// What the centroid should be once their words are out: today's
		// vector of the one read again, the kept vector of the other.
		again := e.revector(e.Prepare(as[1]))
		want := map[uint32]float32{}
		for _, x := range st.cent {
			want[x.id] = x.w
		}
		for _, v := range []vec{again, st.members[len(as)-1].vec} {
			for _, x := range v {
				want[x.id] -= x.w
			}
		}
		vecsBefore := st.vecs
		evs, err := e.Correct(c, e.Prepare(unrelated[0]), e.Prepare(as[1]))
		if err != nil || len(evs) != 2 {
			t.Fatalf("Correct = %d events, %v", len(evs), err)
		}
		into := evs[0].Story.ID
		for _, id := range []string{as[1].ID, as[len(as)-1].ID} {
			if got, _ := e.StoryOf(id); got != into {
				t.Errorf("%s is in %s, want %s", id, got, into)
			}
		}
		for _, x := range st.cent {
			if d := x.w - want[x.id]; d > 1e-4 || d < -1e-4 {
				t.Errorf("feature %s weighs %v in the centroid, want %v", e.dict.keys[x.id], x.w, want[x.id])
				break
			}
		}
		if st.vecs != vecsBefore-1 {
			t.Errorf("the story counts %d kept vectors, want %d (one moved, one was not counted)", st.vecs, vecsBefore-1)
		}
		ns := e.active[into]
		if ns.vecs != 2 || slices.ContainsFunc(ns.members, func(m *member) bool { return m.dropped || len(m.vec) == 0 }) {
			t.Errorf("the new story holds %d vectors for %d members", ns.vecs, len(ns.members))
		}
		checkIndex(t, e)
		// The refs survive a snapshot.
		r, _ := throughSnapshot(t, e, fx)
		if got := r.Recall(split(as[2].ID)); got[as[2].ID] != 102 {
			t.Errorf("after a snapshot, Recall = %v; want ref 102", got)
		}
	})

	for _, tc := range []struct {
		name   string
		copies int
		ids    func(as []article.Article) []string
		want   error
		says   string
	}{
		{"unknown article", 2, func(as []article.Article) []string { return []string{as[1].ID, "nosuch"} }, ErrUnknownArticle, "nosuch"},
		{"the whole story", 2, func(as []article.Article) []string { return []string{as[0].ID, as[1].ID, as[2].ID} }, ErrSplit, "are all of"},
		{"an article whose vector is gone", 12, func(as []article.Article) []string { return []string{as[1].ID} }, ErrSplit, "keeps the vectors"},
		{"articles of two stories", 2, func(as []article.Article) []string { return []string{as[1].ID, unrelated[0].ID} }, ErrSplit, "one story at a time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, as, _ := setup(t, tc.copies)
			u := unrelated[0]
			u.Published = at(1)
			if _, err := e.Add(u); err != nil {
				t.Fatal(err)
			}
			var before bytes.Buffer
			if err := e.WriteSnapshot(&before); err != nil {
				t.Fatal(err)
			}
			evs, err := e.Correct(split(tc.ids(as)...))
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) || len(evs) != 0 {
				t.Fatalf("Correct = %v, %v; want %v saying %q", evs, err, tc.want, tc.says)
			}
			var after bytes.Buffer
			if err := e.WriteSnapshot(&after); err != nil || !bytes.Equal(before.Bytes(), after.Bytes()) {
				t.Errorf("a refused split changed the engine (%v)", err)
			}
		})
	}
}

// throughSnapshot writes e's snapshot and reads it into a new engine,
// which it returns with the snapshot.
func throughSnapshot(t *testing.T, e *Engine, fx *features.Extractor) (*Engine, *bytes.Buffer) {
	t.Helper()
	var b bytes.Buffer
	if err := e.WriteSnapshot(&b); err != nil {
		t.Fatal(err)
	}
	r := New(DefaultConfig(), fx)
	if err := r.ReadSnapshot(bytes.NewReader(b.Bytes())); err != nil {
		t.Fatal(err)
	}
	return r, &b
}
