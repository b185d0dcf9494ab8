package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

const accept = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml," +
	"application/feed+json,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.8"

// response is a fetched body, read in full, with where it finally came from.
type response struct {
	URL         *url.URL // after redirects
	ContentType string
	Body        []byte // as sent, not yet decoded to UTF-8
}

func newClient(cfg Config) *http.Client {
	connect := min(10*time.Second, cfg.Timeout)
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   connect,
		ResponseHeaderTimeout: cfg.Timeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   cfg.Concurrency,
		ForceAttemptHTTP2:     true,
		// Compression stays on: the transport asks for gzip and decodes it,
		// and the body limit then applies to the decoded bytes.
	}
	return &http.Client{
		Transport: tr,
		Timeout:   cfg.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > cfg.MaxRedirects {
				return fmt.Errorf("%w (%d)", ErrTooManyRedirects, cfg.MaxRedirects)
			}
			if !httpScheme(req.URL.Scheme) {
				return fmt.Errorf("%w: redirect to %q", ErrScheme, req.URL.Redacted())
			}
			return nil
		},
	}
}

func httpScheme(s string) bool { return s == "http" || s == "https" }

// parseURL accepts absolute http(s) URLs only.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %v", ErrURL, raw, err)
	}
	if !httpScheme(strings.ToLower(u.Scheme)) {
		return nil, fmt.Errorf("%w: %q", ErrScheme, raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%w: %q has no host", ErrURL, raw)
	}
	return u, nil
}

// get fetches u and reads its body, bounded by MaxBodyBytes.
func (f *Fetcher) get(ctx context.Context, u *url.URL) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrURL, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", accept)
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, classify(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, &StatusError{URL: resp.Request.URL.Redacted(), StatusCode: resp.StatusCode}
	}
	limit := f.cfg.MaxBodyBytes
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %s declares %d bytes, limit %d", ErrTooLarge, u.Redacted(), resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("fetch: read %s: %w", u.Redacted(), classify(ctx, err))
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: %s is over %d bytes", ErrTooLarge, u.Redacted(), limit)
	}
	return &response{URL: resp.Request.URL, ContentType: resp.Header.Get("Content-Type"), Body: body}, nil
}

// classify marks the client's own timeouts with ErrTimeout; a cancellation
// by the caller's context is left as it is.
func classify(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return fmt.Errorf("fetch: %w", err)
}

// mediaType is the lower-case media type of the response, without parameters.
func (r *response) mediaType() string {
	mt, _, err := mime.ParseMediaType(r.ContentType)
	if err != nil {
		return ""
	}
	return mt
}

// isHTML tells an HTML page, sniffing when the server gives no useful type.
func (r *response) isHTML() bool {
	switch r.mediaType() {
	case "text/html", "application/xhtml+xml":
		return true
	case "", "application/octet-stream", "text/plain":
		return strings.HasPrefix(http.DetectContentType(r.Body), "text/html")
	}
	return false
}

// text decodes an HTML body to UTF-8. A BOM or a Content-Type charset is
// obeyed; otherwise a body that is valid UTF-8 is taken as UTF-8 (charset's own
// guess looks only at the first 1 KiB and would call a page whose accents
// start later windows-1252), and then a <meta> charset or windows-1252 applies.
func (r *response) text() (string, error) {
	enc, name, certain := charset.DetermineEncoding(r.Body, r.ContentType)
	if name == "utf-8" || (!certain && utf8.Valid(r.Body)) {
		return strings.ToValidUTF8(string(r.Body), "\uFFFD"), nil
	}
	b, err := enc.NewDecoder().Bytes(r.Body)
	if err != nil {
		return "", fmt.Errorf("fetch: decode %s as %s: %w", r.URL.Redacted(), name, err)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), nil
}
