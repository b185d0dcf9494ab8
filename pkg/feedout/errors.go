package feedout

import "errors"

// ErrInvalidFeed is returned for a Feed that lacks what the specifications
// require of every feed (a title, and absolute home and feed URLs).
var ErrInvalidFeed = errors.New("feedout: invalid feed description")
