// Package jsonscan reads the JSON our encoders write (objects with known
// keys, strings, numbers, booleans, times) without reflection and without
// validating the input twice, as encoding/json does. Every method reports
// false on anything it does not handle (an escaped key, an odd escape, a
// malformed value), and its caller then leaves the message to
// encoding/json: a decoder built on it gives encoding/json's result or
// gives up, never another one.
package jsonscan

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Scanner reads JSON from b at i; every method returns false on anything it
// does not handle, and the caller gives up.
type Scanner struct {
	b []byte
	i int
}

// New returns a Scanner at the start of b, which must be valid UTF-8
// (encoding/json turns invalid bytes in strings into U+FFFD; Scanner does
// not check).
func New(b []byte) *Scanner { return &Scanner{b: b} }

// End skips white space and reports whether the input is all read.
func (s *Scanner) End() bool {
	s.Space()
	return s.i == len(s.b)
}

// Null reads a null literal if one comes next; otherwise it reads nothing
// (but white space), so that the caller may read another value there.
func (s *Scanner) Null() bool {
	s.Space()
	if !hasPrefixAt(s.b, s.i, "null") {
		return false
	}
	s.i += 4
	if !s.delimited() {
		s.i -= 4 // "nullx": no null, and no other value either
		return false
	}
	return true
}

// Array reads [value, ...], calling elem to read each value.
func (s *Scanner) Array(elem func() bool) bool {
	s.Space()
	if !s.Next('[') {
		return false
	}
	s.Space()
	if s.Next(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		s.Space()
		if s.Next(']') {
			return true
		}
		if !s.Next(',') {
			return false
		}
	}
}

// Time reads a time into a time.Time as encoding/json does.
func (s *Scanner) Time(dst *time.Time) bool {
	s.Space()
	start := s.i
	if _, plain := s.RawString(); !plain {
		return false
	}
	return dst.UnmarshalJSON(s.b[start:s.i]) == nil
}

// Space skips white space.
func (s *Scanner) Space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// Next reads c if it comes next.
func (s *Scanner) Next(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// Object reads {"key": value, ...}, calling member after each key and its
// colon to read the value.
func (s *Scanner) Object(member func(key []byte) bool) bool {
	s.Space()
	if !s.Next('{') {
		return false
	}
	s.Space()
	if s.Next('}') {
		return true
	}
	for {
		s.Space()
		key, plain := s.RawString()
		if !plain {
			return false // escaped keys are rare enough to leave to encoding/json
		}
		s.Space()
		if !s.Next(':') || !member(key) {
			return false
		}
		s.Space()
		if s.Next('}') {
			return true
		}
		if !s.Next(',') {
			return false
		}
	}
}

// RawString reads a string without escapes and gives its bytes. plain is
// false when it is not a string (nothing consumed) or holds an escape or a
// control byte (s.i is left on it).
func (s *Scanner) RawString() (raw []byte, plain bool) {
	if !s.Next('"') {
		return nil, false
	}
	start := s.i
	i := start + plainRun(s.b[start:])
	if i < len(s.b) && s.b[i] == '"' {
		s.i = i + 1
		return s.b[start:i], true
	}
	s.i = i
	return nil, false
}

// StringInto reads a string value into dst.
func (s *Scanner) StringInto(dst *string) bool {
	v, ok := s.Str()
	*dst = v
	return ok
}

// Str reads a string value, copying the runs between escapes.
func (s *Scanner) Str() (string, bool) {
	s.Space()
	start := s.i + 1
	raw, plain := s.RawString()
	if plain {
		return string(raw), true
	}
	if s.i < start {
		return "", false // not a string
	}
	// Escapes only shrink a string, so its quoted length bounds it: one
	// allocation, whatever its escapes.
	buf := make([]byte, 0, quotedEnd(s.b, s.i)-start)
	buf = append(buf, s.b[start:s.i]...)
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return string(buf), true
		case c < 0x20:
			return "", false
		case c != '\\':
			// Copy the run up to the next quote or escape; it may not hold a
			// control byte.
			run := s.b[s.i:]
			if j := plainRun(run); j < len(run) {
				run = run[:j]
			}
			buf = append(buf, run...)
			s.i += len(run)
			continue
		}
		if s.i+1 >= len(s.b) {
			return "", false
		}
		e := s.b[s.i+1]
		s.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				// Only a well-formed pair; a lone half becomes U+FFFD in
				// encoding/json, which is left to it.
				if s.i+1 >= len(s.b) || s.b[s.i] != '\\' || s.b[s.i+1] != 'u' {
					return "", false
				}
				s.i += 2
				r2, ok := s.hex4()
				if !ok {
					return "", false
				}
				if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
					return "", false
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", false
		}
	}
	return "", false
}

