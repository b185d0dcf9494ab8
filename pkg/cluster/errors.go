package cluster

import "errors"

// ErrNoID is returned by Add for an article without an id: idempotency and
// story identity both hang on it.
var ErrNoID = errors.New("cluster: article has no id")

// ErrFull is returned by Add when the engine already holds as many active
// stories as its index can number; the article is left uncounted.
var ErrFull = errors.New("cluster: too many active stories for one engine")
