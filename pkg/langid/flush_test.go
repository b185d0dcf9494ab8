package langid

import (
	"math"
	"testing"
)

// refFlush is flush as it was before it looked every n-gram up first: one
// lookup, then its gains, n-gram after n-gram.
func refFlush(sc *scratch, x *index) {
	for _, i := range sc.used {
		c := float64(sc.counts[i]) / gainScale
		for _, p := range x.lookup(sc.keys[i]) {
			sc.scores[p&0xFF] += c * float64(int32(p)>>8)
		}
		sc.counts[i] = 0
	}
	sc.used = sc.used[:0]
}

// TestFlushMatchesReference counts the n-grams of every eval text, in its
// script's group, and requires flush to give the same scores, to the bit,
// as refFlush on a copy of the counter.
func TestFlushMatchesReference(t *testing.T) {
	texts := loadEval(t)
	d, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Preload(); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range texts {
		text := window(e.text, d.maxChars)
		weight := scriptWeights(text)
		g, _ := d.pickGroup(&weight)
		if g == nil || g.index == nil {
			continue
		}
		got, want := d.getScratch(len(g.langs)), &scratch{}
		// Scores carried over from earlier steps, as in scoreWords.
		for i := range got.scores {
			got.scores[i] = float64(i) * 0.37
		}
		for _, w := range splitWords(text) {
			if len(got.used) >= counterFull-64 {
				break
			}
			d.addWord(g, w, got)
		}
		want.keys, want.counts = got.keys, got.counts
		want.used = append([]int32(nil), got.used...)
		want.scores = append([]float64(nil), got.scores...)
		got.flush(g.index)
		refFlush(want, g.index)
		for i := range want.scores {
			if math.Float64bits(got.scores[i]) != math.Float64bits(want.scores[i]) {
				t.Fatalf("%s: score %d = %v, reference %v", e.id, i, got.scores[i], want.scores[i])
			}
		}
		if len(got.used) != 0 || got.counts != [counterSize]int32{} {
			t.Fatalf("%s: counter not emptied", e.id)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no text scored")
	}
}

// splitWords splits text into runs of letters, as scoreWords does.
func splitWords(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		if isLetter(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}
