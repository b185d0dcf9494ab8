package index

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/story"
)

// TestRelated: the stories that name two of a story's names (one, when it
// lists fewer than three), one a name of several words, are related to it,
// best first; the story itself, a story sharing one name of many, one
// sharing single words only and a story of other names are not.
func TestRelated(t *testing.T) {
	s := newSim()
	named := func(ev story.Event, names ...string) story.Event {
		for i, n := range names {
			ev.Story.Entities = append(ev.Story.Entities, story.Entity{Name: n, Weight: 1 / float64(i+1)})
		}
		return ev
	}
	evs := []story.Event{
		named(s.add("strike-milan", t0,
			art("n1", "it", "corriere.example", "Sciopero degli infermieri Nursind a Milano",
				"Il sindacato Nursind ha proclamato uno sciopero a Milano. Andrea Bottega chiede nuove assunzioni.")),
			"Nursind", "Andrea Bottega", "Milano"),
		named(s.add("strike-rome", t0.Add(7*24*time.Hour),
			art("n2", "it", "repubblica.example", "Nursind, nuovo sciopero a Roma",
				"Una settimana dopo, Andrea Bottega e il Nursind tornano in piazza a Roma per il contratto.")),
			"Nursind", "Andrea Bottega", "Roma"),
		named(s.add("strike-nurses-fr", t0.Add(8*24*time.Hour),
			art("f1", "fr", "lemonde.example", "Grève des infirmiers italiens",
				"Les infirmiers du syndicat Nursind, menés par Andrea Bottega, font grève en Italie.")),
			"Nursind", "Andrea Bottega"),
		named(s.add("one-name", t0.Add(9*24*time.Hour),
			art("n3", "it", "ansa.example", "Ospedali, la Regione risponde",
				"La Regione Lombardia risponde alle critiche del Nursind sui turni in corsia.")),
			"Regione Lombardia", "Nursind", "Lombardia"),
		named(s.add("city-hospital", t0.Add(10*24*time.Hour),
			art("n4", "it", "giorno.example", "Policlinico di Milano, turni lunghi",
				"A Milano il Nursind denuncia turni di dodici ore al Policlinico.")),
			"Policlinico", "Milano", "Nursind"),
		named(s.add("flood", t0.Add(2*time.Hour),
			art("e1", "en", "bbc.example", "Flooding closes the river road",
				"Heavy rain flooded the river road near the old mill; the Po rose overnight.")),
			"Po"),
		s.add("nameless", t0.Add(3*time.Hour),
			art("e2", "en", "bbc.example", "Quiet day", "Nothing much happened anywhere today.")),
		named(s.merge("strike-rome", t0.Add(8*24*time.Hour), "strike-nurses-fr"), "Nursind", "Andrea Bottega", "Roma"),
	}
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, evs)

	for _, tc := range []struct {
		id    string
		found bool
		want  []string
	}{
		{"strike-milan", true, []string{"strike-rome"}},      // shares Nursind and Andrea Bottega; one-name only Nursind, city-hospital single words
		{"city-hospital", true, nil},                         // no name of several words to relate by
		{"strike-nurses-fr", true, []string{"strike-milan"}}, // an alias: the merged story, Nursind and Bottega listed
		{"strike-rome", true, []string{"strike-milan"}},      // three names listed: two shared needed, one-name has one
		{"one-name", true, nil},                              // Lombardia is nowhere else, Nursind alone is not enough
		{"flood", true, nil},                                 // one name, found nowhere else
		{"nameless", true, nil},                              // no names: nothing to relate by
		{"no-such-story", false, nil},
	} {
		hits, found, err := ix.Related(context.Background(), tc.id, 10)
		if err != nil {
			t.Fatalf("Related(%s): %v", tc.id, err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Story.ID)
		}
		if found != tc.found || !slices.Equal(got, tc.want) {
			t.Errorf("Related(%s) = %v (found %v), want %v (found %v)", tc.id, got, found, tc.want, tc.found)
		}
	}
}

// TestRelatedBudget: a search for related stories over its budget gives none
// rather than an error; the caller's own cancellation is an error.
func TestRelatedBudget(t *testing.T) {
	s := newSim()
	ev := s.add("a", t0, art("x1", "en", "x.example", "Anna Berg wins", "Anna Berg won the final in Oslo."))
	ev.Story.Entities = []story.Entity{{Name: "Anna Berg", Weight: 1}}
	ix := mustOpen(t, "")
	defer ix.Close()
	applyAll(t, ix, []story.Event{ev})
	ix.relatedBudget = time.Nanosecond
	if hits, found, err := ix.Related(context.Background(), "a", 5); err != nil || !found || len(hits) != 0 {
		t.Errorf("over budget: %v, %v, %v; want no hits and no error", hits, found, err)
	}
	ix.relatedBudget = defaultRelatedBudget
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := ix.Related(ctx, "a", 5); err == nil {
		t.Error("a cancelled request gave no error")
	}
}
