package cluster

import (
	"slices"
	"strings"
	"testing"
)

func TestTopEntities(t *testing.T) {
	nw := func(kw ...any) []namedWeight {
		var out []namedWeight
		for i := 0; i < len(kw); i += 2 {
			out = append(out, namedWeight{key: "ent:" + kw[i].(string), w: kw[i+1].(float64)})
		}
		return out
	}
	tests := []struct {
		name string
		ents []namedWeight
		n    int
		want []string
	}{
		{"a name's words go when the name is listed",
			nw("voltera", 0.27, "saint rambert", 0.17, "forges", 0.16, "rambert", 0.11, "saint", 0.10, "novara", 0.08), 10,
			[]string{"voltera", "saint rambert", "forges", "novara"}},
		{"a fuller name with most of the weight takes the place of its part",
			nw("sanremo", 0.05, "marchetti", 0.047, "lea marchetti", 0.046, "nicoise lea marchetti", 0.02, "lea", 0.014, "nice", 0.012), 10,
			[]string{"sanremo", "lea marchetti", "nice"}},
		{"a fuller name with less does not",
			nw("okafor", 0.10, "rovers", 0.08, "late okafor", 0.07, "quayside park", 0.019), 10,
			[]string{"okafor", "rovers", "quayside park"}},
		{"a fuller name replaces every part it holds",
			nw("town", 0.10, "harbour", 0.09, "rovers", 0.08, "harbour town", 0.08), 10,
			[]string{"harbour town", "rovers"}},
		{"the words of a fuller name left out go with it",
			nw("okafor", 0.10, "late okafor", 0.05, "late", 0.04, "jordan okafor", 0.03, "jordan", 0.02, "park", 0.01), 10,
			[]string{"okafor", "park"}},
		{"parts of words are not words",
			nw("ram", 0.2, "rambert", 0.1), 10,
			[]string{"ram", "rambert"}},
		{"n bounds the list and more names are read to fill it",
			nw("a1", 0.9, "b1", 0.8, "a1 b1", 0.7, "c1", 0.6, "d1", 0.5), 3,
			[]string{"a1 b1", "c1", "d1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := topEntities(tc.ents, tc.n, nil)
			var keys []string
			for _, x := range got {
				keys = append(keys, entityWords(x.key))
			}
			if !slices.Equal(keys, tc.want) {
				t.Errorf("listed %q, want %q", keys, tc.want)
			}
		})
	}
}

func TestTopEntitiesSpellingVariants(t *testing.T) {
	const it, fr, en = 1, 2, 4
	nl := func(key string, w float64, langs uint64) namedWeight {
		return namedWeight{key: "ent:" + key, w: w, langs: langs}
	}
	tests := []struct {
		name string
		ents []namedWeight
		want []string
	}{
		{"one name in two languages is listed once, the heavier",
			[]namedWeight{nl("corsica", 0.16, it|en), nl("bastia", 0.14, it|fr), nl("corse", 0.11, fr), nl("europa", 0.07, it), nl("europe", 0.06, fr|en)},
			[]string{"corsica", "bastia", "europa"}},
		{"names of one language are two names",
			[]namedWeight{nl("marchetti", 0.2, it), nl("marchesi", 0.1, it)},
			[]string{"marchetti", "marchesi"}},
		{"a name seen in a language of the other is another name",
			[]namedWeight{nl("ligurie", 0.2, fr), nl("liguria", 0.1, it|fr)},
			[]string{"ligurie", "liguria"}},
		{"alike only at the start is not enough",
			[]namedWeight{nl("sardaigne", 0.2, fr), nl("sardegna", 0.1, it), nl("nice", 0.05, fr|en), nl("nizza", 0.04, it)},
			[]string{"sardaigne", "sardegna", "nice", "nizza"}},
		{"short names are left alone",
			[]namedWeight{nl("rai", 0.2, it), nl("rail", 0.1, en)},
			[]string{"rai", "rail"}},
		{"names of several words are left alone",
			[]namedWeight{nl("anna marin", 0.2, fr), nl("anna maria", 0.1, it)},
			[]string{"anna marin", "anna maria"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var keys []string
			for _, x := range topEntities(tc.ents, 10, nil) {
				keys = append(keys, entityWords(x.key))
			}
			if !slices.Equal(keys, tc.want) {
				t.Errorf("listed %q, want %q", keys, tc.want)
			}
		})
	}
}

func TestTopEntitiesKeepsTheHostsWeight(t *testing.T) {
	got := topEntities([]namedWeight{{key: "ent:marchetti", w: 0.05}, {key: "ent:lea marchetti", w: 0.04}}, 10, nil)
	if len(got) != 1 || got[0].key != "ent:lea marchetti" || got[0].w != 0.05 {
		t.Fatalf("got %+v, want lea marchetti at marchetti's weight 0.05", got)
	}
}

func TestWordsWithin(t *testing.T) {
	for _, tc := range []struct {
		name, part string
		want       bool
	}{
		{"saint rambert", "rambert", true},
		{"saint rambert", "saint", true},
		{"saint rambert", "saint rambert", true},
		{"saint rambert", "ram", false},
		{"saint rambert", "int ram", false},
		{"rambert rambert", "rambert", true},
		{"aram ram", "ram", true},
		{"sociale di castel rovere", "castel rovere", true},
		{"castel", "castel rovere", false},
		{"x", "", false},
	} {
		if got := wordsWithin(tc.name, tc.part); got != tc.want {
			t.Errorf("wordsWithin(%q, %q) = %v, want %v", tc.name, tc.part, got, tc.want)
		}
	}
}

// BenchmarkTopEntities lists the entities of a story with many names (the
// sample site's football report), as refresh does at every update.
func BenchmarkTopEntities(b *testing.B) {
	var ents []namedWeight
	for i, k := range strings.Fields("town rovers okafor harbour_town millbrook_rovers quayside_park late_okafor substitute_jordan_okafor millbrook harbour jordan_okafor park quayside bell callum_reid jordan late lewis_grant marcus_bell sam_doherty substitute lewis cartwright referee_anna_kowalski ethan_price manager_neil_cartwright anna_kowalski neil_cartwright gary_nolan callum doherty grant marcus reid sam anna kowalski referee ashworth_athletic ethan") {
		ents = append(ents, namedWeight{key: "ent:" + strings.ReplaceAll(k, "_", " "), w: 1 / float64(i+1), langs: 1})
	}
	var out []namedWeight
	for b.Loop() {
		out = topEntities(ents, entitiesN, out[:0])
	}
}
