package evalmetrics

import (
	"errors"
	"strings"
	"testing"
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
