package story

import (
	"testing"

	"github.com/newsdedup/newsdedup/pkg/article"
)

func TestAssignments(t *testing.T) {
	ev := func(typ, id string, arts []string, absorbed ...string) Event {
		e := Event{V: SchemaVersion, Type: typ, Story: Story{ID: id}, Absorbed: absorbed}
		for _, a := range arts {
			e.Articles = append(e.Articles, article.Article{ID: a})
		}
		return e
	}
	tests := []struct {
		name string
		evs  []Event
		want map[string]string // article → story; "" for none
	}{
		{
			name: "joins",
			evs:  []Event{ev(Created, "s1", []string{"a"}), ev(Updated, "s1", []string{"b"}), ev(Created, "s2", []string{"c"})},
			want: map[string]string{"a": "s1", "b": "s1", "c": "s2", "d": ""},
		},
		{
			name: "merges chain",
			evs: []Event{
				ev(Created, "s1", []string{"a"}), ev(Created, "s2", []string{"b"}), ev(Created, "s3", []string{"c"}),
				ev(Merged, "s2", []string{"d"}, "s1"), ev(Merged, "s3", nil, "s2"),
			},
			want: map[string]string{"a": "s3", "b": "s3", "c": "s3", "d": "s3"},
		},
		{
			name: "an article redelivered stays",
			evs:  []Event{ev(Created, "s1", []string{"a"}), ev(Updated, "s1", []string{"a"})},
			want: map[string]string{"a": "s1"},
		},
		{
			name: "a cycle in a malformed stream ends",
			evs:  []Event{ev(Created, "s1", []string{"a"}), ev(Merged, "s2", nil, "s1"), ev(Merged, "s1", nil, "s2")},
			want: map[string]string{"a": "s1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as := NewAssignments()
			as.Add(tt.evs...)
			for art, want := range tt.want {
				got, ok := as.StoryOf(art)
				if got != want || ok != (want != "") {
					t.Errorf("StoryOf(%s) = %q, %v; want %q", art, got, ok, want)
				}
			}
		})
	}
}
