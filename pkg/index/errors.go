package index

import "errors"

var (
	// ErrBadQuery is returned (wrapped, with bleve's explanation) for a query
	// string or filter that cannot be run; callers should answer 400.
	ErrBadQuery = errors.New("index: bad query")
	// ErrBadCursor is returned for a List cursor that this index did not issue.
	ErrBadCursor = errors.New("index: bad cursor")
	// ErrInvalidEvent is returned by Apply for an event without a story id.
	ErrInvalidEvent = errors.New("index: invalid event")
)
