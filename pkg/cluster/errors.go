package cluster

import "errors"

// ErrNoID is returned by Add for an article without an id: idempotency and
// story identity both hang on it.
var ErrNoID = errors.New("cluster: article has no id")
