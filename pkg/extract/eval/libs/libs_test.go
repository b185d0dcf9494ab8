package libs

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/extract/eval"
)

func TestEngine(t *testing.T) {
	if _, err := Engine("no-such-engine"); !errors.Is(err, ErrUnknown) {
		t.Errorf("unknown engine: %v", err)
	}
	page := "<html><body><nav><a href='/'>Home</a></nav><article><p>" +
		strings.Repeat("The council met on Thursday and agreed to keep the library open on Sundays. ", 8) +
		"</p></article></body></html>"
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			run, err := Engine(name)
			if !Available {
				if !errors.Is(err, ErrUnavailable) {
					t.Errorf("got %v, want ErrUnavailable", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := run(context.Background(), eval.Case{Key: "k", URL: "https://example.com/a", Path: "k.html"}, page)
			if err != nil || !strings.Contains(got, "library open on Sundays") {
				t.Errorf("got %q, %v", got, err)
			}
		})
	}
}
