package story

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// slowDecode is Decode as it was, on encoding/json alone: what Decode must
// always agree with, result and error.
func slowDecode(data []byte) (Event, error) {
	var e Event
	if err := json.Unmarshal(data, &e); err != nil {
		return Event{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if e.V < 1 || e.V > SchemaVersion {
		return Event{}, fmt.Errorf("%w: v=%d", ErrUnknownVersion, e.V)
	}
	if e.Story.ID == "" {
		return Event{}, fmt.Errorf("%w: no story id", ErrInvalid)
	}
	return e, nil
}

// sampleEvents are events as the clusterer writes them, of every type and
// shape: nil and empty slices, members with and without evidence and
// publication times, full articles, strings that need escapes, times in
// other zones and with nanoseconds.
func sampleEvents() []Event {
	at := time.Date(2026, 12, 1, 21, 0, 0, 123456789, time.UTC)
	pub := time.Date(2026, 11, 30, 8, 15, 0, 0, time.FixedZone("CET", 3600))
	fetched := at.Add(-time.Minute)
	m1 := Member{ArticleID: "a-1", Title: `Ministre "Nuñez" <b>&</b>`, URL: "https://ex.fr/a?b=1&c=2", Source: "ex.fr", Lang: "fr",
		Published: &pub, Added: at, Score: 0.8123456789, DuplicateOf: "a-0",
		Evidence: []Evidence{{Feature: "ent:laurent nunez", Weight: 1.25}, {Feature: "term:fr:messageri", Weight: 0.5e-7}}}
	m2 := Member{ArticleID: "a-2", Added: at.Add(time.Second), Evidence: []Evidence{}}
	art := article.Article{ID: "a-1", URL: m1.URL, Source: "ex.fr", Title: m1.Title, Published: &pub, Fetched: &fetched,
		Text: "Para one.\n\nPara two: «ça» – 10 %.\u2028\t\\ 😀", Extracted: true, Lang: "fr", LangConfidence: 0.987,
		Removed: []article.Removal{{Text: "Lire aussi", Reason: "related", Layer: "lexicon"}}}
	hdr := Story{ID: "s-1", Headline: "Attaque informatique au ministère", Languages: []string{"fr", "it"}, Sources: []string{"ex.fr"},
		FirstSeen: pub, LastSeen: at, Entities: []Entity{{Name: "Laurent Nuñez", Weight: 2.5}}, Version: 7, MemberCount: 12}
	withMembers := func(s Story, ms ...Member) Story { s.Members = ms; return s }
	return []Event{
		{Type: Created, Story: Story{ID: "s-0", Version: 1}, At: at},
		{Type: Created, Story: withMembers(hdr, m1), Articles: []article.Article{art}, At: at},
		{Type: Updated, Story: withMembers(hdr, m1, m2), Articles: []article.Article{art, {ID: "a-2", Text: "x"}}, At: at},
		{Type: Merged, Story: withMembers(Story{ID: "s-2", Aliases: []string{"s-3", "s-4"}, Version: 3, MembersOmitted: 4}, m2),
			Absorbed: []string{"s-3"}, At: at},
		{Type: Updated, Story: withMembers(hdr, m1), Repeat: true, At: at},
		{Type: Updated, Story: Story{ID: "s-5", Languages: []string{}, Sources: []string{}, Members: []Member{}, Aliases: []string{}},
			Articles: []article.Article{}, Absorbed: []string{}},
		{Type: "odd\u0000type\u007f\u2028", Story: Story{ID: "s-\"6\"\\", Headline: "\xe2\x80\xa8 \U0001F600 \u00e9"}},
	}
}

func TestDecodeFastMatchesEncodingJSON(t *testing.T) {
	evs := sampleEvents()
	evs = append(evs, randomEvents(200)...)
	for i, ev := range evs {
		b, err := Encode(ev)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := decodeFast(b)
		if !ok {
			t.Fatalf("event %d: the fast reader gave up on our own encoding: %s", i, b)
		}
		var want Event
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("event %d:\n got %+v\nwant %+v", i, got, want)
		}
		if got, err := Decode(b); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("event %d: Decode: %v", i, err)
		}
	}
}

