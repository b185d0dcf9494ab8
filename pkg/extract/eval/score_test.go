package eval

import (
	"math"
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ,. ", nil},
		{"Hello, world!", []string{"Hello", "world"}},
		{"l'été 2025_x — ça", []string{"l", "été", "2025_x", "ça"}},
		{"Straße über ½ 東京", []string{"Straße", "über", "½", "東京"}},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShingles(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]int
	}{
		{"", map[string]int{}},
		{"one two", map[string]int{"one two": 1}},
		{"a b c d", map[string]int{"a b c d": 1}},
		{"a b c d a b c d", map[string]int{"a b c d": 2, "b c d a": 1, "c d a b": 1, "d a b c": 1}},
	}
	for _, tt := range tests {
		got := Shingles(tt.in, 4)
		if len(got) != len(tt.want) {
			t.Errorf("Shingles(%q) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("Shingles(%q) = %v, want %v", tt.in, got, tt.want)
			}
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScore(t *testing.T) {
	const want = "one two three four five six" // 3 shingles
	tests := []struct {
		name       string
		got        string
		p, r       float64
		pOK, rOK   bool
		tp, fp, fn float64
	}{
		{"exact", want, 1, 1, true, true, 1, 0, 0},
		{"half", "one two three four five", 1, 2.0 / 3, true, true, 2.0 / 3, 0, 1.0 / 3},
		{"extra", want + " seven", 0.75, 1, true, true, 0.75, 0.25, 0},
		{"empty", "", 0, 0, false, true, 0, 0, 1},
		{"wrong", "nine ten eleven twelve", 0, 0, true, true, 0, 0.25, 0.75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Score(tt.got, want)
			if !near(p.TP, tt.tp) || !near(p.FP, tt.fp) || !near(p.FN, tt.fn) {
				t.Errorf("Score = %+v, want tp %v fp %v fn %v", p, tt.tp, tt.fp, tt.fn)
			}
			pr, ok := p.Precision()
			if ok != tt.pOK || !near(pr, tt.p) {
				t.Errorf("precision %v %v, want %v %v", pr, ok, tt.p, tt.pOK)
			}
			rc, ok := p.Recall()
			if ok != tt.rOK || !near(rc, tt.r) {
				t.Errorf("recall %v %v, want %v %v", rc, ok, tt.r, tt.rOK)
			}
		})
	}
	if p := Score("", ""); p != (Page{}) {
		t.Errorf("both empty: %+v", p)
	}
}

func TestSummarize(t *testing.T) {
	pages := []Page{
		Score("a b c d", "a b c d"),         // P 1, R 1
		Score("", "a b c d"),                // recall only: R 0
		Score("a b c d e", "a b c d x y z"), // P 0.5, R 0.25
	}
	s := Summarize(pages)
	wantP, wantR := (1+0.5)/2, (1+0+0.25)/3
	if s.Pages != 3 || !near(s.Precision, wantP) || !near(s.Recall, wantR) || !near(s.F1, 2*wantP*wantR/(wantP+wantR)) {
		t.Errorf("Summarize = %+v, want P %v R %v", s, wantP, wantR)
	}
	if s := Summarize(nil); s != (Summary{}) {
		t.Errorf("empty: %+v", s)
	}
}
