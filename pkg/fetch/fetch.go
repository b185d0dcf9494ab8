// Package fetch gets news articles over HTTP: a single page, or every entry
// of an RSS, Atom or JSON feed. It returns them as article.Article values with
// the page HTML (decoded to UTF-8) for the extractor, and knows nothing of NATS.
package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// DefaultUserAgent names the crawler and where to learn about it.
const DefaultUserAgent = "newsdedup/0.1 (+https://github.com/newsdedup/newsdedup)"

// Config tunes a Fetcher. Zero values take the defaults shown.
type Config struct {
	// Timeout bounds one HTTP request, body included (15s).
	Timeout time.Duration
	// MaxBodyBytes bounds one body after decompression (10 MiB).
	MaxBodyBytes int64
	// UserAgent is sent with every request (DefaultUserAgent).
	UserAgent string
	// MaxRedirects is how many redirects one request follows (5).
	MaxRedirects int
	// MaxItems caps the entries fetched from one feed, first ones first
	// (0: all of them).
	MaxItems int
	// Concurrency is how many entry pages of a feed are fetched at once (4).
	Concurrency int
}

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = 15 * time.Second
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
	if c.MaxItems < 0 {
		c.MaxItems = 0
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 4
	}
	return c
}

// Fetcher fetches pages and feeds. It is safe for concurrent use.
type Fetcher struct {
	cfg    Config
	client *http.Client
	now    func() time.Time
}

// New returns a Fetcher with cfg's zero fields set to their defaults.
func New(cfg Config) *Fetcher {
	cfg = cfg.withDefaults()
	return &Fetcher{cfg: cfg, client: newClient(cfg), now: time.Now}
}

// Fetch gets rawURL. A feed yields one article per entry, each built from
// the entry's page, with title, author and date from the entry where it has
// them; an entry that fails is reported in errs and the others are still
// returned. An HTML page yields one article. err is set when rawURL itself
// cannot be fetched or understood, or when ctx ends (with what was done).
//
// An article's URL is the page's rel=canonical (or og:url) when it has one,
// else the URL reached after redirects, normalised by article.CanonicalURL;
// its ID is article.DefaultID of that URL, and its Source the fetched page's
// host name without "www." and without port.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (arts []article.Article, errs []error, err error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, nil, err
	}
	res, err := f.get(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	if isFeed(res) {
		return f.fromFeed(ctx, res)
	}
	a, err := f.fromPage(res)
	if err != nil {
		return nil, nil, err
	}
	return []article.Article{a}, nil, nil
}

// isFeed looks at the start of the body, as gofeed does, so that a feed
// served as text/html or an HTML page served as XML are both told right.
func isFeed(res *response) bool {
	head := res.Body[:min(len(res.Body), 4096)]
	if gofeed.DetectFeedType(bytes.NewReader(head)) == gofeed.FeedTypeUnknown {
		return false
	}
	// A JSON body is a feed only if it says so; gofeed only checks for "{".
	if bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n\ufeff"), []byte("{")) {
		return bytes.Contains(head, []byte("jsonfeed.org"))
	}
	return true
}

// fromPage turns a fetched HTML page into an article.
func (f *Fetcher) fromPage(res *response) (article.Article, error) {
	if !res.isHTML() {
		return article.Article{}, fmt.Errorf("%w: %s is %q", ErrUnsupported, res.URL.Redacted(), res.mediaType())
	}
	doc, err := res.text()
	if err != nil {
		return article.Article{}, err
	}
	m := parseMeta(doc)
	canon := article.CanonicalURL(m.canonicalURL(res.URL).String())
	fetched := f.now().UTC()
	return article.Article{
		ID:        article.DefaultID(canon, ""),
		URL:       canon,
		Source:    m.source(res.URL),
		Title:     m.pageTitle(),
		Author:    m.author,
		Published: m.publishedTime(),
		Fetched:   &fetched,
		HTML:      doc,
	}, nil
}

// source names the outlet: its og:site_name when the page gives one (several
// outlets may share a host), else the host.
func (m pageMeta) source(u *url.URL) string {
	if m.siteName != "" {
		return m.siteName
	}
	return sourceOf(u)
}

