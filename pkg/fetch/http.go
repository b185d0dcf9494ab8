package fetch

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/andybalholm/brotli"
)

const accept = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml," +
	"application/feed+json,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.8"

// response is a fetched body, read in full, with where it finally came from.
type response struct {
	URL          *url.URL // after redirects
	ContentType  string
	Body         []byte // decompressed, not yet decoded to UTF-8
	ETag         string
	LastModified string
	// NotModified is set for a 304 answer to a conditional request.
	NotModified bool
}

// conditional carries the validators of an earlier response.
type conditional struct {
	etag, lastModified string
}

var (
	// errBodyTimeout and errTotalTimeout are the causes of a request
	// context cancelled by the fetcher's own timers.
	errBodyTimeout  = errors.New("body not received in time")
	errTotalTimeout = errors.New("request not done in time")
	// errInterrupted marks work stopped because the caller's context ended
	// or would end first (a rate-limit wait past the deadline).
	errInterrupted = errors.New("fetch: interrupted")
)

func (f *Fetcher) newClient() *http.Client {
	cfg := f.cfg
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second,
		Control: func(network, address string, c syscall.RawConn) error { return f.dialControl(network, address, c) }}
	tr := &http.Transport{
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    cfg.ConnectTimeout,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           256,
		MaxIdleConnsPerHost:    cfg.HostConcurrency,
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
		// The fetcher asks for gzip and brotli itself and bounds the
		// decoded size; the transport would only do gzip.
		DisableCompression: true,
	}
	if cfg.Proxy != nil {
		// Not http.ProxyFromEnvironment by default: through a proxy the
		// address check needs a look-up of its own (proxyFor).
		tr.Proxy = f.proxyFor
		tr.DialContext = f.dialProxied(dialer, &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second})
	}
	return &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
}

// checkRedirect applies to every hop what applies to the first request:
// the scheme, the address, robots.txt; and it bounds the hops.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.cfg.MaxRedirects {
		return fmt.Errorf("%w (%d)", ErrTooManyRedirects, f.cfg.MaxRedirects)
	}
	if !httpScheme(req.URL.Scheme) {
		return fmt.Errorf("%w: redirect to %q", ErrScheme, req.URL.Redacted())
	}
	if err := f.checkURL(req.URL); err != nil {
		return fmt.Errorf("redirect: %w", err)
	}
	if via[0].URL.Path == "/robots.txt" {
		return nil // a robots.txt fetch must not wait for itself
	}
	if _, err := f.checkRobots(req.Context(), req.URL); err != nil {
		return fmt.Errorf("redirect: %w", err)
	}
	return nil
}

func httpScheme(s string) bool { return s == "http" || s == "https" }

// parseURL accepts absolute http(s) URLs only.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %v", ErrURL, raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if !httpScheme(u.Scheme) {
		return nil, fmt.Errorf("%w: %q", ErrScheme, raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%w: %q has no host", ErrURL, raw)
	}
	return u, nil
}

// get fetches u politely and safely: address and robots.txt checks, the
// host's concurrency and rate, and retries with backoff on failures that
// may pass. cond, when set, makes the request conditional.
func (f *Fetcher) get(ctx context.Context, u *url.URL, cond *conditional) (*response, error) {
	if err := f.checkURL(u); err != nil {
		return nil, err
	}
	delay, err := f.checkRobots(ctx, u)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		res, err := f.once(ctx, u, cond, delay)
		if err == nil {
			return res, nil
		}
		wait, ok := f.retryWait(err, attempt)
		if !ok || ctx.Err() != nil {
			return nil, err
		}
		if serr := f.sleep(ctx, wait); serr != nil {
			return nil, fmt.Errorf("%w (then %w)", err, serr)
		}
	}
}

// retryWait says whether to try again after err on the given attempt
// (0-based) and after how long: the server's Retry-After when it sent one
// within Config.MaxRetryWait, else exponential backoff with jitter.
func (f *Fetcher) retryWait(err error, attempt int) (time.Duration, bool) {
	if attempt >= f.cfg.Retries || !Retryable(err) {
		return 0, false
	}
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > 0 {
		if se.RetryAfter > f.cfg.MaxRetryWait {
			return 0, false // the caller backs the source off instead
		}
		return se.RetryAfter, true
	}
	d := f.cfg.RetryBase << attempt
	// Half fixed, half random: spread retries of many fetchers apart.
	return d/2 + rand.N(d/2+1), true
}

