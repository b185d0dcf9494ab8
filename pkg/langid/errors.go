package langid

import "errors"

// ErrUnknownLanguage is returned for a language code lingua does not know.
var ErrUnknownLanguage = errors.New("langid: unknown language code")

// ErrUndetermined is returned when the text gives no reliable answer
// (empty, digits only, or too ambiguous).
var ErrUndetermined = errors.New("langid: language undetermined")

// ErrModel is returned when lingua's bundled model data cannot be read.
var ErrModel = errors.New("langid: lingua model data unreadable")