// quotedEnd gives the index of the quote that closes the string b[from:]
// is inside of (len(b) when none does): the first quote not escaped by an
// odd run of backslashes.
func quotedEnd(b []byte, from int) int {
	for {
		j := bytes.IndexByte(b[from:], '"')
		if j < 0 {
			return len(b)
		}
		q := from + j
		k := q
		for k > 0 && b[k-1] == '\\' {
			k--
		}
		if (q-k)%2 == 0 {
			return q
		}
		from = q + 1
	}
}

// plainRun gives the length of b's prefix free of quotes, backslashes and
// control bytes.
func plainRun(b []byte) int {
	for i, c := range b {
		if c < 0x20 || c == '"' || c == '\\' {
			return i
		}
	}
	return len(b)
}

func (s *Scanner) hex4() (rune, bool) {
	if s.i+4 > len(s.b) {
		return 0, false
	}
	var r rune
	for _, c := range s.b[s.i : s.i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	s.i += 4
	return r, true
}

// TimeInto reads a time as encoding/json does (time.Time's UnmarshalJSON
// on the quoted text); a null or escaped time is left to encoding/json.
func (s *Scanner) TimeInto(dst **time.Time) bool {
	s.Space()
	start := s.i
	if _, plain := s.RawString(); !plain {
		return false
	}
	var t time.Time
	if err := t.UnmarshalJSON(s.b[start:s.i]); err != nil {
		return false
	}
	*dst = &t
	return true
}

// Boolean reads true or false into dst.
func (s *Scanner) Boolean(dst *bool) bool {
	s.Space()
	switch {
	case hasPrefixAt(s.b, s.i, "true"):
		*dst, s.i = true, s.i+4
	case hasPrefixAt(s.b, s.i, "false"):
		*dst, s.i = false, s.i+5
	default:
		return false
	}
	return s.delimited()
}

func hasPrefixAt(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}

// delimited reports whether a literal or number ends where it should, so
// that "truex" or "1x" is not taken for a value.
func (s *Scanner) delimited() bool {
	if s.i == len(s.b) {
		return true
	}
	switch s.b[s.i] {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// Number reads a JSON number's text, checking its grammar (strconv alone
// would take "01", "+1" or "1e" too); integral is false when it has a
// fraction or exponent.
func (s *Scanner) Number() (text []byte, integral, ok bool) {
	s.Space()
	start, b, i := s.i, s.b, s.i
	digits := func() int {
		n := 0
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return nil, false, false
	}
	integral = true
	if i < len(b) && b[i] == '.' {
		i++
		integral = false
		if digits() == 0 {
			return nil, false, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		integral = false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return nil, false, false
		}
	}
	s.i = i
	return b[start:i], integral, s.delimited()
}

// Integer reads an integral number that fits an int.
func (s *Scanner) Integer() (int, bool) {
	text, integral, ok := s.Number()
	if !ok || !integral {
		return 0, false
	}
	v, err := strconv.Atoi(string(text))
	return v, err == nil
}

// Float reads a number into dst.
func (s *Scanner) Float(dst *float64) bool {
	text, _, ok := s.Number()
	if !ok {
		return false
	}
	v, err := strconv.ParseFloat(string(text), 64)
	*dst = v
	return err == nil
}
