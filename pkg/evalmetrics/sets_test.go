package evalmetrics

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReadPairs(t *testing.T) {
	in := `{"pair_id":"p1","a":{"id":"a1","lang":"en","text":"x"},"b":{"id":"b1","lang":"de","text":"y"},"overall":1.5,"same_story":true}

{"pair_id":"p2","a":{"id":"a2","lang":"it","text":"x","title":"T"},"b":{"id":"b2","lang":"it","text":"y"},"label":2,"same_story":null}
`
	ps, err := ReadPairs(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 {
		t.Fatalf("%d pairs", len(ps))
	}
	if ps[0].LangPair() != "en-de" || ps[0].SameStory == nil || !*ps[0].SameStory {
		t.Errorf("first pair %+v", ps[0])
	}
	if v, name, ok := ps[0].Native(); !ok || name != "overall" || v != -1.5 {
		t.Errorf("native = %v %q %v", v, name, ok)
	}
	if ps[1].SameStory != nil || ps[1].A.Title != "T" {
		t.Errorf("second pair %+v", ps[1])
	}
	if v, name, _ := ps[1].Native(); name != "label" || v != 2 {
		t.Errorf("label = %v %q", v, name)
	}
	if _, err := ReadPairs(strings.NewReader(`{"a":{}}`)); !errors.Is(err, ErrFormat) {
		t.Errorf("missing ids: %v", err)
	}
}

func TestPublishedTime(t *testing.T) {
	want := time.Date(2025, 12, 2, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		raw string
		ok  bool
	}{
		{`"2025-12-02T10:30:00Z"`, true},
		{`"2025-12-02T11:30:00+01:00"`, true},
		{`"2025-12-02 10:30:00+00:00"`, true},
		{`"2025-12-02T10:30:00+0000"`, true},
		{`"2025-12-02 10:30:00"`, true},
		{`"2025-12-02T10:30"`, true},
		{`" 2025-12-02T10:30:00Z "`, true},
		{`"Tue, 02 Dec 2025 10:30:00 GMT"`, true},
		{`"Tue, 2 Dec 2025 11:30:00 +0100"`, true},
		{`1764671400`, true},
		{`1764671400000`, true},
		{`"yesterday"`, false},
		{`""`, false},
		{`null`, false},
		{``, false},
		{`0`, false},
		{`{"when":1}`, false},
	}
	for _, tc := range tests {
		got, ok := publishedTime(json.RawMessage(tc.raw))
		if ok != tc.ok || ok && !got.Equal(want) {
			t.Errorf("publishedTime(%s) = %v, %v; want %v, %v", tc.raw, got, ok, want, tc.ok)
		}
	}
}

func TestReadItemsOrdersByPublished(t *testing.T) {
	in := `{"id":"late","lang":"en","text":"x","story":"s","published":"2025-12-02T10:00:00Z"}
{"id":"early","lang":"en","text":"y","story":"s","topic":"t","published":"2025-12-01"}
`
	items, err := ReadItems(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Article.ID != "early" || items[1].Topic != "" || items[0].Topic != "t" {
		t.Errorf("items %+v", items)
	}
	// Without dates on every line, file order stays.
	items, _ = ReadItems(strings.NewReader(`{"id":"b","story":"s","published":"2025-12-02"}` + "\n" + `{"id":"a","story":"s"}`))
	if items[0].Article.ID != "b" {
		t.Errorf("file order lost: %+v", items)
	}
}

func TestScorePairs(t *testing.T) {
	yes, no := true, false
	one, four := 1.0, 4.0
	mk := func(la, lb string, same *bool, overall *float64) Pair {
		p := Pair{SameStory: same, Overall: overall}
		p.A.Lang, p.B.Lang = la, lb
		return p
	}
	scored := []Scored{
		{Pair: mk("en", "en", &yes, &one), Score: 0.9, Same: true},
		{Pair: mk("en", "en", &no, &four), Score: 0.1, Same: false},
		{Pair: mk("de", "en", &yes, &one), Score: 0.4, Same: false},
		{Pair: mk("de", "en", nil, &four), Score: 0.2, Same: false},
	}
	rep := ScorePairs(scored, 0.5)
	if rep.All.Labelled != 3 || rep.All.Positives != 2 || rep.Native != "overall" {
		t.Errorf("all %+v", rep.All)
	}
	if rep.All.SameStory.P != 1 || rep.All.SameStory.R != 0.5 {
		t.Errorf("same_story %+v", rep.All.SameStory)
	}
	if rep.All.Pearson <= 0.5 {
		t.Errorf("pearson %v: higher scores go with lower overall, which must correlate positively", rep.All.Pearson)
	}
	if rep.Cross.Pairs != 2 || rep.Mono.Pairs != 2 || rep.ByLang["de-en"].Pairs != 2 {
		t.Errorf("groups: cross %d mono %d by lang %v", rep.Cross.Pairs, rep.Mono.Pairs, rep.ByLang)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil || !strings.Contains(b.String(), "cross-lingual") {
		t.Errorf("text report: %v\n%s", err, b.String())
	}
}

func TestReadArticlesDir(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		wantIDs []string
		wantErr error
	}{
		{"no sets", map[string]string{"README.md": "not a set"}, nil, ErrNoSets},
		{"items, then pairs' sides, files in name order", map[string]string{
			"b-pairs.jsonl": `{"pair_id":"p1","a":{"id":"a1","lang":"en","text":"x"},"b":{"id":"b1","lang":"de","text":"y"}}` + "\n" +
				`{"pair_id":"p2","a":{"id":"a1","lang":"en","text":"x"},"b":{"id":"b2","lang":"it","text":"z"}}` + "\n",
			"a-clusters.jsonl": `{"id":"i1","lang":"fr","title":"T","text":"w","story":"s"}` + "\n\n" + `{"id":"i2","lang":"fr","text":"v","story":"s"}`,
		}, []string{"i1", "i2", "a1", "b1", "a1", "b2"}, nil},
		{"a broken line", map[string]string{"x.jsonl": `{"id":"i1"}` + "\n{not json\n"}, nil, ErrFormat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			as, err := ReadArticlesDir(dir)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			var ids []string
			for _, a := range as {
				ids = append(ids, a.ID)
			}
			if !slices.Equal(ids, tc.wantIDs) {
				t.Errorf("ids %v, want %v", ids, tc.wantIDs)
			}
			if len(as) > 0 && (as[0].Title != "T" || as[0].Lang != "fr" || !as[0].LangGiven || as[0].Text != "w") {
				t.Errorf("first article %+v", as[0])
			}
		})
	}
}