// Retryable tells whether err may pass on a later try: a timeout, a reset
// connection, HTTP 408, 425, 429 or 5xx other than 501.
func Retryable(err error) bool {
	var se *StatusError
	switch {
	case err == nil:
		return false
	case errors.Is(err, errRobotsUnavailable):
		return true
	case errors.As(err, &se):
		switch se.StatusCode {
		case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests,
			http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable,
			http.StatusGatewayTimeout:
			return true
		}
		return false
	case errors.Is(err, ErrBlocked), errors.Is(err, ErrScheme), errors.Is(err, ErrURL), errors.Is(err, ErrTooLarge),
		errors.Is(err, ErrTooManyRedirects), errors.Is(err, ErrRobots), errors.Is(err, ErrUnsupported),
		errors.Is(err, context.Canceled), errors.Is(err, errInterrupted):
		return false
	case errors.Is(err, ErrTimeout), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.IsTemporary || dnsErr.IsTimeout
	}
	return false
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: %w", errInterrupted, ctx.Err())
	}
}

// once makes one request within the host's limits and reads its body.
func (f *Fetcher) once(parent context.Context, u *url.URL, cond *conditional, delay time.Duration) (*response, error) {
	release, err := f.hosts.acquire(parent, u.Host, delay)
	if err != nil {
		return nil, err
	}
	defer release()
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	total := time.AfterFunc(f.cfg.Timeout, func() { cancel(errTotalTimeout) })
	defer total.Stop()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrURL, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Encoding", "gzip, br")
	if cond != nil {
		if cond.etag != "" {
			req.Header.Set("If-None-Match", cond.etag)
		}
		if cond.lastModified != "" {
			req.Header.Set("If-Modified-Since", cond.lastModified)
		}
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, classify(parent, ctx, err)
	}
	defer resp.Body.Close()
	// A slow-drip server sends headers and then a byte now and then: the
	// body has its own deadline.
	body := time.AfterFunc(f.cfg.BodyTimeout, func() { cancel(errBodyTimeout) })
	defer body.Stop()

	res := &response{URL: resp.Request.URL, ContentType: resp.Header.Get("Content-Type"),
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	if resp.StatusCode == http.StatusNotModified && cond != nil {
		res.NotModified = true
		return res, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, &StatusError{URL: resp.Request.URL.Redacted(), StatusCode: resp.StatusCode,
			RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), f.now())}
	}
	limit := f.cfg.MaxBodyBytes
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %s declares %d bytes, limit %d", ErrTooLarge, u.Redacted(), resp.ContentLength, limit)
	}
	res.Body, err = readBody(resp.Body, resp.Header.Get("Content-Encoding"), limit)
	if err != nil {
		if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrUnsupported) {
			return nil, fmt.Errorf("%s: %w", u.Redacted(), err)
		}
		return nil, fmt.Errorf("fetch: read %s: %w", u.Redacted(), classify(parent, ctx, err))
	}
	return res, nil
}

// parseRetryAfter reads seconds or an HTTP date; 0 when absent or past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, 7*24*3600)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// capReader fails with ErrTooLarge once more than n bytes went through:
// applied to both the compressed and the decoded stream, it stops a
// decompression bomb without reading it all.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	if int64(n) > c.left {
		c.left = -1
		return 0, ErrTooLarge
	}
	c.left -= int64(n)
	return n, err
}

// readBody reads a body through its content encodings, bounded by limit
// before and after decoding.
func readBody(r io.Reader, contentEncoding string, limit int64) ([]byte, error) {
	r = &capReader{r: r, left: limit}
	encs := strings.Split(contentEncoding, ",")
	for i := len(encs) - 1; i >= 0; i-- { // applied in order, so undone backwards
		var err error
		switch enc := strings.ToLower(strings.TrimSpace(encs[i])); enc {
		case "", "identity":
		case "gzip", "x-gzip":
			r, err = gzip.NewReader(r)
		case "br":
			r = brotli.NewReader(r)
		case "deflate":
			r, err = zlib.NewReader(r)
		default:
			return nil, fmt.Errorf("%w: content encoding %q", ErrUnsupported, enc)
		}
		if err != nil {
			if errors.Is(err, ErrTooLarge) {
				return nil, err
			}
			return nil, fmt.Errorf("fetch: %s body: %w", encs[i], err)
		}
	}
	b, err := io.ReadAll(&capReader{r: r, left: limit})
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, limit)
		}
		return nil, err
	}
	return b, nil
}

// gunzipped undoes a gzip layer that is part of the file rather than of the
// transfer (sitemap.xml.gz served as application/gzip).
func gunzipped(b []byte, limit int64) ([]byte, error) {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b, nil
	}
	return readBody(bytes.NewReader(b), "gzip", limit)
}

// classify names the fetcher's own timeouts ErrTimeout; a cancellation by
// the caller's context is reported as such.
func classify(parent, reqCtx context.Context, err error) error {
	if parent.Err() != nil {
		return fmt.Errorf("fetch: %w: %w", errInterrupted, parent.Err())
	}
	switch context.Cause(reqCtx) {
	case errBodyTimeout, errTotalTimeout:
		return fmt.Errorf("%w: %v", ErrTimeout, context.Cause(reqCtx))
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
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
		return strings.HasPrefix(http.DetectContentType(bytes.TrimLeft(r.Body, "\ufeff \t\r\n")), "text/html")
	}
	return false
}
