// Package fetch gets news articles over HTTP: a single page, every entry of
// an RSS, Atom or JSON feed, or every recent URL of a sitemap or Google News
// sitemap. It returns them as article.Article values with the page HTML
// (decoded to UTF-8) for the extractor, and knows nothing of NATS.
//
// It is polite (robots.txt with its crawl delay, per-host concurrency and
// rate limits, conditional GET, retries with backoff that honour
// Retry-After) and safe by default (no loopback, private, link-local or
// metadata addresses, checked after DNS resolution and on every redirect).
package fetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/textenc"
)

// DefaultUserAgent names the crawler and where to learn about it.
const DefaultUserAgent = "newsdedup/0.1 (+https://github.com/newsdedup/newsdedup)"

// Kind is what a fetched URL holds; the values match pkg/sources' kinds.
type Kind string

// Kinds of body.
const (
	KindAuto    Kind = "auto" // detect from the body ("" means the same)
	KindFeed    Kind = "feed"
	KindSitemap Kind = "sitemap"
	KindPage    Kind = "page"
)

// Config tunes a Fetcher. Zero values take the defaults shown.
type Config struct {
	// Timeout bounds one HTTP request, body included (30s). The three
	// below are capped by it.
	Timeout time.Duration
	// ConnectTimeout bounds the TCP connect and the TLS handshake (10s).
	ConnectTimeout time.Duration
	// HeaderTimeout bounds the wait for response headers once the request
	// is sent (15s).
	HeaderTimeout time.Duration
	// BodyTimeout bounds reading the body once headers arrived, so that a
	// server dripping bytes cannot hold a request open (20s).
	BodyTimeout time.Duration
	// MaxBodyBytes bounds one body, before and after decompression (10 MiB).
	MaxBodyBytes int64
	// UserAgent is sent with every request (DefaultUserAgent). Its first
	// token ("newsdedup") is the name matched in robots.txt.
	UserAgent string
	// MaxRedirects is how many redirects one request follows (5).
	MaxRedirects int
	// MaxItems caps the entries fetched from one feed, first ones first
	// (0: all of them); a Request may set its own.
	MaxItems int
	// Concurrency is how many entry pages of one feed are fetched at once (4).
	Concurrency int

	// Retries is how many times a request that failed in a way that may
	// pass (timeout, reset, 408, 425, 429, 5xx) is tried again (2; -1: none).
	Retries int
	// RetryBase is the first retry's backoff, doubled at each retry and
	// jittered (500ms).
	RetryBase time.Duration
	// MaxRetryWait is the longest Retry-After waited for in place (30s); a
	// longer one fails the request and backs the source off for that long.
	MaxRetryWait time.Duration

	// HostConcurrency is how many requests one host gets at once (2).
	HostConcurrency int
	// HostRate is requests per second to one host (2; negative: no limit).
	// A robots.txt Crawl-delay slows a host further, never speeds it up.
	HostRate float64
	// HostBurst is how many requests a host gets at once after a pause (4).
	HostBurst int
	// RobotsTTL is how long a robots.txt is trusted (1h).
	RobotsTTL time.Duration

	// AllowPrivate lets the fetcher reach loopback, private, link-local and
	// other non-public addresses. Off by default: a feed could otherwise
	// point it at the machine's own network or a cloud metadata service.
	// The built-in sample site (127.0.0.1) and tests need it.
	AllowPrivate bool

	// Proxy picks each request's proxy, as http.Transport.Proxy does (nil:
	// none; ParseProxy reads the operator's setting). Through a proxy the
	// site's name is resolved here and checked as AllowPrivate says before
	// the request leaves; the proxy's own address is not checked.
	Proxy func(*http.Request) (*url.URL, error)

	// State keeps validators, failures and the set of articles already
	// fetched, for Do and Commit (nil: none; Do then fetches everything).
	State StateStore
	// FailureBackoff is how long a source that failed twice in a row is
	// left alone, doubled at each further failure (5m), up to
	// MaxFailureBackoff (6h).
	FailureBackoff    time.Duration
	MaxFailureBackoff time.Duration

	// MaxSitemapURLs caps the URLs taken from one sitemap, newest first,
	// when neither the request nor MaxItems sets a cap (100).
	MaxSitemapURLs int
	// MaxSitemapChildren caps the sitemaps read from a sitemap index, most
	// recently modified first (5).
	MaxSitemapChildren int
	// SitemapMaxAge skips sitemap URLs dated (lastmod or publication date)
	// longer ago than this (7 days; negative: no limit).
	SitemapMaxAge time.Duration
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.Timeout, 30*time.Second)
	def(&c.ConnectTimeout, 10*time.Second)
	def(&c.HeaderTimeout, 15*time.Second)
	def(&c.BodyTimeout, 20*time.Second)
	c.ConnectTimeout = min(c.ConnectTimeout, c.Timeout)
	c.HeaderTimeout = min(c.HeaderTimeout, c.Timeout)
	c.BodyTimeout = min(c.BodyTimeout, c.Timeout)
	def(&c.RetryBase, 500*time.Millisecond)
	def(&c.MaxRetryWait, 30*time.Second)
	def(&c.RobotsTTL, time.Hour)
	def(&c.FailureBackoff, 5*time.Minute)
	def(&c.MaxFailureBackoff, 6*time.Hour)
	if c.SitemapMaxAge == 0 {
		c.SitemapMaxAge = 7 * 24 * time.Hour
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 10 << 20
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.MaxRedirects <= 0 {
		c.MaxRedirects = 5
	}
	c.MaxItems = max(c.MaxItems, 0)
	if c.Concurrency <= 0 {
		c.Concurrency = 4
	}
	switch {
	case c.Retries == 0:
		c.Retries = 2
	case c.Retries < 0:
		c.Retries = 0
	}
	if c.HostConcurrency <= 0 {
		c.HostConcurrency = 2
	}
	if c.HostRate == 0 {
		c.HostRate = 2
	}
	if c.HostBurst <= 0 {
		c.HostBurst = 4
	}
	if c.MaxSitemapURLs <= 0 {
		c.MaxSitemapURLs = 100
	}
	if c.MaxSitemapChildren <= 0 {
		c.MaxSitemapChildren = 5
	}
	return c
}

