package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// robotsRules is what one robots.txt says to this crawler (RFC 9309).
type robotsRules struct {
	rules []robotsRule
	// delay is the group's Crawl-delay, a widespread extension.
	delay time.Duration
	// disallowAll stands for a robots.txt that could not be read because
	// the server failed: RFC 9309 says to assume complete disallow.
	disallowAll bool
	reason      string
}

type robotsRule struct {
	allow   bool
	pattern string
}

// maxRobotsBytes is how much of a robots.txt is read; RFC 9309 asks
// crawlers to parse at least 500 KiB.
const maxRobotsBytes = 512 << 10

// maxCrawlDelay caps Crawl-delay: a value of hours would stall a whole feed.
const maxCrawlDelay = time.Minute

// parseRobots reads the groups of a robots.txt and keeps the rules of the
// group(s) naming agent (the crawler's product token), else of the "*"
// group(s). Groups naming the same agent are merged, as RFC 9309 says.
func parseRobots(body []byte, agent string) robotsRules {
	type group struct {
		agents   []string
		rules    []robotsRule
		delay    time.Duration
		hasDelay bool
	}
	var groups []*group
	var cur *group
	lastWasAgent := false
	for line := range strings.Lines(string(body)) {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		switch key {
		case "user-agent":
			if cur == nil || !lastWasAgent {
				cur = &group{}
				groups = append(groups, cur)
			}
			// "Foobot/2.1" names the product token foobot.
			token, _, _ := strings.Cut(value, "/")
			cur.agents = append(cur.agents, strings.ToLower(strings.TrimSpace(token)))
			lastWasAgent = true
		case "allow", "disallow":
			lastWasAgent = false
			if cur == nil || value == "" {
				continue // rules before any user-agent, or an empty disallow: no rule
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: escapePattern(value)})
		case "crawl-delay":
			lastWasAgent = false
			if cur == nil {
				continue
			}
			if secs, err := strconv.ParseFloat(value, 64); err == nil && secs >= 0 {
				cur.delay = min(time.Duration(secs*float64(time.Second)), maxCrawlDelay)
				cur.hasDelay = true
			}
		}
	}
	agent = strings.ToLower(agent)
	pick := func(name string) (robotsRules, bool) {
		var out robotsRules
		found := false
		for _, g := range groups {
			for _, a := range g.agents {
				if a == name {
					found = true
					out.rules = append(out.rules, g.rules...)
					if g.hasDelay {
						out.delay = max(out.delay, g.delay)
					}
					break
				}
			}
		}
		return out, found
	}
	if r, ok := pick(agent); ok {
		return r
	}
	r, _ := pick("*")
	return r
}

