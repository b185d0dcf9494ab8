package sources

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
)

// File is a source list on disk that can be reloaded while the fetcher runs.
// Reload re-reads it and reports whether its sources changed; a file that no
// longer parses is reported and the previous list stays in force, so a bad
// edit never stops the polling of the sources that were there.
// It is not safe for concurrent use.
type File struct {
	Path    string
	Options Options

	sum     [32]byte
	badSum  [32]byte // the last content that did not parse, reported once
	loaded  bool
	current []Source
}

// Sources returns the list in force (nil before the first good Reload).
func (f *File) Sources() []Source { return append([]Source(nil), f.current...) }

// Reload reads the file. changed is true when the list in force changed.
// Reading the whole small file and comparing its hash is more reliable than
// mtimes, which are coarse on some file systems and kept by some copy tools.
func (f *File) Reload() (changed bool, err error) {
	data, err := os.ReadFile(f.Path)
	if err != nil {
		return false, fmt.Errorf("sources: read %s: %w", f.Path, err)
	}
	sum := sha256.Sum256(data)
	if (f.loaded && bytes.Equal(sum[:], f.sum[:])) || bytes.Equal(sum[:], f.badSum[:]) {
		return false, nil
	}
	list, err := Parse(data, f.Options)
	if err != nil {
		f.badSum = sum
		return false, fmt.Errorf("sources: %s: %w", f.Path, err)
	}
	f.sum, f.loaded, f.current = sum, true, list
	return true, nil
}