// Fetcher fetches pages, feeds and sitemaps. It is safe for concurrent use.
type Fetcher struct {
	cfg         Config
	client      *http.Client
	hosts       *hostLimits
	robotsCache robotsCache
	agent       string // the product token matched in robots.txt
	// blocked refuses a dial address; nil when AllowPrivate. Tests swap it
	// to let one loopback port count as public.
	blocked func(netip.AddrPort) bool
	// lookup resolves a site's name when it goes through a proxy (tests
	// give names addresses of their choosing).
	lookup func(context.Context, string) ([]netip.Addr, error)
	// proxyAddrs are the host:port of the proxies proxyFor handed out:
	// the dialer lets them through.
	proxyMu    sync.Mutex
	proxyAddrs map[string]bool
	now        func() time.Time
	sleep      func(context.Context, time.Duration) error

	claimMu sync.Mutex
	claims  map[string]bool // entry URLs being fetched by this process
}

// New returns a Fetcher with cfg's zero fields set to their defaults.
func New(cfg Config) *Fetcher {
	cfg = cfg.withDefaults()
	f := &Fetcher{cfg: cfg, now: time.Now, sleep: sleepCtx, claims: map[string]bool{},
		lookup: lookupHost, proxyAddrs: map[string]bool{},
		hosts: newHostLimits(cfg.HostConcurrency, cfg.HostRate, cfg.HostBurst)}
	f.agent = strings.ToLower(strings.FieldsFunc(cfg.UserAgent, func(r rune) bool { return r == '/' || r == ' ' })[0])
	if !cfg.AllowPrivate {
		f.blocked = func(ap netip.AddrPort) bool { return blockedAddr(ap.Addr()) }
	}
	f.client = f.newClient()
	return f
}

// Close releases idle connections.
func (f *Fetcher) Close() { f.client.CloseIdleConnections() }

