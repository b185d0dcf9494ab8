package story

// Assignments folds story events into the story of each article, following
// merges. It is what a consumer that only needs "which story is this
// article in" keeps, and it does not depend on how long the engine
// remembers an article: an engine forgets stories past its retention,
// events once read are not lost.
type Assignments struct {
	of    map[string]string // article id → story id it joined
	alias map[string]string // absorbed story id → the story that absorbed it
}

// NewAssignments returns an empty fold.
func NewAssignments() *Assignments {
	return &Assignments{of: map[string]string{}, alias: map[string]string{}}
}

// Add folds events, in the order they were published.
func (a *Assignments) Add(evs ...Event) {
	for _, ev := range evs {
		// A story that announces a change is alive, whatever an earlier
		// event said: its later events win.
		delete(a.alias, ev.Story.ID)
		for _, art := range ev.Articles {
			if art.ID != "" {
				a.of[art.ID] = ev.Story.ID
			}
		}
		for _, m := range ev.Story.Members {
			if _, seen := a.of[m.ArticleID]; !seen && m.ArticleID != "" {
				a.of[m.ArticleID] = ev.Story.ID
			}
		}
		for _, id := range ev.Absorbed {
			if id != ev.Story.ID {
				a.alias[id] = ev.Story.ID
			}
		}
	}
}

// StoryOf gives the story an article is in now: the one it joined, or the
// story that absorbed that one, through any number of merges.
func (a *Assignments) StoryOf(articleID string) (string, bool) {
	id, ok := a.of[articleID]
	if !ok {
		return "", false
	}
	// A chain is at most as long as the merges folded; the bound guards
	// against a cycle in a stream that is not well formed.
	for range len(a.alias) + 1 {
		next, ok := a.alias[id]
		if !ok {
			break
		}
		id = next
	}
	return id, true
}
