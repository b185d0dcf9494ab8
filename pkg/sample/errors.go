package sample

import "errors"

// ErrManifest is returned when the embedded manifest is unreadable or does
// not match the embedded pages.
var ErrManifest = errors.New("sample: bad manifest")