// Request is one URL to fetch, with what its source list says of it.
type Request struct {
	URL  string
	Kind Kind
	// Source, when set, names the outlet of every article, over what the
	// pages say.
	Source string
	// MaxItems caps the entries taken (0: Config.MaxItems, or for a
	// sitemap Config.MaxSitemapURLs).
	MaxItems int
	// Force ignores the stored validators, the unchanged-body check and a
	// backoff: the URL is fetched and parsed whatever the state says.
	// Entries already fetched are still skipped.
	Force bool
	// Once marks a one-off fetch (an imported URL rather than a polled
	// source): like Force, and no state of its own is kept for the URL;
	// the seen-set still applies and is updated by Commit.
	Once bool
	// Interval is how often the source is polled (0: not on a schedule).
	// The state keeps when the next poll is due, so that a source nobody
	// polls any more (taken out of the list) shows as overdue.
	Interval time.Duration
}

// Result is what Do found. Nothing of it is remembered until Commit.
type Result struct {
	URL      string
	FinalURL string // after redirects
	Kind     Kind   // what the body turned out to be
	// NotModified is set when the server answered 304 or sent the body of
	// the last poll again: there is nothing new.
	NotModified bool
	// Articles are new articles, in entry order, each once.
	Articles []article.Article
	// Errors are entries that failed (each an *EntryError), in entry order.
	Errors []error
	// Entries counts the entries of the feed or sitemap; Malformed those
	// without a usable link; Skipped those fetched by an earlier poll (or
	// being fetched by another feed right now); Duplicates those whose
	// page turned out to be an article already fetched under another URL;
	// Deferred those not fetched because the context ended.
	Entries, Malformed, Skipped, Duplicates, Deferred int
	// Incomplete is set when some entries are to be tried again (Deferred,
	// or a failure that may pass): Commit then keeps the old validators, so
	// that the next poll reads the body again instead of getting a 304.
	Incomplete bool

	store      StateStore
	once       bool  // Request.Once: no state of its own to save
	state      State // the state to save on Commit
	validators State // the new ETag, Last-Modified and body hash
	seen       []string
}

// Fetch gets rawURL, ignoring Config.State: no conditional GET, no
// seen-set. A feed or sitemap yields one article per entry, each built from
// the entry's page, with title, author and date from the entry where it has
// them; an entry that fails is reported in errs and the others are still
// returned. An HTML page yields one article. err is set when rawURL itself
// cannot be fetched or understood, or when ctx ends (with what was done).
//
// An article's URL is the page's rel=canonical (else og:url, else JSON-LD
// url) when it has one, else the URL reached after redirects, normalised by
// article.CanonicalURL; its ID is article.DefaultID of that URL, and its
// Source the page's og:site_name, else the publication name of a news
// sitemap, else the JSON-LD publisher, else its host without "www.".
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (arts []article.Article, errs []error, err error) {
	res, err := f.do(ctx, Request{URL: rawURL}, nil)
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return res.Articles, res.Errors, fmt.Errorf("fetch: %s: %w", rawURL, err)
	}
	return res.Articles, res.Errors, nil
}

// Do fetches req.URL with the state in Config.State: a conditional GET with
// the stored validators, nothing at all while the source is backed off
// (a *BackoffError), and only the entries whose URL (or canonical URL) was
// not fetched before. A failure is recorded at once and backs the source off
// after repeated failures. Success is recorded by Commit, which the caller
// calls once the articles are safely published: were it recorded here, a
// failed publish would lose them for good.
func (f *Fetcher) Do(ctx context.Context, req Request) (*Result, error) {
	return f.do(ctx, req, f.cfg.State)
}

