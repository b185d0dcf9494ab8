package story

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/article"
)

func TestEncodeDecode(t *testing.T) {
	b, err := Encode(Event{Type: Created, Story: Story{ID: "s-1", Version: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Decode(b)
	if err != nil || ev.V != SchemaVersion || ev.Story.ID != "s-1" || ev.Type != Created {
		t.Fatalf("round trip: %+v %v", ev, err)
	}
	tests := []struct {
		in   string
		want error
	}{
		{"{", ErrInvalid},
		{`{"v":1,"story":{}}`, ErrInvalid},
		{`{"v":9,"story":{"id":"s"}}`, ErrUnknownVersion},
	}
	for _, tt := range tests {
		if _, err := Decode([]byte(tt.in)); !errors.Is(err, tt.want) {
			t.Errorf("Decode(%s) err = %v, want %v", tt.in, err, tt.want)
		}
	}
}

// bigStory is a story of n members, each with a few evidence features, the
// last of which joined with the event.
func bigStory(n int) Event {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ev := Event{Type: Updated, Story: Story{ID: "s-big", Headline: "h", Version: n}}
	for i := range n {
		m := Member{ArticleID: fmt.Sprintf("a%05d", i), Title: "A title of some length for article " + strconv.Itoa(i),
			URL: "https://example.org/news/" + strconv.Itoa(i), Source: "example.org", Lang: "en", Added: t0.Add(time.Duration(i) * time.Minute), Score: 0.5}
		for k := range 6 {
			m.Evidence = append(m.Evidence, Evidence{Feature: "ent:feature-" + strconv.Itoa(k), Weight: 0.25})
		}
		ev.Story.Members = append(ev.Story.Members, m)
	}
	// Members are listed as the engine lists them, not by arrival.
	ev.Story.Members[0], ev.Story.Members[n/2] = ev.Story.Members[n/2], ev.Story.Members[0]
	ev.Articles = []article.Article{{ID: fmt.Sprintf("a%05d", n-1), Text: "the joining article's text"}}
	return ev
}

func TestFit(t *testing.T) {
	small := bigStory(3)
	smallBytes, err := Encode(small)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := Encode(bigStory(2000))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		ev          Event
		limit       int
		wantOmitted int  // -1: some, not known in advance
		evidence    bool // whether members that did not join keep their evidence
		wantErr     error
	}{
		{"small event untouched", small, len(smallBytes), 0, true, nil},
		{"evidence dropped first", bigStory(2000), len(whole) * 3 / 4, 0, false, nil},
		{"then the oldest members", bigStory(2000), len(whole) / 4, -1, false, nil},
		{"joining articles alone too large", bigStory(2000), 100, 0, false, ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, f, err := Fit(tc.ev, tc.limit)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(b) > tc.limit {
				t.Fatalf("%d bytes, limit %d", len(b), tc.limit)
			}
			got, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if got.Story.Size() != tc.ev.Story.Size() || f.Story.MembersOmitted != got.Story.MembersOmitted {
				t.Fatalf("size %d (omitted %d), want %d", got.Story.Size(), got.Story.MembersOmitted, tc.ev.Story.Size())
			}
			switch {
			case tc.wantOmitted >= 0 && got.Story.MembersOmitted != tc.wantOmitted:
				t.Fatalf("omitted %d, want %d", got.Story.MembersOmitted, tc.wantOmitted)
			case tc.wantOmitted < 0 && got.Story.MembersOmitted == 0:
				t.Fatalf("nothing omitted")
			}
			joined := tc.ev.Articles[0].ID
			var oldest time.Time
			kept := map[string]bool{}
			for _, m := range got.Story.Members {
				kept[m.ArticleID] = true
				if m.ArticleID == joined {
					if len(m.Evidence) == 0 {
						t.Fatalf("the joining member lost its evidence")
					}
					continue
				}
				if (len(m.Evidence) > 0) != tc.evidence {
					t.Fatalf("member %s evidence %d, want kept: %v", m.ArticleID, len(m.Evidence), tc.evidence)
				}
				if oldest.IsZero() || m.Added.Before(oldest) {
					oldest = m.Added
				}
			}
			if !kept[joined] {
				t.Fatalf("the joining member was dropped")
			}
			// What was left out is older than anything kept.
			for _, m := range tc.ev.Story.Members {
				if !kept[m.ArticleID] && !m.Added.Before(oldest) {
					t.Fatalf("dropped %s (added %v) but kept older ones (from %v)", m.ArticleID, m.Added, oldest)
				}
			}
			if tc.wantOmitted == 0 && tc.evidence && !bytes.Equal(b, smallBytes) {
				t.Fatalf("an event that fits is not encoded as Encode does")
			}
		})
	}
}