// escapePattern percent-encodes non-ASCII bytes, so that a pattern written
// in UTF-8 matches the escaped path it is compared with.
func escapePattern(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if c := p[i]; c >= 0x80 || c == ' ' {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// allowed applies the longest matching rule; on a tie allow wins. No rule
// matching means allowed; /robots.txt itself always is.
func (r robotsRules) allowed(u *url.URL) bool {
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if path == "/robots.txt" {
		return true
	}
	if r.disallowAll {
		return false
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	best, allow := -1, true
	for _, rule := range r.rules {
		if !matchPattern(rule.pattern, path) {
			continue
		}
		n := len(rule.pattern)
		if n > best || (n == best && rule.allow) {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// matchPattern matches a robots.txt path pattern: a prefix match, where "*"
// stands for any run of characters and a final "$" anchors the end.
func matchPattern(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	rest := path[len(parts[0]):]
	if len(parts) == 1 {
		return !anchored || rest == ""
	}
	// Leftmost matches of the middle parts leave the most room for the rest.
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	last := parts[len(parts)-1]
	if anchored {
		return strings.HasSuffix(rest, last)
	}
	return strings.Contains(rest, last)
}

// robotsCache holds each origin's rules for Config.RobotsTTL and fetches
// each robots.txt once however many requests wait for it.
type robotsCache struct {
	mu sync.Mutex
	m  map[string]*robotsEntry
}

type robotsEntry struct {
	ready   chan struct{}
	rules   robotsRules
	err     error // ErrBlocked and the like: the origin itself is refused
	expires time.Time
}

// errRobotsUnavailable marks a refusal because robots.txt could not be read
// (a 5xx, a 429, no answer): unlike a real disallow, it may pass.
var errRobotsUnavailable = errors.New("robots.txt unavailable")

// robotsErrorTTL is how long a failed robots.txt read stands before it is
// tried again: short, because it blocks the whole site meanwhile.
const robotsErrorTTL = 5 * time.Minute

// maxRobotsEntries bounds the cache; expired entries are dropped past it.
const maxRobotsEntries = 4096

// robots returns the rules for u's origin, fetching robots.txt if needed.
func (f *Fetcher) robots(ctx context.Context, u *url.URL) (robotsRules, error) {
	origin := strings.ToLower(u.Scheme + "://" + u.Host)
	now := f.now()
	c := &f.robotsCache
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*robotsEntry{}
	}
	e, ok := c.m[origin]
	if ok {
		select {
		case <-e.ready:
			if now.After(e.expires) {
				ok = false
			}
		default: // being fetched: wait for it below
		}
	}
	if !ok {
		if len(c.m) >= maxRobotsEntries {
			for k, old := range c.m {
				select {
				case <-old.ready:
					if now.After(old.expires) {
						delete(c.m, k)
					}
				default:
				}
			}
		}
		e = &robotsEntry{ready: make(chan struct{})}
		c.m[origin] = e
		c.mu.Unlock()
		// Detached from the caller: one caller giving up must not leave
		// a wrong answer in the cache for the others.
		e.rules, e.err = f.fetchRobots(context.WithoutCancel(ctx), origin)
		ttl := f.cfg.RobotsTTL
		if e.rules.disallowAll || e.err != nil {
			ttl = min(ttl, robotsErrorTTL)
		}
		e.expires = f.now().Add(ttl)
		close(e.ready)
	} else {
		c.mu.Unlock()
	}
	select {
	case <-e.ready:
		return e.rules, e.err
	case <-ctx.Done():
		return robotsRules{}, fmt.Errorf("fetch: waiting for %s/robots.txt: %w", origin, ctx.Err())
	}
}

// fetchRobots reads origin/robots.txt. A 4xx means no rules; a 5xx, a 429
// or an unreachable server means disallow everything for now (RFC 9309).
func (f *Fetcher) fetchRobots(ctx context.Context, origin string) (robotsRules, error) {
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, origin+"/robots.txt", nil)
	if err != nil {
		return robotsRules{}, fmt.Errorf("%w: %v", ErrURL, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "text/plain,*/*;q=0.5")
	resp, err := f.client.Do(req)
	if err != nil {
		if errors.Is(err, ErrBlocked) || errors.Is(err, ErrScheme) {
			return robotsRules{}, fmt.Errorf("fetch: robots.txt of %s: %w", origin, err)
		}
		return robotsRules{disallowAll: true, reason: fmt.Sprintf("robots.txt unreachable: %v", err)}, nil
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobotsBytes))
		if err != nil {
			return robotsRules{disallowAll: true, reason: fmt.Sprintf("robots.txt read failed: %v", err)}, nil
		}
		return parseRobots(body, f.agent), nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return robotsRules{disallowAll: true, reason: fmt.Sprintf("robots.txt answered HTTP %d", resp.StatusCode)}, nil
	default:
		return robotsRules{}, nil
	}
}

// checkRobots refuses u when its site's robots.txt disallows it, and
// returns the site's crawl delay.
func (f *Fetcher) checkRobots(ctx context.Context, u *url.URL) (time.Duration, error) {
	r, err := f.robots(ctx, u)
	if err != nil {
		return 0, err
	}
	if !r.allowed(u) {
		if r.reason != "" {
			return 0, fmt.Errorf("%w: %s (%s): %w", ErrRobots, u.Redacted(), r.reason, errRobotsUnavailable)
		}
		return 0, fmt.Errorf("%w: %s", ErrRobots, u.Redacted())
	}
	return r.delay, nil
}
