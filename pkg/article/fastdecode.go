package article

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeFast reads an envelope as our encoders write it: one object, known
// keys, string, bool and number values, no nulls. A raw page travels as one
// long JSON string, and encoding/json scans such a message twice (validate,
// then decode) a byte at a time through its state machine; this reader
// copies runs of plain bytes: 2.5 to 3 times as fast on a 50 KB page
// (BenchmarkDecodePage).
//
// ok is false as soon as the message holds anything else (an unknown or
// repeated key, a null, an odd escape, malformed JSON): Decode then reads it
// with encoding/json, so the result, or the error, is always the one
// encoding/json gives. data must be valid UTF-8.
func decodeFast(data []byte) (m Message, ok bool) {
	s := scanner{b: data}
	var seen uint8
	ok = s.object(func(key []byte) bool {
		switch string(key) {
		case "v":
			if seen&1 != 0 {
				return false
			}
			seen |= 1
			v, ok := s.integer()
			m.V = v
			return ok
		case "article":
			if seen&2 != 0 {
				return false
			}
			seen |= 2
			return s.article(&m.Article)
		}
		return false
	})
	s.space()
	return m, ok && s.i == len(s.b)
}

// Bits of the article keys already read: a repeated key is left to
// encoding/json, which merges rather than replaces some of them.
const (
	keyID = 1 << iota
	keyURL
	keySource
	keyTitle
	keyAuthor
	keyPublished
	keyFetched
	keyHTML
	keyText
	keyRemoved
	keyExtracted
	keyEmpty
	keyLang
	keyLangConfidence
	keyLangGiven
)

func (s *scanner) article(a *Article) bool {
	var seen uint32
	once := func(bit uint32) bool {
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		return true
	}
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return once(keyID) && s.stringInto(&a.ID)
		case "url":
			return once(keyURL) && s.stringInto(&a.URL)
		case "source":
			return once(keySource) && s.stringInto(&a.Source)
		case "title":
			return once(keyTitle) && s.stringInto(&a.Title)
		case "author":
			return once(keyAuthor) && s.stringInto(&a.Author)
		case "published":
			return once(keyPublished) && s.timeInto(&a.Published)
		case "fetched":
			return once(keyFetched) && s.timeInto(&a.Fetched)
		case "html":
			return once(keyHTML) && s.stringInto(&a.HTML)
		case "text":
			return once(keyText) && s.stringInto(&a.Text)
		case "removed":
			return once(keyRemoved) && s.removals(&a.Removed)
		case "extracted":
			return once(keyExtracted) && s.boolean(&a.Extracted)
		case "empty":
			return once(keyEmpty) && s.boolean(&a.Empty)
		case "lang":
			return once(keyLang) && s.stringInto(&a.Lang)
		case "lang_confidence":
			return once(keyLangConfidence) && s.float(&a.LangConfidence)
		case "lang_given":
			return once(keyLangGiven) && s.boolean(&a.LangGiven)
		}
		return false
	})
}

func (s *scanner) removals(out *[]Removal) bool {
	s.space()
	if !s.next('[') {
		return false
	}
	rs := []Removal{}
	s.space()
	if s.next(']') {
		*out = rs
		return true
	}
	for {
		var r Removal
		var seen uint8
		if !s.object(func(key []byte) bool {
			var bit uint8
			var dst *string
			switch string(key) {
			case "text":
				bit, dst = 1, &r.Text
			case "reason":
				bit, dst = 2, &r.Reason
			case "layer":
				bit, dst = 4, &r.Layer
			default:
				return false
			}
			if seen&bit != 0 {
				return false
			}
			seen |= bit
			return s.stringInto(dst)
		}) {
			return false
		}
		rs = append(rs, r)
		s.space()
		if s.next(']') {
			*out = rs
			return true
		}
		if !s.next(',') {
			return false
		}
	}
}

// scanner reads JSON from b at i; every method returns false on anything it
// does not handle, and the caller gives up.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) next(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// object reads {"key": value, ...}, calling member after each key and its
// colon to read the value.
func (s *scanner) object(member func(key []byte) bool) bool {
	s.space()
	if !s.next('{') {
		return false
	}
	s.space()
	if s.next('}') {
		return true
	}
	for {
		s.space()
		key, plain := s.rawString()
		if !plain {
			return false // escaped keys are rare enough to leave to encoding/json
		}
		s.space()
		if !s.next(':') || !member(key) {
			return false
		}
		s.space()
		if s.next('}') {
			return true
		}
		if !s.next(',') {
			return false
		}
	}
}

// rawString reads a string without escapes and gives its bytes. plain is
// false when it is not a string (nothing consumed) or holds an escape or a
// control byte (s.i is left on it).
func (s *scanner) rawString() (raw []byte, plain bool) {
	if !s.next('"') {
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

func (s *scanner) stringInto(dst *string) bool {
	v, ok := s.str()
	*dst = v
	return ok
}

// str reads a string value, copying the runs between escapes.
func (s *scanner) str() (string, bool) {
	s.space()
	start := s.i + 1
	raw, plain := s.rawString()
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

func (s *scanner) hex4() (rune, bool) {
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

// timeInto reads a time as encoding/json does (time.Time's UnmarshalJSON
// on the quoted text); a null or escaped time is left to encoding/json.
func (s *scanner) timeInto(dst **time.Time) bool {
	s.space()
	start := s.i
	if _, plain := s.rawString(); !plain {
		return false
	}
	var t time.Time
	if err := t.UnmarshalJSON(s.b[start:s.i]); err != nil {
		return false
	}
	*dst = &t
	return true
}

func (s *scanner) boolean(dst *bool) bool {
	s.space()
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
func (s *scanner) delimited() bool {
	if s.i == len(s.b) {
		return true
	}
	switch s.b[s.i] {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// number reads a JSON number's text, checking its grammar (strconv alone
// would take "01", "+1" or "1e" too); integral is false when it has a
// fraction or exponent.
func (s *scanner) number() (text []byte, integral, ok bool) {
	s.space()
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

func (s *scanner) integer() (int, bool) {
	text, integral, ok := s.number()
	if !ok || !integral {
		return 0, false
	}
	v, err := strconv.Atoi(string(text))
	return v, err == nil
}

func (s *scanner) float(dst *float64) bool {
	text, _, ok := s.number()
	if !ok {
		return false
	}
	v, err := strconv.ParseFloat(string(text), 64)
	*dst = v
	return err == nil
}
