// Package sources is the list of feeds, sitemaps and pages newsdedup polls:
// its YAML file format, validation, per-source intervals, the polling
// schedule and reloading the file without a restart. It does no fetching
// and knows nothing of NATS.
package sources

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/newsdedup/newsdedup/pkg/article"
)

// Kind tells the fetcher how to read a source. KindAuto, the default,
// detects it from the body, which is right for almost every source.
type Kind string

// Kinds of source.
const (
	KindAuto    Kind = "auto"
	KindFeed    Kind = "feed"    // RSS 0.9x/1.0/2.0, Atom or JSON Feed
	KindSitemap Kind = "sitemap" // sitemap, sitemap index or Google News sitemap
	KindPage    Kind = "page"    // one HTML article page
)

// kindAliases are the spellings accepted in a file, so that people may
// write what they know the source to be.
var kindAliases = map[string]Kind{
	"": KindAuto, "auto": KindAuto,
	"feed": KindFeed, "rss": KindFeed, "atom": KindFeed, "json": KindFeed, "jsonfeed": KindFeed, "json-feed": KindFeed,
	"sitemap": KindSitemap, "news-sitemap": KindSitemap, "news_sitemap": KindSitemap, "sitemap-index": KindSitemap,
	"page": KindPage, "html": KindPage,
}

// ParseKind normalises a kind as written in a file or a request.
func ParseKind(s string) (Kind, error) {
	k, ok := kindAliases[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		return "", fmt.Errorf("%w: unknown kind %q (auto, feed, rss, atom, jsonfeed, sitemap, news-sitemap, page)", ErrInvalid, s)
	}
	return k, nil
}

// Source is one thing to poll.
type Source struct {
	// URL is the feed, sitemap or page, absolute http or https.
	URL string
	// Name, when set, is given to every article from this source as its
	// source name, over what the pages say.
	Name string
	Kind Kind
	// Interval is how often the source is polled.
	Interval time.Duration
	// MaxItems caps the entries taken from one poll (0: the fetcher's default).
	MaxItems int
	// Disabled keeps a source in the list without polling it.
	Disabled bool
}

// Options bound what a list may say. Zero values take the defaults shown.
type Options struct {
	// DefaultInterval applies to a source without its own and without a
	// file-wide default (15m).
	DefaultInterval time.Duration
	// MinInterval is the shortest interval accepted (1m); shorter would be
	// impolite to any real site. Tests lower it.
	MinInterval time.Duration
	// MaxInterval is the longest interval accepted (7 days).
	MaxInterval time.Duration
}

func (o Options) withDefaults() Options {
	if o.DefaultInterval <= 0 {
		o.DefaultInterval = 15 * time.Minute
	}
	if o.MinInterval <= 0 {
		o.MinInterval = time.Minute
	}
	if o.MaxInterval <= 0 {
		o.MaxInterval = 7 * 24 * time.Hour
	}
	o.DefaultInterval = min(max(o.DefaultInterval, o.MinInterval), o.MaxInterval)
	return o
}

// Key is the identity of a source: two entries with the same key are one
// source. Tracking parameters, case of the host and fragments do not count.
func (s Source) Key() string { return article.CanonicalURL(s.URL) }