func (f *Fetcher) do(ctx context.Context, req Request, store StateStore) (*Result, error) {
	u, err := parseURL(req.URL)
	if err != nil {
		return nil, err
	}
	if req.Once {
		req.Force = true
	}
	res := &Result{URL: req.URL, Kind: req.Kind, store: store, once: req.Once}
	now := f.now().UTC()
	st := State{URL: req.URL}
	if store != nil {
		if st, err = store.Load(ctx, req.URL); err != nil {
			return nil, fmt.Errorf("fetch: load state of %s: %w", req.URL, err)
		}
		st.URL = req.URL
		if !req.Force && st.BackedOff(now) {
			return nil, &BackoffError{URL: req.URL, Until: st.BackoffUntil}
		}
	}
	var cond *conditional
	if store != nil && !req.Force && (st.ETag != "" || st.LastModified != "") {
		cond = &conditional{etag: st.ETag, lastModified: st.LastModified}
	}
	st.LastAttempt = now
	st.NextPoll = time.Time{}
	if req.Interval > 0 {
		st.NextPoll = now.Add(req.Interval)
	}
	if req.Source != "" {
		st.Source = req.Source
	}
	fail := func(err error) (*Result, error) {
		if store != nil && !req.Once && !interrupted(ctx, err) {
			err = f.recordFailure(ctx, store, st, err)
		}
		return nil, err
	}
	resp, err := f.get(ctx, u, cond)
	if err != nil {
		return fail(err)
	}
	res.FinalURL = resp.URL.String()
	if resp.Body, err = gunzipped(resp.Body, f.cfg.MaxBodyBytes); err != nil {
		return fail(fmt.Errorf("%s: %w", u.Redacted(), err))
	}
	sum := sha256.Sum256(resp.Body)
	hash := hex.EncodeToString(sum[:])
	if resp.NotModified || (store != nil && !req.Force && st.BodyHash == hash) {
		res.NotModified = true
		st.LastStatus = 200
		if resp.NotModified {
			st.LastStatus = 304
		}
		res.state = st
		res.validators = st
		return res, f.Commit(ctx, res)
	}

	kind := req.Kind
	if kind == "" || kind == KindAuto {
		if kind, err = detectKind(resp); err != nil {
			return fail(err)
		}
	}
	res.Kind = kind
	st.Kind = kind
	var entries []entry
	switch kind {
	case KindPage:
		a, err := f.fromPage(resp, "")
		if err != nil {
			return fail(err)
		}
		res.Articles = []article.Article{a}
		res.seen = []string{article.CanonicalURL(u.String()), a.URL}
	case KindFeed:
		if entries, err = feedEntries(resp); err != nil {
			return fail(err)
		}
	case KindSitemap:
		if entries, err = f.sitemapEntries(ctx, resp); err != nil {
			return fail(err)
		}
	default:
		return fail(fmt.Errorf("%w: kind %q", ErrUnsupported, kind))
	}
	if kind != KindPage {
		if err := f.fetchEntries(ctx, res, entries, req, kind); err != nil {
			return nil, err
		}
	}
	if req.Source != "" {
		for i := range res.Articles {
			res.Articles[i].Source = req.Source
		}
	}
	st.LastStatus = 200
	st.LastChange = now
	st.Entries, st.Malformed, st.Deferred = res.Entries, res.Malformed, res.Deferred
	res.state = st
	res.validators = State{ETag: resp.ETag, LastModified: resp.LastModified, BodyHash: hash}
	return res, nil
}

// Commit records a successful Do: its entry and canonical URLs join the
// seen-set, so no later poll (by any replica) fetches or publishes them
// again, and the source's state is saved, with the new validators unless
// the result is Incomplete. Without a StateStore it does nothing.
func (f *Fetcher) Commit(ctx context.Context, res *Result) error {
	if res == nil || res.store == nil || res.state.URL == "" {
		return nil
	}
	if len(res.seen) > 0 {
		if err := res.store.MarkSeen(ctx, res.seen...); err != nil {
			return fmt.Errorf("fetch: mark %d URLs seen: %w", len(res.seen), err)
		}
	}
	if res.once {
		res.store = nil
		return nil
	}
	st := res.state
	if !res.Incomplete {
		st.ETag, st.LastModified, st.BodyHash = res.validators.ETag, res.validators.LastModified, res.validators.BodyHash
	}
	now := f.now().UTC()
	st.Failures, st.LastError, st.BackoffUntil = 0, "", time.Time{}
	st.LastSuccess = now
	if n := len(res.Articles); n > 0 {
		st.Articles += int64(n)
		st.LastNew = now
	}
	if err := res.store.Save(ctx, st); err != nil {
		return fmt.Errorf("fetch: save state of %s: %w", st.URL, err)
	}
	res.store = nil // once
	return nil
}

