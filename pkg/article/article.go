// Package article is the article model shared by every stage of the pipeline,
// and its versioned wire form. It knows nothing of NATS.
package article

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// SchemaVersion is the version of Message written by this code. Readers accept
// every version up to it and reject newer ones with ErrUnknownVersion.
const SchemaVersion = 1

// ErrUnknownVersion is returned when a message was written by a newer schema.
var ErrUnknownVersion = errors.New("article: unknown message schema version")

// ErrInvalid is returned for a message that decodes but cannot be an article.
var ErrInvalid = errors.New("article: invalid message")

// Removal is one block that extraction took out, with why, so an editor can
// see and contest it.
type Removal struct {
	Text   string `json:"text"`
	Reason string `json:"reason"`
	// Layer is "lexicon", "structure" or "source" (learned per site).
	Layer string `json:"layer"`
}

// Article is one news article as it moves through the pipeline. Each stage
// fills in more of it: the fetcher URL/Source/HTML or Text, the extractor the
// cleaned Text and Removed, the language detector Lang.
type Article struct {
	ID        string     `json:"id"`
	URL       string     `json:"url,omitempty"`
	Source    string     `json:"source,omitempty"`
	Title     string     `json:"title,omitempty"`
	Author    string     `json:"author,omitempty"`
	Published *time.Time `json:"published,omitempty"`
	Fetched   *time.Time `json:"fetched,omitempty"`

	// HTML is the page as fetched; the extractor replaces it by Text.
	HTML string `json:"html,omitempty"`
	// Text is the raw text before extraction and the cleaned text after it.
	Text string `json:"text,omitempty"`

	Removed []Removal `json:"removed,omitempty"`
	// Extracted is set once boilerplate removal has run.
	Extracted bool `json:"extracted,omitempty"`
	// Empty marks a page that held nothing but boilerplate.
	Empty bool `json:"empty,omitempty"`

	Lang           string  `json:"lang,omitempty"`
	LangConfidence float64 `json:"lang_confidence,omitempty"`
	// LangGiven is true when Lang came with the input rather than from detection.
	LangGiven bool `json:"lang_given,omitempty"`
}

// Message is the versioned JSON envelope every article subject carries.
type Message struct {
	V       int     `json:"v"`
	Article Article `json:"article"`
}

// Encode wraps a in the current envelope.
//
// HTML is not escaped: a raw page's tags then travel as themselves, not as
// six-byte \u003c escapes, which made a 50 KB page's message about a third
// larger and a third slower to decode. The messages are never embedded in
// HTML, and any JSON reader reads them the same.
func Encode(a Article) ([]byte, error) {
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	if err := e.Encode(Message{V: SchemaVersion, Article: a}); err != nil {
		return nil, fmt.Errorf("encode article %q: %w", a.ID, err)
	}
	// Encode ends the value with a newline that Marshal did not write.
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// Decode reads an envelope and checks that it holds a usable article.
func Decode(data []byte) (Article, error) {
	// Our producers always write valid UTF-8; anything else came from a
	// broken producer and must not reach the index as mojibake.
	if !utf8.Valid(data) {
		return Article{}, fmt.Errorf("%w: payload is not valid UTF-8", ErrInvalid)
	}
	m, ok := decodeFast(data)
	if !ok {
		m = Message{}
		if err := json.Unmarshal(data, &m); err != nil {
			return Article{}, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
	}
	if m.V < 1 || m.V > SchemaVersion {
		return Article{}, fmt.Errorf("%w: v=%d", ErrUnknownVersion, m.V)
	}
	if m.Article.ID == "" {
		return Article{}, fmt.Errorf("%w: no id", ErrInvalid)
	}
	return m.Article, nil
}

// trackingParams are query parameters that identify a campaign, not a page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "mc_cid": true, "mc_eid": true, "igshid": true,
	"ref": true, "ref_src": true, "cmpid": true, "xtor": true, "at_medium": true, "at_campaign": true,
}

// CanonicalURL normalises u so that the same page reached through different
// links has one identity: lower-case scheme and host, no fragment, no
// tracking parameters, sorted query, no default port or trailing slash.
func CanonicalURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.Fragment = ""
	u.RawFragment = ""
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(strings.ToLower(k), "utm_") || trackingParams[strings.ToLower(k)] {
			q.Del(k)
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	u.RawQuery = strings.Join(parts, "&")
	if len(u.Path) > 1 {
		u.Path = strings.TrimRight(u.Path, "/")
	}
	u.RawPath = ""
	return u.String()
}

// DefaultID gives an article its identity when the input has none: a hash of
// its canonical URL, or of its content when there is no URL.
func DefaultID(rawURL, content string) string {
	h := sha256.New()
	if rawURL != "" {
		h.Write([]byte("url:" + CanonicalURL(rawURL)))
	} else {
		h.Write([]byte("content:" + strings.Join(strings.Fields(content), " ")))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