// sourceOf names the site whose page was fetched. It is the host the HTML
// came from, not the canonical's, because per-site boilerplate learning
// needs the site whose template the HTML carries. The port is left out so
// that a local site keeps one name across restarts.
func sourceOf(u *url.URL) string {
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// fromFeed fetches the page of every entry of the feed in res.
func (f *Fetcher) fromFeed(ctx context.Context, res *response) ([]article.Article, []error, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(res.Body))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %v", ErrFeed, res.URL.Redacted(), err)
	}
	items := feed.Items
	if f.cfg.MaxItems > 0 && len(items) > f.cfg.MaxItems {
		items = items[:f.cfg.MaxItems]
	}

	type result struct {
		art article.Article
		err error
	}
	results := make([]result, len(items))
	seen := map[string]bool{}
	sem := make(chan struct{}, f.cfg.Concurrency)
	var wg sync.WaitGroup
	for i, it := range items {
		link, err := entryLink(res.URL, it)
		if err != nil {
			results[i].err = err
			continue
		}
		if seen[link.String()] {
			results[i].err = errDuplicate
			continue
		}
		seen[link.String()] = true
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				results[i].err = fmt.Errorf("fetch: entry %s: %w", link.Redacted(), ctx.Err())
				return
			}
			a, err := f.entry(ctx, link, it)
			if err != nil {
				err = fmt.Errorf("fetch: entry %s: %w", link.Redacted(), err)
			}
			results[i] = result{a, err}
		})
	}
	wg.Wait()

	var arts []article.Article
	var errs []error
	for _, r := range results {
		switch {
		case errors.Is(r.err, errDuplicate):
		case r.err != nil:
			errs = append(errs, r.err)
		default:
			arts = append(arts, r.art)
		}
	}
	if err := ctx.Err(); err != nil {
		return arts, errs, fmt.Errorf("fetch: feed %s: %w", res.URL.Redacted(), err)
	}
	return arts, errs, nil
}

// errDuplicate marks an entry whose link an earlier entry already has; it is
// dropped silently rather than reported.
var errDuplicate = errors.New("fetch: duplicate entry")

// entryLink finds the entry's page: its link, else its first link, else a
// GUID that is a URL, resolved against the feed's own URL.
func entryLink(feedURL *url.URL, it *gofeed.Item) (*url.URL, error) {
	candidates := []string{it.Link}
	candidates = append(candidates, it.Links...)
	if strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://") {
		candidates = append(candidates, it.GUID)
	}
	for _, c := range candidates {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		u, err := feedURL.Parse(c)
		if err != nil {
			return nil, fmt.Errorf("%w: entry %q: %v", ErrURL, it.Title, err)
		}
		if !httpScheme(u.Scheme) {
			return nil, fmt.Errorf("%w: entry %q links to %q", ErrScheme, it.Title, c)
		}
		return u, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrNoLink, it.Title)
}

// entry fetches one entry's page and lets the entry's own metadata win over
// the page's: feeds carry cleaner titles and exact dates.
func (f *Fetcher) entry(ctx context.Context, link *url.URL, it *gofeed.Item) (article.Article, error) {
	res, err := f.get(ctx, link)
	if err != nil {
		return article.Article{}, err
	}
	a, err := f.fromPage(res)
	if err != nil {
		return article.Article{}, err
	}
	if t := strings.TrimSpace(it.Title); t != "" {
		a.Title = t
	}
	if name := entryAuthor(it); name != "" {
		a.Author = name
	}
	switch {
	case it.PublishedParsed != nil:
		t := it.PublishedParsed.UTC()
		a.Published = &t
	case it.UpdatedParsed != nil && a.Published == nil:
		t := it.UpdatedParsed.UTC()
		a.Published = &t
	}
	return a, nil
}

func entryAuthor(it *gofeed.Item) string {
	for _, p := range it.Authors {
		if p != nil && strings.TrimSpace(p.Name) != "" {
			return strings.TrimSpace(p.Name)
		}
	}
	return ""
}
