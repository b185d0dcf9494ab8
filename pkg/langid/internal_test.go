package langid

import (
	"encoding/binary"
	"math"
	"testing"
)

// TestModelsReachable guards the go:linkname to lingua's embedded models:
// a lingua upgrade that renames or moves them fails here, not in production.
func TestModelsReachable(t *testing.T) {
	entries, err := linguaModels.ReadDir("language-models")
	if err != nil || len(entries) != 75 {
		t.Fatalf("lingua models: %d entries, %v; want 75", len(entries), err)
	}
	for _, code := range []string{"en", "zh", "ru"} {
		l, err := loadLanguage(code)
		if err != nil || len(l.uni) < 30 {
			t.Errorf("%s: %v, %d unigrams", code, err, len(l.uni))
		}
	}
	if !hasModel("en", 4) || hasModel("zh", 2) {
		t.Error("hasModel: want en quadrigrams and no zh bigrams")
	}
}

func TestLanguageScripts(t *testing.T) {
	tests := []struct {
		code string
		want []script
	}{
		{"en", []script{scriptLatin}},
		{"ru", []script{scriptCyrillic}},
		{"ja", []script{scriptHiragana, scriptKatakana, scriptHan}},
	}
	for _, tt := range tests {
		l, err := loadLanguage(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.scripts) != len(tt.want) {
			t.Fatalf("%s: scripts %v, want %v", tt.code, l.scripts, tt.want)
		}
		for i := range tt.want {
			if l.scripts[i] != tt.want[i] {
				t.Errorf("%s: scripts %v, want %v", tt.code, l.scripts, tt.want)
			}
		}
	}
}

// protobuf helpers for building lingua-shaped messages in tests.
func pbTag(field, typ int) []byte { return binary.AppendUvarint(nil, uint64(field<<3|typ)) }

func pbBytes(field int, b []byte) []byte {
	out := append(pbTag(field, 2), binary.AppendUvarint(nil, uint64(len(b)))...)
	return append(out, b...)
}

func pbSet(prob float64, grams ...string) []byte {
	var b []byte
	for _, g := range grams { // n-grams first: the decoder must not rely on order
		b = append(b, pbBytes(2, []byte(g))...)
	}
	b = append(b, pbTag(1, 1)...)
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(prob))
}

func TestDecodeModel(t *testing.T) {
	msg := append(pbTag(1, 0), 17)               // language
	msg = append(append(msg, pbTag(3, 0)...), 3) // total n-grams
	msg = append(msg, pbBytes(4, pbSet(0.5, "ab", "cd"))...)
	msg = append(msg, pbBytes(4, pbSet(0.25, "é\u00e8"))...)
	got := map[string]float64{}
	size := 0
	err := decodeModel(msg, modelVisitor{
		size:  func(n int) { size = n },
		ngram: func(p float64, g []byte) { got[string(g)] = p },
	})
	if err != nil || size != 3 || len(got) != 3 || got["ab"] != 0.5 || got["cd"] != 0.5 || got["éè"] != 0.25 {
		t.Fatalf("decodeModel = %v, size %d, %v", got, size, err)
	}
	for _, bad := range [][]byte{{0x22, 0x05, 0x0a}, {0x22}, {0x0f}} {
		if err := decodeModel(bad, modelVisitor{ngram: func(float64, []byte) {}}); err == nil {
			t.Errorf("decodeModel(%x): want an error", bad)
		}
	}
}

func TestHashTable(t *testing.T) {
	h := newHashTable(4)
	for i := uint64(1); i <= 1000; i++ {
		h.upsert(i<<orderShift | i*7919).lo = uint32(i)
	}
	for i := uint64(1); i <= 1000; i++ {
		s := h.find(i<<orderShift | i*7919)
		if s == nil || s.lo != uint32(i) {
			t.Fatalf("find(%d) = %+v", i, s)
		}
	}
	if h.find(1<<orderShift|3) != nil || h.n != 1000 {
		t.Errorf("absent key found or n = %d", h.n)
	}
}

func TestPosting(t *testing.T) {
	for _, tt := range []struct {
		lang int
		gain float64
	}{{0, 0}, {74, 21.5}, {255, -30.25}, {3, 1e-3}} {
		lang, gain := unpackPosting(packPosting(tt.lang, tt.gain))
		if lang != tt.lang || math.Abs(gain-tt.gain) > 1.0/gainScale {
			t.Errorf("posting(%d, %g) = %d, %g", tt.lang, tt.gain, lang, gain)
		}
	}
}

func TestScriptOf(t *testing.T) {
	tests := []struct {
		r    rune
		want script
	}{
		{'a', scriptLatin}, {'ß', scriptLatin}, {'ş', scriptLatin}, {'ạ', scriptLatin},
		{'я', scriptCyrillic}, {'λ', scriptGreek}, {'ش', scriptArabic}, {'א', scriptHebrew},
		{'क', scriptDevanagari}, {'ก', scriptThai}, {'ა', scriptGeorgian}, {'한', scriptHangul},
		{'ひ', scriptHiragana}, {'カ', scriptKatakana}, {'中', scriptHan}, {'ሀ', scriptNone},
	}
	for _, tt := range tests {
		if got := scriptOf(tt.r); got != tt.want {
			t.Errorf("scriptOf(%q) = %d, want %d", tt.r, got, tt.want)
		}
	}
}
