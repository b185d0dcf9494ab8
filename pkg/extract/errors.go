package extract

import "errors"

var (
	// ErrTooLarge is returned for input longer than Config.MaxBytes.
	ErrTooLarge = errors.New("extract: input too large")
	// ErrBinary is returned for input that is not text: NUL bytes, or mostly
	// control characters and invalid bytes.
	ErrBinary = errors.New("extract: input is binary, not text")
	// ErrEmptyInput is returned when there is neither HTML nor text to read.
	ErrEmptyInput = errors.New("extract: empty input")
	// ErrLexicon is returned by New for a lexicon file it cannot read.
	ErrLexicon = errors.New("extract: bad lexicon")
)
