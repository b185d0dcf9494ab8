package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

var (
	// ErrURL is returned for a URL that cannot be parsed or has no host.
	ErrURL = errors.New("fetch: invalid URL")
	// ErrScheme is returned for a URL, or a redirect, that is not http or https.
	ErrScheme = errors.New("fetch: only http and https URLs are fetched")
	// ErrBlocked is returned for a URL or redirect whose address is loopback,
	// private, link-local (cloud metadata included), unspecified or otherwise
	// not on the public internet, unless Config.AllowPrivate is set.
	ErrBlocked = errors.New("fetch: address not allowed")
	// ErrRobots is returned for a URL that the site's robots.txt disallows,
	// or when robots.txt could not be read because the server failed.
	ErrRobots = errors.New("fetch: disallowed by robots.txt")
	// ErrTooLarge is returned when a body is longer than Config.MaxBodyBytes,
	// before or after decompression.
	ErrTooLarge = errors.New("fetch: body too large")
	// ErrTooManyRedirects is returned past Config.MaxRedirects redirects.
	ErrTooManyRedirects = errors.New("fetch: too many redirects")
	// ErrTimeout is returned when connecting, the response headers or the
	// whole body take longer than their timeouts.
	ErrTimeout = errors.New("fetch: timed out")
	// ErrStatus is returned, inside a *StatusError, for a non-2xx response.
	ErrStatus = errors.New("fetch: unexpected HTTP status")
	// ErrFeed is returned for a body that looks like a feed but does not parse.
	ErrFeed = errors.New("fetch: malformed feed")
	// ErrSitemap is returned for a body that looks like a sitemap but does not parse.
	ErrSitemap = errors.New("fetch: malformed sitemap")
	// ErrNoLink is returned for a feed or sitemap entry without a usable link.
	ErrNoLink = errors.New("fetch: feed entry has no link")
	// ErrUnsupported is returned for a body that is neither a feed, a
	// sitemap nor HTML, or that comes in an unknown content encoding.
	ErrUnsupported = errors.New("fetch: unsupported content type")
	// ErrBackedOff is returned, inside a *BackoffError, for a source that
	// failed repeatedly and is not fetched again before its backoff ends.
	ErrBackedOff = errors.New("fetch: source backed off after failures")
)

// StatusError reports a non-2xx response. errors.Is(err, ErrStatus) holds.
type StatusError struct {
	URL        string
	StatusCode int
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("fetch: %s: HTTP %d %s", e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// Unwrap lets errors.Is match ErrStatus.
func (e *StatusError) Unwrap() error { return ErrStatus }

// BackoffError says until when a failing source is left alone.
type BackoffError struct {
	URL   string
	Until time.Time
}

func (e *BackoffError) Error() string {
	return fmt.Sprintf("fetch: %s backed off until %s", e.URL, e.Until.UTC().Format(time.RFC3339))
}

// Unwrap lets errors.Is match ErrBackedOff.
func (e *BackoffError) Unwrap() error { return ErrBackedOff }

// EntryError is the failure of one entry of a feed or sitemap; the other
// entries are unaffected.
type EntryError struct {
	// URL is the entry's link, empty when it had none.
	URL string
	Err error
	// Retry is true when the failure may pass (a timeout, a 5xx, a 429):
	// the entry is not marked as fetched and the next poll tries it again.
	Retry bool
}

func (e *EntryError) Error() string {
	if e.URL == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("fetch: entry %s: %v", e.URL, e.Err)
}

func (e *EntryError) Unwrap() error { return e.Err }