// randomEvents are events with random combinations of fields set, nil,
// empty or full.
func randomEvents(n int) []Event {
	r := rand.New(rand.NewPCG(7, 8))
	strs := []string{"", "a", "ü\"\\/\n\t", "s-1", "ent:x", "\u2028", "<&>", "日本"}
	pick := func() string { return strs[r.IntN(len(strs))] }
	list := func() []string {
		switch r.IntN(3) {
		case 0:
			return nil
		case 1:
			return []string{}
		}
		out := make([]string, 1+r.IntN(3))
		for i := range out {
			out[i] = pick()
		}
		return out
	}
	tm := func() time.Time {
		if r.IntN(3) == 0 {
			return time.Time{}
		}
		return time.Unix(r.Int64N(2e9), r.Int64N(1e9)).In(time.FixedZone("", 60*(r.IntN(1500)-750)))
	}
	var out []Event
	for range n {
		s := Story{ID: "s-" + pick(), Headline: pick(), Languages: list(), Sources: list(), FirstSeen: tm(), LastSeen: tm(),
			Aliases: list(), Version: r.IntN(100) - 5, MembersOmitted: r.IntN(3), MemberCount: r.IntN(50)}
		if r.IntN(2) == 0 {
			s.Entities = []Entity{{Name: pick(), Weight: r.NormFloat64()}}
		}
		if k := r.IntN(4); k > 0 {
			s.Members = []Member{}
			for range k - 1 {
				m := Member{ArticleID: pick(), Title: pick(), Lead: pick(), URL: pick(), Source: pick(), Lang: pick(), Added: tm(),
					Score: r.Float64(), DuplicateOf: pick()}
				if r.IntN(2) == 0 {
					p := tm()
					m.Published = &p
				}
				for range r.IntN(3) {
					m.Evidence = append(m.Evidence, Evidence{Feature: pick(), Weight: r.ExpFloat64() * 1e3})
				}
				s.Members = append(s.Members, m)
			}
		}
		ev := Event{Type: pick(), Story: s, Absorbed: list(), Repeat: r.IntN(2) == 0, At: tm()}
		for range r.IntN(3) {
			ev.Articles = append(ev.Articles, article.Article{ID: pick(), Title: pick(), Text: pick(), Lang: pick(), LangConfidence: r.Float64()})
		}
		out = append(out, ev)
	}
	return out
}

