//go:build !extcompare

package libs

import (
	"fmt"
	"slices"

	"github.com/newsdedup/newsdedup/pkg/extract/eval"
)

// Available reports whether the engines are compiled in.
const Available = false

// Engine reports ErrUnavailable for the known names: this build leaves the
// libraries out.
func Engine(name string) (eval.Engine, error) {
	if slices.Contains(Names, name) {
		return nil, fmt.Errorf("%w: %q", ErrUnavailable, name)
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknown, name)
}
