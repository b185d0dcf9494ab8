package sources

import "errors"

var (
	// ErrInvalid is returned for a source list or a source that does not
	// validate; the message names the line (in a file) and the field.
	ErrInvalid = errors.New("sources: invalid source")
	// ErrDuplicate is returned when two sources have the same URL.
	ErrDuplicate = errors.New("sources: duplicate source")
)
