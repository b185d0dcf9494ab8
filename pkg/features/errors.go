package features

import "errors"

// ErrAnalyzer is returned by New when a bleve analyzer or stop list cannot
// be built.
var ErrAnalyzer = errors.New("features: analyzer unavailable")