// recordFailure counts a failed poll and backs the source off from the
// second failure in a row, doubling each time, and at least for the
// server's Retry-After.
func (f *Fetcher) recordFailure(ctx context.Context, store StateStore, st State, cause error) error {
	now := f.now().UTC()
	st.Failures++
	st.LastError = cause.Error()
	if len(st.LastError) > 500 {
		st.LastError = st.LastError[:500]
	}
	st.LastStatus = 0
	var wait time.Duration
	if st.Failures >= 2 {
		wait = min(f.cfg.FailureBackoff<<min(st.Failures-2, 20), f.cfg.MaxFailureBackoff)
		wait = wait*9/10 + rand.N(wait/5+1) // ±10%, so replicas' sources drift apart
	}
	var se *StatusError
	if errors.As(cause, &se) {
		st.LastStatus = se.StatusCode
		wait = max(wait, se.RetryAfter)
	}
	if wait > 0 {
		st.BackoffUntil = now.Add(wait)
	}
	if err := store.Save(ctx, st); err != nil {
		return fmt.Errorf("%w (and saving its state: %v)", cause, err)
	}
	return cause
}

// interrupted tells whether err comes from the caller's context ending.
func interrupted(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, errInterrupted)
}

// entry is one item of a feed or sitemap: a link and what the item says of
// its page. err is set for an item that has no usable link.
type entry struct {
	link      *url.URL
	title     string
	author    string
	source    string // a news sitemap's publication name
	published *time.Time
	updated   *time.Time
	sortDate  *time.Time
	err       error
}

// detectKind looks at the body rather than the Content-Type, which servers
// often get wrong (feeds as text/html, sitemaps as text/plain).
func detectKind(res *response) (Kind, error) {
	head := bytes.TrimLeft(res.Body[:min(len(res.Body), 4096)], " \t\r\n\ufeff")
	switch {
	case bytes.HasPrefix(head, []byte("{")):
		// A JSON body is a feed only if it says so.
		if bytes.Contains(head, []byte("jsonfeed.org")) {
			return KindFeed, nil
		}
	case bytes.HasPrefix(head, []byte("<")):
		switch strings.ToLower(xmlRoot(head)) {
		case "rss", "rdf", "feed":
			return KindFeed, nil
		case "urlset", "sitemapindex":
			return KindSitemap, nil
		case "html":
			return KindPage, nil
		}
		if res.isHTML() {
			return KindPage, nil
		}
	default:
		if res.isHTML() {
			return KindPage, nil
		}
	}
	return "", fmt.Errorf("%w: %s is %q", ErrUnsupported, res.URL.Redacted(), res.mediaType())
}

// feedEntries parses an RSS, Atom or JSON feed into entries.
func feedEntries(res *response) ([]entry, error) {
	body := bytes.TrimPrefix(res.Body, []byte("\ufeff"))
	if !bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("{")) {
		var err error
		if body, err = textenc.XML(body, res.ContentType); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrFeed, res.URL.Redacted(), err)
		}
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFeed, res.URL.Redacted(), err)
	}
	out := make([]entry, 0, len(feed.Items))
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		e := entry{title: plainText(it.Title), author: entryAuthor(it),
			published: utc(it.PublishedParsed), updated: utc(it.UpdatedParsed)}
		e.link, e.err = entryLink(res.URL, it)
		out = append(out, e)
	}
	return out, nil
}

