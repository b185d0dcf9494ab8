package eval

import "errors"

var (
	// ErrBadSet is returned for an evaluation directory that cannot be
	// read as a set: no or unreadable ground-truth.json.
	ErrBadSet = errors.New("eval: bad evaluation set")
	// ErrNoPage is returned when a ground-truth key has no page file.
	ErrNoPage = errors.New("eval: page file missing")
)
