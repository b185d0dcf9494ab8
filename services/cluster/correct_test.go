package cluster

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/features"
	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/bus"
)

// publishCorrection sends a merge of the given stories to the stage (a
// split of the given articles when op says so) and returns its stream
// sequence.
func publishCorrection(t *testing.T, js jetstream.JetStream, id, op string, ids ...string) uint64 {
	t.Helper()
	c := story.Correction{ID: id, Op: op, By: "desk", At: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	if op == story.OpMerge {
		c.Stories = ids
	} else {
		c.Articles = ids
	}
	b, err := story.EncodeCorrection(c)
	if err != nil {
		t.Fatal(err)
	}
	ack, err := js.Publish(context.Background(), bus.SubjectCorrections, b, jetstream.WithMsgID("correction:"+id))
	if err != nil {
		t.Fatal(err)
	}
	return ack.Sequence
}

// TestStageAppliesCorrections runs the stage's worker over articles with
// editors' corrections among them: a good merge and a split are applied in
// their place in the stream and announced with their correction, a merge
// of an unknown story is dead-lettered with the reason and changes
// nothing, and a restart that replays the stream comes to the same state.
func TestStageAppliesCorrections(t *testing.T) {
	js := startJS(t)
	fx, err := features.New()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first := reports(0, 60) // ten invented events
	a := newEngine(t, fx)
	process(t, js, a, nil, publish(t, js, first))
	x, _ := a.StoryOf(first[0].ID)
	y, _ := a.StoryOf(first[13].ID)
	if x == "" || y == "" || x == y {
		t.Fatalf("stories %q and %q: want two", x, y)
	}
	publishCorrection(t, js, "c-good", story.OpMerge, y, x)
	publishCorrection(t, js, "c-unknown", story.OpMerge, x, "s-nosuch")
	more := reports(60, 30)
	process(t, js, a, nil, publish(t, js, more[:15]))
	// The latest member of a story of several (its vector is kept).
	var out, from string
	for _, x := range slices.Backward(more[:15]) {
		sid, _ := a.StoryOf(x.ID)
		if s, _ := a.Story(sid); len(s.Members) > 1 && s.Members[len(s.Members)-1].ArticleID == x.ID {
			out, from = x.ID, sid
			break
		}
	}
	if out == "" {
		t.Fatal("no story of several articles")
	}
	publishCorrection(t, js, "c-split", story.OpSplit, out)
	last := publish(t, js, more[15:])
	process(t, js, a, nil, last)
	if got, _ := a.StoryOf(out); got == from || got == "" {
		t.Errorf("after the split %s is in %q, was in %s", out, got, from)
	}
	// The first article of the merged story, whose vector the engine let
	// go: the stage reads it again from the stream to take it out.
	var old string
	merged, _ := a.Story(x)
	for _, m := range merged.Members[:len(merged.Members)-1] {
		if a.Recall(story.Correction{Op: story.OpSplit, Articles: []string{m.ArticleID}}) != nil {
			old = m.ArticleID
			break
		}
	}
	if old == "" {
		t.Fatalf("every article of %s (%d) still has its vector: the split below tests nothing", x, len(merged.Members))
	}
	publishCorrection(t, js, "c-split-old", story.OpSplit, old)
	last = publish(t, js, reports(90, 6))
	process(t, js, a, nil, last)
	if got, _ := a.StoryOf(old); got == x || got == "" {
		t.Errorf("after the split %s is in %q, was in %s", old, got, x)
	}
	more = append(more, reports(90, 6)...)

	if got, _ := a.StoryOf(first[13].ID); got != x {
		t.Errorf("after the merge %s is in %s, want %s", first[13].ID, got, x)
	}
	if s, ok := a.Story(y); !ok || s.ID != x {
		t.Errorf("the absorbed id %s leads to %q, want %s", y, s.ID, x)
	}
	// The merge's event names the correction.
	sub, err := js.OrderedConsumer(ctx, bus.StreamStories, jetstream.OrderedConsumerConfig{FilterSubjects: []string{bus.StoriesSubject(story.Merged)}})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := sub.Fetch(100, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var edited []story.Event
	for m := range batch.Messages() {
		ev, err := story.Decode(m.Data())
		if err != nil {
			t.Fatal(err)
		}
		if ev.Edit != nil {
			edited = append(edited, ev)
		}
	}
	if len(edited) != 1 || edited[0].Edit.ID != "c-good" || edited[0].Edit.By != "desk" || edited[0].Story.ID != x ||
		len(edited[0].Absorbed) != 1 || edited[0].Absorbed[0] != y {
		t.Fatalf("merged events naming a correction: %+v", edited)
	}
	// The other is dead-lettered, saying why.
	reasons := deadLetters(t, js)
	if len(reasons) != 1 || !strings.HasPrefix(reasons[0], bus.SubjectCorrections+": ") || !strings.Contains(reasons[0], "unknown story: s-nosuch") {
		t.Fatalf("dead letters %q, want the unknown story's correction", reasons)
	}

	// A restart without snapshot replays articles and corrections alike.
	b := newEngine(t, fx)
	r, err := Restore(ctx, js, b, nil, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.UpTo != last || r.Replayed != int(last) {
		t.Fatalf("restore %+v; want a replay of all %d messages", r, last)
	}
	sameEngines(t, a, b, append(first, more...))
}

// TestSplitOfAnArticleGoneFromTheStream: an article whose vector the
// engine let go is read again from the stream to be split out; once the
// stream no longer holds it (past its age limit: deleted here), the split
// is refused, saying so, and changes nothing.
func TestSplitOfAnArticleGoneFromTheStream(t *testing.T) {
	js := startJS(t)
	fx, err := features.New()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	as := reports(0, 12) // two events of six reports
	e := newEngine(t, fx)
	process(t, js, e, nil, publish(t, js, as))
	x, _ := e.StoryOf(as[0].ID)
	if y, _ := e.StoryOf(as[6].ID); y != x {
		process(t, js, e, nil, publishCorrection(t, js, "c-merge", story.OpMerge, x, y))
	}
	merged, _ := e.Story(x)
	var old string
	for _, m := range merged.Members {
		if e.Recall(story.Correction{Op: story.OpSplit, Articles: []string{m.ArticleID}}) != nil {
			old = m.ArticleID
			break
		}
	}
	if old == "" {
		t.Fatalf("every article of %s (%d) still has its vector: the test tests nothing", x, len(merged.Members))
	}
	seq := e.Recall(story.Correction{Op: story.OpSplit, Articles: []string{old}})[old]
	stream, err := js.Stream(ctx, bus.StreamArticles)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.DeleteMsg(ctx, seq); err != nil {
		t.Fatal(err)
	}
	process(t, js, e, nil, publishCorrection(t, js, "c-split", story.OpSplit, old))
	if got, _ := e.StoryOf(old); got != x {
		t.Errorf("%s moved to %s, though its article is gone from the stream", old, got)
	}
	if reasons := deadLetters(t, js); len(reasons) != 1 || !strings.Contains(reasons[0], "could not be read again") || !strings.Contains(reasons[0], old) {
		t.Errorf("dead letters %q; want the split, refused for its article", reasons)
	}
}

// deadLetters gives the subject and reason of every dead-letter record.
func deadLetters(t *testing.T, js jetstream.JetStream) []string {
	t.Helper()
	dlq, err := js.OrderedConsumer(context.Background(), bus.StreamDLQ, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := dlq.Fetch(10, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for m := range recs.Messages() {
		var rec bus.DeadLetterRecord
		if err := json.Unmarshal(m.Data(), &rec); err != nil {
			t.Fatal(err)
		}
		reasons = append(reasons, rec.Subject+": "+rec.Reason)
	}
	return reasons
}