// TestDecodeLeavesTheRestToEncodingJSON checks events our encoder never
// writes: the fast reader gives up on them and Decode answers what
// encoding/json does, event or error.
func TestDecodeLeavesTheRestToEncodingJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		fast bool // the fast reader takes it (and must agree)
	}{
		{"minimal", `{"v":2,"type":"created","story":{"id":"s"}}`, true},
		{"nulls", `{"v":2,"type":null,"story":{"id":"s","languages":null,"members":[{"article_id":"a","published":null,"evidence":null}],"first_seen":null},"articles":null,"at":null}`, true},
		{"spaces", " {\n \"v\" : 2 ,\r\n\t\"story\" : { \"id\" : \"s\" , \"members\" : [ ] } } ", true},
		{"escapes", `{"v":2,"story":{"id":"s\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}}`, true},
		{"exponent weight", `{"v":2,"story":{"id":"s","entities":[{"name":"x","weight":-1.5E+2}]}}`, true},
		{"unknown key", `{"v":2,"story":{"id":"s","extra":1}}`, false},
		{"unknown event key", `{"v":2,"story":{"id":"s"},"x":[]}`, false},
		{"key in other case", `{"v":2,"story":{"ID":"s"}}`, false},
		{"repeated key", `{"v":2,"story":{"id":"s","id":"t"}}`, false},
		{"repeated story", `{"v":2,"story":{"id":"s"},"story":{"headline":"h"}}`, false},
		{"repeated member key", `{"v":2,"story":{"id":"s","members":[{"article_id":"a","article_id":"b"}]}}`, false},
		{"null in array", `{"v":2,"story":{"id":"s","languages":["fr",null]}}`, false},
		{"null member", `{"v":2,"story":{"id":"s","members":[null]}}`, false},
		{"null article", `{"v":2,"story":{"id":"s"},"articles":[null]}`, false},
		{"article with null", `{"v":2,"story":{"id":"s"},"articles":[{"id":"a","title":null}]}`, false},
		{"escaped key", `{"v":2,"story":{"i\u0064":"s"}}`, false},
		{"lone surrogate", `{"v":2,"story":{"id":"\ud800x"}}`, false},
		{"bad escape", `{"v":2,"story":{"id":"\x"}}`, false},
		{"control byte", "{\"v\":2,\"story\":{\"id\":\"a\tb\"}}", false},
		{"fractional version", `{"v":2.0,"story":{"id":"s"}}`, false},
		{"huge version", `{"v":99999999999999999999,"story":{"id":"s"}}`, false},
		{"leading zero", `{"v":02,"story":{"id":"s"}}`, false},
		{"string version", `{"v":"2","story":{"id":"s"}}`, false},
		{"bad time", `{"v":2,"story":{"id":"s"},"at":"yesterday"}`, false},
		{"numeric time", `{"v":2,"story":{"id":"s"},"at":5}`, false},
		{"bad member time", `{"v":2,"story":{"id":"s","members":[{"added":"x"}]}}`, false},
		{"bool as string", `{"v":2,"story":{"id":"s"},"repeat":"true"}`, false},
		{"bool with tail", `{"v":2,"story":{"id":"s"},"repeat":truex}`, false},
		{"null with tail", `{"v":2,"story":{"id":"s"},"type":nullx}`, false},
		{"null then a value", `{"v":2,"story":{"id":"s","languages":null[]}}`, false},
		{"object for array", `{"v":2,"story":{"id":"s","aliases":{}}}`, false},
		{"array for object", `{"v":2,"story":[]}`, false},
		{"trailing comma", `{"v":2,"story":{"id":"s",}}`, false},
		{"trailing data", `{"v":2,"story":{"id":"s"}} x`, false},
		{"truncated", `{"v":2,"story":{"id":"s"`, false},
		{"empty", ``, false},
		{"not an object", `[1]`, false},
		{"invalid UTF-8", "{\"v\":2,\"story\":{\"id\":\"s\xff\"}}", false},
		{"no id", `{"v":2,"story":{}}`, true},
		{"future version", `{"v":3,"story":{"id":"s"}}`, true},
		{"no version", `{"story":{"id":"s"}}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.in)
			fast, ok := false, false
			if utf8.Valid(data) {
				_, ok = decodeFast(data)
				fast = ok
			}
			if fast != tc.fast {
				t.Errorf("fast reader took it: %v, want %v", fast, tc.fast)
			}
			got, err := Decode(data)
			want, wantErr := slowDecode(data)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("error %v, want %v", err, wantErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// FuzzDecode checks that Decode always answers what encoding/json does.
func FuzzDecode(f *testing.F) {
	for _, ev := range sampleEvents() {
		b, err := Encode(ev)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"v":2,"type":null,"story":{"id":"s","languages":null,"members":[{"article_id":"a","evidence":[{"feature":"f","weight":1e2}]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Decode(data)
		want, wantErr := slowDecode(data)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("%q: error %v, want %v", data, err, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got %+v\nwant %+v", data, got, want)
		}
	})
}

// BenchmarkDecode reads an update event of a story of 20 members, with
// evidence, and the article that joined, as the API's indexer does for
// every story event.
func BenchmarkDecode(b *testing.B) {
	ev := sampleEvents()[2]
	for i := range 18 {
		m := ev.Story.Members[0]
		m.ArticleID = fmt.Sprintf("a-%d", i+3)
		ev.Story.Members = append(ev.Story.Members, m)
	}
	ev.Articles[0].Text = strings.Repeat("Il ministro ha confermato l'attacco. ", 40)
	msg, err := Encode(ev)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		decode func([]byte) error
	}{
		{"fast", func(d []byte) error { _, err := Decode(d); return err }},
		{"encoding-json", func(d []byte) error { _, err := slowDecode(d); return err }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				if err := tc.decode(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