// Normalize validates s and fills in its defaults under o.
func (s Source) Normalize(o Options) (Source, error) {
	o = o.withDefaults()
	s.URL = strings.TrimSpace(s.URL)
	s.Name = strings.TrimSpace(s.Name)
	u, err := url.Parse(s.URL)
	switch {
	case s.URL == "":
		return s, fmt.Errorf("%w: url is missing", ErrInvalid)
	case err != nil:
		return s, fmt.Errorf("%w: url %q: %v", ErrInvalid, s.URL, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return s, fmt.Errorf("%w: url %q: only http and https", ErrInvalid, s.URL)
	case u.Host == "":
		return s, fmt.Errorf("%w: url %q has no host", ErrInvalid, s.URL)
	case u.User != nil:
		return s, fmt.Errorf("%w: url %q: credentials in URLs are not accepted", ErrInvalid, u.Redacted())
	case len(s.Name) > 200:
		return s, fmt.Errorf("%w: name is longer than 200 bytes", ErrInvalid)
	case s.MaxItems < 0:
		return s, fmt.Errorf("%w: max_items %d is negative", ErrInvalid, s.MaxItems)
	}
	if s.Kind, err = ParseKind(string(s.Kind)); err != nil {
		return s, err
	}
	if s.Interval == 0 {
		s.Interval = o.DefaultInterval
	}
	if s.Interval < o.MinInterval || s.Interval > o.MaxInterval {
		return s, fmt.Errorf("%w: interval %s is outside [%s, %s]", ErrInvalid, s.Interval, o.MinInterval, o.MaxInterval)
	}
	return s, nil
}

// wireSource is Source as JSON and YAML write it: the interval as "10m".
type wireSource struct {
	URL      string `json:"url" yaml:"url"`
	Name     string `json:"name,omitempty" yaml:"name,omitempty"`
	Kind     string `json:"kind,omitempty" yaml:"kind,omitempty"`
	Interval string `json:"interval,omitempty" yaml:"interval,omitempty"`
	MaxItems int    `json:"max_items,omitempty" yaml:"max_items,omitempty"`
	Disabled bool   `json:"disabled,omitempty" yaml:"disabled,omitempty"`
}

func (s Source) wire() wireSource {
	w := wireSource{URL: s.URL, Name: s.Name, MaxItems: s.MaxItems, Disabled: s.Disabled}
	if s.Kind != KindAuto {
		w.Kind = string(s.Kind)
	}
	if s.Interval > 0 {
		w.Interval = s.Interval.String()
	}
	return w
}

func (w wireSource) source() (Source, error) {
	s := Source{URL: w.URL, Name: w.Name, Kind: Kind(w.Kind), MaxItems: w.MaxItems, Disabled: w.Disabled}
	if w.Interval != "" {
		d, err := time.ParseDuration(strings.TrimSpace(w.Interval))
		if err != nil || d <= 0 {
			return s, fmt.Errorf("%w: interval %q is not a positive duration such as 10m", ErrInvalid, w.Interval)
		}
		s.Interval = d
	}
	return s, nil
}

// MarshalJSON writes {"url","name","kind","interval":"10m","max_items","disabled"}.
func (s Source) MarshalJSON() ([]byte, error) { return json.Marshal(s.wire()) }

// UnmarshalJSON reads what MarshalJSON writes; it does not validate.
func (s *Source) UnmarshalJSON(b []byte) error {
	var w wireSource
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	got, err := w.source()
	if err != nil {
		return err
	}
	*s = got
	return nil
}

// file is the YAML layout:
//
//	defaults:
//	  interval: 10m
//	  max_items: 50
//	sources:
//	  - url: https://example.org/feed.xml
//	    name: Example
//	    kind: rss
//	    interval: 5m
type file struct {
	Defaults struct {
		Interval string `yaml:"interval"`
		MaxItems int    `yaml:"max_items"`
	} `yaml:"defaults"`
	Sources []yaml.Node `yaml:"sources"`
}

// Parse reads a YAML source list, validates every source and returns them
// in file order. Every problem is reported, each with its line, joined in one
// error that matches ErrInvalid or ErrDuplicate; a list with any problem is
// rejected as a whole, so that a bad edit never silently drops sources.
func Parse(data []byte, o Options) ([]Source, error) {
	o = o.withDefaults()
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if f.Defaults.Interval != "" {
		d, err := time.ParseDuration(strings.TrimSpace(f.Defaults.Interval))
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%w: defaults.interval %q is not a positive duration such as 10m", ErrInvalid, f.Defaults.Interval)
		}
		o.DefaultInterval = d
	}
	if f.Defaults.MaxItems < 0 {
		return nil, fmt.Errorf("%w: defaults.max_items is negative", ErrInvalid)
	}
	var errs []error
	out := make([]Source, 0, len(f.Sources))
	firstLine := map[string]int{}
	for _, node := range f.Sources {
		var w wireSource
		if err := node.Decode(&w); err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w: %v", node.Line, ErrInvalid, err))
			continue
		}
		if err := knownKeys(&node); err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", node.Line, err))
			continue
		}
		s, err := w.source()
		if err == nil {
			if s.MaxItems == 0 {
				s.MaxItems = f.Defaults.MaxItems
			}
			s, err = s.Normalize(o)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", node.Line, err))
			continue
		}
		if prev, dup := firstLine[s.Key()]; dup {
			errs = append(errs, fmt.Errorf("line %d: %w: %s is already listed on line %d", node.Line, ErrDuplicate, s.URL, prev))
			continue
		}
		firstLine[s.Key()] = node.Line
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// knownKeys rejects misspelt fields in one source: yaml.v3's KnownFields
// does not reach into nodes decoded on their own.
func knownKeys(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("%w: a source is a mapping with at least url", ErrInvalid)
	}
	allowed := []string{"url", "name", "kind", "interval", "max_items", "disabled"}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; !slices.Contains(allowed, k) {
			return fmt.Errorf("%w: unknown field %q (allowed: %s)", ErrInvalid, k, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// Marshal writes sources in the file format Parse reads.
func Marshal(list []Source) ([]byte, error) {
	out := struct {
		Sources []wireSource `yaml:"sources"`
	}{}
	for _, s := range list {
		out.Sources = append(out.Sources, s.wire())
	}
	b, err := yaml.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("sources: encode: %w", err)
	}
	return b, nil
}

// Merge joins lists in order of precedence: a source whose key an earlier
// list already holds is left out, so the file can override a source added
// at run time. Disabled sources stay in the result (and are not polled).
func Merge(lists ...[]Source) []Source {
	seen := map[string]bool{}
	var out []Source
	for _, l := range lists {
		for _, s := range l {
			if seen[s.Key()] {
				continue
			}
			seen[s.Key()] = true
			out = append(out, s)
		}
	}
	return out
}