// plainText turns a feed title into text: Atom and many RSS feeds carry
// HTML there (entities, <em>), which would otherwise reach the index as
// "&amp;" or "<em>".
func plainText(s string) string {
	if strings.ContainsRune(s, '<') {
		var b strings.Builder
		z := html.NewTokenizer(strings.NewReader(s))
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			if tt == html.TextToken {
				b.Write(z.Text())
			}
		}
		s = b.String()
	}
	if strings.ContainsRune(s, '&') {
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// entryLink finds the entry's page: its link, else its first link, else a
// GUID that is a URL, resolved against the feed's own URL.
func entryLink(feedURL *url.URL, it *gofeed.Item) (*url.URL, error) {
	candidates := []string{it.Link}
	candidates = append(candidates, it.Links...)
	if strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://") {
		candidates = append(candidates, it.GUID)
	}
	for _, c := range candidates {
		if c = strings.TrimSpace(c); c != "" {
			return resolveLink(feedURL, it.Title, c)
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrNoLink, it.Title)
}

// resolveLink resolves an entry's link against the document it is in.
func resolveLink(base *url.URL, title, raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("%w: %q", ErrNoLink, title)
	}
	u, err := base.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: entry %q: %v", ErrURL, title, err)
	}
	if !httpScheme(strings.ToLower(u.Scheme)) {
		return nil, fmt.Errorf("%w: entry %q links to %q", ErrScheme, title, raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%w: entry %q links to %q", ErrURL, title, raw)
	}
	return u, nil
}

func entryAuthor(it *gofeed.Item) string {
	for _, p := range it.Authors {
		if p != nil && strings.TrimSpace(p.Name) != "" {
			return strings.TrimSpace(p.Name)
		}
	}
	return ""
}

// sitemapEntries reads a sitemap, or the most recent sitemaps of an index.
// A child sitemap that fails becomes a failed entry: the others still count.
func (f *Fetcher) sitemapEntries(ctx context.Context, res *response) ([]entry, error) {
	body, err := textenc.XML(res.Body, res.ContentType)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrSitemap, res.URL.Redacted(), err)
	}
	doc, err := parseSitemap(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrSitemap, res.URL.Redacted(), err)
	}
	var notBefore time.Time
	if f.cfg.SitemapMaxAge > 0 {
		notBefore = f.now().Add(-f.cfg.SitemapMaxAge)
	}
	entries := sitemapURLs(res.URL, doc.URLs, notBefore)
	children := childSitemaps(res.URL, doc)
	for _, c := range children[:min(len(children), f.cfg.MaxSitemapChildren)] {
		cr, err := f.get(ctx, c, nil)
		if err == nil {
			cr.Body, err = gunzipped(cr.Body, f.cfg.MaxBodyBytes)
		}
		var cd *sitemapDoc
		if err == nil {
			if body, err = textenc.XML(cr.Body, cr.ContentType); err == nil {
				cd, err = parseSitemap(body)
			}
			if err != nil {
				err = fmt.Errorf("%w: %v", ErrSitemap, err)
			}
		}
		if err != nil {
			entries = append(entries, entry{link: c, err: err})
			continue
		}
		entries = append(entries, sitemapURLs(cr.URL, cd.URLs, notBefore)...) // nested indexes are not followed
	}
	sortByDate(entries)
	return entries, nil
}

// fromPage turns a fetched HTML page into an article. sourceName is the
// outlet name the entry gives, used when the page names none itself.
func (f *Fetcher) fromPage(res *response, sourceName string) (article.Article, error) {
	if !res.isHTML() {
		return article.Article{}, fmt.Errorf("%w: %s is %q", ErrUnsupported, res.URL.Redacted(), res.mediaType())
	}
	doc, err := textenc.HTML(res.Body, res.ContentType)
	if err != nil {
		return article.Article{}, fmt.Errorf("%s: %w", res.URL.Redacted(), err)
	}
	m := parseMeta(doc)
	canon := article.CanonicalURL(m.canonicalURL(res.URL).String())
	fetched := f.now().UTC()
	return article.Article{
		ID:        article.DefaultID(canon, ""),
		URL:       canon,
		Source:    m.source(res.URL, sourceName),
		Title:     m.pageTitle(),
		Author:    m.pageAuthor(),
		Published: m.publishedTime(),
		Fetched:   &fetched,
		HTML:      doc,
	}, nil
}

// entryPage fetches one entry's page and lets the entry's own metadata win
// over the page's: feeds carry cleaner titles and exact dates.
func (f *Fetcher) entryPage(ctx context.Context, e entry) (article.Article, error) {
	res, err := f.get(ctx, e.link, nil)
	if err != nil {
		return article.Article{}, err
	}
	a, err := f.fromPage(res, e.source)
	if err != nil {
		return article.Article{}, err
	}
	if e.title != "" {
		a.Title = e.title
	}
	if e.author != "" {
		a.Author = e.author
	}
	switch {
	case e.published != nil:
		a.Published = e.published
	case e.updated != nil && a.Published == nil:
		a.Published = e.updated
	}
	return a, nil
}

