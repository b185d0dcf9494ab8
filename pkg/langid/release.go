package langid

import "unsafe"

// embeddedFile mirrors the layout of embed.FS's entries, which the compiler
// fixes (see cmd/compile/internal/staticdata's WriteEmbed); embed exports no
// way to reach a file's bytes without copying them. TestModelPagesFound
// checks the mirror against ReadFile.
type embeddedFile struct {
	name string
	data string
	hash [16]byte
}

// modelSpans returns where lingua's embedded model files lie in the binary's
// read-only data.
func modelSpans() []string {
	files := *(**[]embeddedFile)(unsafe.Pointer(&linguaModels))
	if files == nil {
		return nil
	}
	spans := make([]string, 0, len(*files))
	for _, f := range *files {
		if len(f.data) > 0 {
			spans = append(spans, f.data)
		}
	}
	return spans
}

// ReleaseModelPages tells the operating system that the process no longer
// needs the pages of lingua's model files it read while building the
// indexes. They are part of the binary's read-only data, so they stay in the
// page cache and come back from it on a later read (a detector built after
// this call reads them again), but they stop counting in the process's
// resident memory: about 75 MB for the broad set of languages. A process
// calls it once its detectors are preloaded. It is a no-op where the
// platform has no madvise.
func ReleaseModelPages() error {
	return releaseSpans(modelSpans())
}
