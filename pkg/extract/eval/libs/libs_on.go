//go:build extcompare

package libs

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"

	"github.com/newsdedup/newsdedup/pkg/extract/eval"
)

// Available reports whether the engines are compiled in.
const Available = true

// Engine returns the named engine. Plain-text pages are returned as they
// are: these libraries read HTML only.
func Engine(name string) (eval.Engine, error) {
	var html func(page string, u *url.URL) (string, error)
	switch name {
	case "trafilatura", "trafilatura-nofallback":
		fallback := name == "trafilatura"
		html = func(page string, u *url.URL) (string, error) {
			res, err := trafilatura.Extract(strings.NewReader(page), trafilatura.Options{
				OriginalURL:     u,
				EnableFallback:  fallback,
				ExcludeComments: true,
				HtmlDateMode:    trafilatura.Disabled, // dates are not scored
			})
			if err != nil {
				return "", err
			}
			return res.ContentText, nil
		}
	case "readability":
		html = func(page string, u *url.URL) (string, error) {
			p := readability.NewParser()
			a, err := p.Parse(strings.NewReader(page), u)
			if err != nil {
				return "", err
			}
			var b bytes.Buffer
			if err := a.RenderText(&b); err != nil {
				return "", err
			}
			return b.String(), nil
		}
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnknown, name)
	}
	return func(_ context.Context, c eval.Case, page string) (text string, err error) {
		if !c.IsHTML() {
			return page, nil
		}
		// Third-party code: a panic on a hostile page is that page's error.
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%s panicked: %v", name, r)
			}
		}()
		u, _ := url.Parse(c.URL)
		return html(page, u)
	}, nil
}
