// Package langid identifies the language of an article's text with lingua-go.
package langid

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pemistahl/lingua-go"
)

// DefaultLanguages is a broad European set plus the largest world languages
// our newsrooms meet; each language costs detector memory, so it is a list,
// not "all".
var DefaultLanguages = []string{
	"it", "fr", "en", "de", "es", "pt", "nl", "pl", "ro", "cs", "sv", "da",
	"fi", "el", "hu", "ca", "hr", "bg", "sk", "sl", "ru", "uk", "tr", "ar", "zh",
}

// ErrUnknownLanguage is returned for a language code lingua does not know.
var ErrUnknownLanguage = errors.New("langid: unknown language code")

// ErrUndetermined is returned when the text gives no reliable answer
// (empty, digits only, or too ambiguous).
var ErrUndetermined = errors.New("langid: language undetermined")

// Config chooses the languages the detector considers.
type Config struct {
	// Languages are ISO 639-1 codes; empty means DefaultLanguages.
	Languages []string
	// MaxChars bounds how much text is read: a few thousand characters decide
	// the language of a news article as well as the whole of it.
	MaxChars int
}

// Result is a detected language and lingua's confidence in it (0..1).
type Result struct {
	Lang       string  `json:"lang"`
	Confidence float64 `json:"confidence"`
}

// Detector wraps a lingua detector; it is safe for concurrent use.
type Detector struct {
	det      lingua.LanguageDetector
	maxChars int
}

// New builds a detector for cfg's languages.
func New(cfg Config) (*Detector, error) {
	codes := cfg.Languages
	if len(codes) == 0 {
		codes = DefaultLanguages
	}
	isos := make([]lingua.IsoCode639_1, 0, len(codes))
	for _, c := range codes {
		iso := lingua.GetIsoCode639_1FromValue(strings.ToUpper(strings.TrimSpace(c)))
		if iso == lingua.IsoCode639_1(0) || lingua.GetLanguageFromIsoCode639_1(iso) == lingua.Unknown {
			return nil, fmt.Errorf("%w: %q", ErrUnknownLanguage, c)
		}
		isos = append(isos, iso)
	}
	if len(isos) < 2 {
		return nil, fmt.Errorf("%w: lingua needs at least two languages, got %v", ErrUnknownLanguage, codes)
	}
	maxChars := cfg.MaxChars
	if maxChars <= 0 {
		maxChars = 3000
	}
	det := lingua.NewLanguageDetectorBuilder().FromIsoCodes639_1(isos...).Build()
	return &Detector{det: det, maxChars: maxChars}, nil
}

// Detect returns the most likely language of text.
func (d *Detector) Detect(text string) (Result, error) {
	text = clip(text, d.maxChars)
	values := d.det.ComputeLanguageConfidenceValues(text)
	if len(values) == 0 || values[0].Value() <= 0 {
		return Result{}, ErrUndetermined
	}
	best := values[0]
	code := strings.ToLower(best.Language().IsoCode639_1().String())
	return Result{Lang: code, Confidence: best.Value()}, nil
}

// clip cuts text to at most n bytes at a rune boundary after whitespace.
func clip(text string, n int) string {
	if len(text) <= n {
		return text
	}
	cut := strings.LastIndexAny(text[:n], " \n\t")
	if cut <= 0 {
		cut = n
		for cut > 0 && !isRuneStart(text[cut]) {
			cut--
		}
	}
	return text[:cut]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
