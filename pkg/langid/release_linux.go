package langid

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

// releaseSpans advises the kernel that the whole pages inside spans are not
// needed (MADV_DONTNEED). On a private file mapping that only drops them from
// the process; the next access reads them back from the file.
func releaseSpans(spans []string) error {
	page := uintptr(os.Getpagesize())
	for _, s := range spans {
		start := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		end := start + uintptr(len(s))
		// Only the pages wholly inside the span: the neighbours may be other data.
		first := (start + page - 1) &^ (page - 1)
		last := end &^ (page - 1)
		if last <= first {
			continue
		}
		b := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(s)), first-start)), last-first)
		if err := syscall.Madvise(b, syscall.MADV_DONTNEED); err != nil {
			return fmt.Errorf("langid: releasing model pages: %w", err)
		}
	}
	return nil
}
