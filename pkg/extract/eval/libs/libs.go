// Package libs adapts third-party article extractors to eval.Engine, so
// that they can be scored on the same pages as ours: go-trafilatura and
// readeck's go-readability.
//
// They are compiled in only with the build tag extcompare: linking them
// adds about 0.7 s and 50 MB to the start of every run of a binary, for a
// comparison that is run by hand. Without the tag, Engine reports
// ErrUnavailable.
package libs

import "errors"

// ErrUnavailable is returned for an engine that is not compiled in.
var ErrUnavailable = errors.New("libs: engine not compiled in (build with -tags extcompare)")

// ErrUnknown is returned for an engine name that is not known.
var ErrUnknown = errors.New("libs: unknown engine")

// Names lists the engines this package can provide.
var Names = []string{"trafilatura", "trafilatura-nofallback", "readability"}
