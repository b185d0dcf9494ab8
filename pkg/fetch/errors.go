package fetch

import (
	"errors"
	"fmt"
	"net/http"
)

var (
	// ErrURL is returned for a URL that cannot be parsed or has no host.
	ErrURL = errors.New("fetch: invalid URL")
	// ErrScheme is returned for a URL, or a redirect, that is not http or https.
	ErrScheme = errors.New("fetch: only http and https URLs are fetched")
	// ErrTooLarge is returned when a body is longer than Config.MaxBodyBytes.
	ErrTooLarge = errors.New("fetch: body too large")
	// ErrTooManyRedirects is returned past Config.MaxRedirects redirects.
	ErrTooManyRedirects = errors.New("fetch: too many redirects")
	// ErrTimeout is returned when the server does not answer within Config.Timeout.
	ErrTimeout = errors.New("fetch: timed out")
	// ErrStatus is returned, inside a *StatusError, for a non-2xx response.
	ErrStatus = errors.New("fetch: unexpected HTTP status")
	// ErrFeed is returned for a body that looks like a feed but does not parse.
	ErrFeed = errors.New("fetch: malformed feed")
	// ErrNoLink is returned for a feed entry without a usable link.
	ErrNoLink = errors.New("fetch: feed entry has no link")
	// ErrUnsupported is returned for a body that is neither a feed nor HTML.
	ErrUnsupported = errors.New("fetch: unsupported content type")
)

// StatusError reports a non-2xx response. errors.Is(err, ErrStatus) holds.
type StatusError struct {
	URL        string
	StatusCode int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("fetch: %s: HTTP %d %s", e.URL, e.StatusCode, http.StatusText(e.StatusCode))
}

// Unwrap lets errors.Is match ErrStatus.
func (e *StatusError) Unwrap() error { return ErrStatus }