// fetchEntries fetches the pages of entries not seen before, at most
// Config.Concurrency at once, and fills res.
func (f *Fetcher) fetchEntries(ctx context.Context, res *Result, entries []entry, req Request, kind Kind) error {
	limit := req.MaxItems
	if limit <= 0 {
		limit = f.cfg.MaxItems
	}
	if limit <= 0 && kind == KindSitemap {
		limit = f.cfg.MaxSitemapURLs
	}
	type job struct {
		e       entry
		key     string
		claimed bool
		art     article.Article
		err     error
	}
	var jobs []*job
	inBody := map[string]bool{}
	valid := 0
	for _, e := range entries {
		res.Entries++
		if e.err != nil {
			if e.link == nil {
				res.Malformed++
			}
			jobs = append(jobs, &job{e: e, err: e.err})
			continue
		}
		key := article.CanonicalURL(e.link.String())
		if inBody[key] {
			continue // the same link twice in one feed: silently one
		}
		inBody[key] = true
		if limit > 0 && valid >= limit {
			continue
		}
		valid++
		if res.store != nil {
			seen, err := res.store.Seen(ctx, key)
			if err != nil {
				return fmt.Errorf("fetch: seen-set: %w", err)
			}
			if seen {
				res.Skipped++
				continue
			}
			if !f.claim(key) {
				// Another feed of this process is fetching it now; if that
				// fails, this feed must not have been marked complete.
				res.Skipped++
				res.Incomplete = true
				continue
			}
		}
		jobs = append(jobs, &job{e: e, key: key, claimed: res.store != nil})
	}

	sem := make(chan struct{}, f.cfg.Concurrency)
	var wg sync.WaitGroup
	for _, j := range jobs {
		if j.err != nil {
			continue
		}
		wg.Go(func() {
			if j.claimed {
				defer f.unclaim(j.key)
			}
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				j.err = fmt.Errorf("%w: %w", errInterrupted, ctx.Err())
				return
			}
			j.art, j.err = f.entryPage(ctx, j.e)
		})
	}
	wg.Wait()

	published := map[string]bool{}
	for _, j := range jobs {
		switch {
		case j.e.err != nil:
			ee := &EntryError{Err: j.err}
			if j.e.link != nil { // a child sitemap that failed
				ee.URL, ee.Retry = j.e.link.Redacted(), Retryable(j.err)
				res.Incomplete = res.Incomplete || ee.Retry
			}
			res.Errors = append(res.Errors, ee)
		case j.err != nil && interrupted(ctx, j.err):
			res.Deferred++
			res.Incomplete = true
		case j.err != nil:
			ee := &EntryError{URL: j.e.link.Redacted(), Err: j.err, Retry: Retryable(j.err)}
			res.Errors = append(res.Errors, ee)
			if ee.Retry {
				res.Incomplete = true
			} else {
				res.seen = append(res.seen, j.key) // tried and failed for good: not again
			}
		default:
			canon := j.art.URL
			dup := published[canon]
			if !dup && canon != j.key && res.store != nil {
				var err error
				if dup, err = res.store.Seen(ctx, canon); err != nil {
					return fmt.Errorf("fetch: seen-set: %w", err)
				}
			}
			if dup {
				res.Duplicates++
				if j.key != "" {
					res.seen = append(res.seen, j.key)
				}
				continue
			}
			published[canon] = true
			res.Articles = append(res.Articles, j.art)
			res.seen = append(res.seen, j.key, canon)
		}
	}
	return nil
}

// claim marks an entry URL as being fetched by this process; false when it
// already is.
func (f *Fetcher) claim(key string) bool {
	f.claimMu.Lock()
	defer f.claimMu.Unlock()
	if f.claims[key] {
		return false
	}
	f.claims[key] = true
	return true
}

func (f *Fetcher) unclaim(key string) {
	f.claimMu.Lock()
	defer f.claimMu.Unlock()
	delete(f.claims, key)
}
