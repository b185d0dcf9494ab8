package features

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// doc accumulates the features of one article across its fields.
type doc struct {
	x    *Extractor
	lang string
	set  Set // its Names; the weights go to acc
	acc  *sums
	// stops is the stop list of lang (nil without one), looked up once.
	stops map[string]bool
	key   []byte          // scratch for keys looked up before they are made strings
	lower map[string]bool // folded words seen in lower case in this article
	// midCaps holds folded words seen capitalised inside a sentence; a lone
	// capitalised word at a sentence start is a name only if it is also
	// written so elsewhere ("Beauvau a dit" after "la place Beauvau").
	midCaps map[string]bool
}

func (d *doc) add(key string, w float64) { d.acc.add(key, w) }

// lineStat tells whether capitals on a line mean anything: in a Title Case
// headline or an ALL CAPS line they do not.
type lineStat struct{ words, caps, allCaps, capsBar int }

func (l lineStat) titleCase() bool { return l.words >= 4 && l.caps*10 >= l.words*l.capsBar }
func (l lineStat) shouting() bool  { return l.words >= 3 && l.allCaps*10 >= l.words*6 }

// field extracts the shape-based features of one field; w gives the weight
// of the word at a position.
func (d *doc) field(toks []token, w func(int) float64) {
	if len(toks) == 0 {
		return
	}
	lines := make([]lineStat, toks[len(toks)-1].line+1)
	// Six capitals in ten words make a Title Case line; German, which
	// capitalises its nouns, needs nine.
	bar := 6
	if d.lang == "de" {
		bar = 9
	}
	for i := range lines {
		lines[i].capsBar = bar
	}
	for _, t := range toks {
		if t.digit {
			continue
		}
		l := &lines[t.line]
		l.words++
		if t.cap {
			l.caps++
		}
		if t.allCaps {
			l.allCaps++
		}
	}
	used := make([]bool, len(toks))
	// Places and dates first: their words must not also count as entities
	// or bare numbers.
	for i := 0; i < len(toks); i++ {
		if toks[i].unspaced {
			// Chinese and Japanese run words together: look for place
			// names inside the run.
			for _, p := range d.x.places.within(toks[i].fold) {
				d.place(p, w(int(toks[i].pos)))
			}
			continue
		}
		if p, n, ok := d.x.places.match(toks, i); ok {
			d.place(p, w(int(toks[i].pos)))
			for k := i; k < i+n; k++ {
				used[k] = true
			}
			i += n - 1
			continue
		}
		if n := d.date(toks, i, w(int(toks[i].pos))); n > 0 {
			for k := i; k < i+n; k++ {
				used[k] = true
			}
			i += n - 1
		}
	}
	for i, t := range toks {
		if !used[i] && t.digit {
			if !d.hanDate(t.raw, w(int(t.pos))) {
				d.number(toks, i, w(int(t.pos)))
			}
		}
	}
	d.entities(toks, used, lines, w)
	d.cognates(toks, w)
}

func (d *doc) place(p place, w float64) {
	switch p.kind {
	case placeCountry:
		d.add(KindPlace+":"+p.region, w)
	case placeCity:
		d.add(KindPlace+":"+p.city, w)
		d.add(KindPlace+":"+p.region, w/2)
	case placeDemonym:
		d.add(KindPlace+":"+p.region, w/2)
	}
}

// date reads "11 décembre", "5 de mayo", "December 12", "dicembre 2025" at
// toks[i] and returns how many tokens it used (a trailing year is left to
// the number pass, which keys it on its own).
func (d *doc) date(toks []token, i int, w float64) int {
	if day, ok := dayOf(toks[i]); ok {
		j := i + 1
		if j < len(toks) && dateLinks[toks[j].fold] {
			j++
		}
		if j < len(toks) {
			if m, ok := d.monthOf(toks[j]); ok {
				d.add(fmt.Sprintf("%s:%02d-%02d", KindDate, m, day), w)
				if j+1 < len(toks) {
					if y, ok := yearOf(toks[j+1]); ok {
						d.add(fmt.Sprintf("%s:%d-%02d", KindNumber, y, m), w)
					}
				}
				return j + 1 - i
			}
		}
		return 0
	}
	m, ok := d.monthOf(toks[i])
	if !ok || i+1 >= len(toks) {
		return 0
	}
	next := toks[i+1]
	if day, ok := dayOf(next); ok {
		d.add(fmt.Sprintf("%s:%02d-%02d", KindDate, m, day), w)
		if i+2 < len(toks) {
			if y, ok := yearOf(toks[i+2]); ok {
				d.add(fmt.Sprintf("%s:%d-%02d", KindNumber, y, m), w)
			}
		}
		return 2
	}
	if y, ok := yearOf(next); ok {
		d.add(fmt.Sprintf("%s:%d-%02d", KindNumber, y, m), w)
		return 1
	}
	return 0
}

func (d *doc) monthOf(t token) (int, bool) {
	m, ok := d.x.months[t.fold]
	if !ok || (capitalOnlyMonths[t.fold] && !t.cap) {
		return 0, false
	}
	return m, true
}

// hanDate reads the Chinese and Japanese date forms "2025年12月11日",
// "12月11日" and "2025年12月", which the tokenizer keeps in one token, and
// keys them as date reads other languages' dates.
func (d *doc) hanDate(raw string, w float64) bool {
	if !strings.ContainsRune(raw, '月') {
		return false
	}
	nums := make(map[rune]int, 3)
	n, have := 0, false
	for _, r := range raw {
		switch {
		case r >= '0' && r <= '9':
			n, have = n*10+int(r-'0'), true
		case r == '年' || r == '月' || r == '日':
			if have {
				nums[r] = n
			}
			n, have = 0, false
		default:
			n, have = 0, false
		}
	}
	m, ok := nums['月']
	if !ok || m < 1 || m > 12 {
		return false
	}
	if day, ok := nums['日']; ok && day >= 1 && day <= 31 {
		d.add(fmt.Sprintf("%s:%02d-%02d", KindDate, m, day), w)
	}
	if y, ok := nums['年']; ok && y >= 1900 && y <= 2100 {
		d.add(fmt.Sprintf("%s:%d-%02d", KindNumber, y, m), w)
		d.add(KindNumber+":"+strconv.Itoa(y), w)
	}
	return true
}

// ordinalSuffixes may follow a day number: "1st", "1er", "2nd", "1º".
var ordinalSuffixes = map[string]bool{
	"": true, "st": true, "nd": true, "rd": true, "th": true, "er": true, "re": true, "e": true,
	"eme": true, "o": true, "a": true, "º": true, "°": true,
}

func dayOf(t token) (int, bool) {
	if !t.digit {
		return 0, false
	}
	n := 0
	for n < len(t.raw) && t.raw[n] >= '0' && t.raw[n] <= '9' {
		n++
	}
	if n > 2 || !ordinalSuffixes[t.fold[n:]] {
		return 0, false
	}
	v, err := strconv.Atoi(t.raw[:n])
	if err != nil || v < 1 || v > 31 {
		return 0, false
	}
	return v, true
}

func yearOf(t token) (int, bool) {
	if len(t.raw) != 4 || !t.digit {
		return 0, false
	}
	v, err := strconv.Atoi(t.raw)
	if err != nil || v < 1900 || v > 2100 {
		return 0, false
	}
	return v, true
}

// number keys a number in a canonical form ("1.500" in Italian and "1,500"
// in English are both num:1500) and, when a scale word follows, its full
// amount ("16 milioni" → num:16 and num:16000000). Lone digits are too
// common to say anything.
func (d *doc) number(toks []token, i int, w float64) {
	v, ok := parseNumber(toks[i].raw, d.lang)
	if !ok {
		return
	}
	scaled := false
	if i+1 < len(toks) && toks[i+1].joined {
		if s, ok := scales[toks[i+1].fold]; ok {
			d.add(KindNumber+":"+formatNumber(v*s), w)
			scaled = true
		}
	}
	if !scaled && v < 10 && v == float64(int(v)) {
		return
	}
	d.add(KindNumber+":"+formatNumber(v), w)
}

// englishNumbers are languages that write 1,500.5 rather than 1.500,5.
var englishNumbers = map[string]bool{"en": true, "zh": true, "ja": true, "ko": true, "hi": true, "he": true, "th": true}

func parseNumber(raw, lang string) (float64, bool) {
	n := 0
	for n < len(raw) && (raw[n] >= '0' && raw[n] <= '9' || raw[n] == '.' || raw[n] == ',') {
		n++
	}
	s := strings.TrimRight(raw[:n], ".,")
	if s == "" {
		return 0, false
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dots > 0 && commas > 0:
		if strings.LastIndexByte(s, '.') > strings.LastIndexByte(s, ',') {
			s = strings.ReplaceAll(s, ",", "")
		} else {
			s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
		}
	case dots > 1:
		s = strings.ReplaceAll(s, ".", "")
	case commas > 1:
		s = strings.ReplaceAll(s, ",", "")
	case dots == 1 || commas == 1:
		sep := byte('.')
		if commas == 1 {
			sep = ','
		}
		k := strings.IndexByte(s, sep)
		thousandsSep := byte('.')
		if englishNumbers[lang] {
			thousandsSep = ','
		}
		if len(s)-k-1 == 3 && k <= 3 && sep == thousandsSep {
			s = s[:k] + s[k+1:]
		} else {
			s = s[:k] + "." + s[k+1:]
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// nameToken tells whether t may be part of a name.
func (d *doc) nameToken(t token) bool {
	if !t.cap || t.digit || len(t.fold) < 2 || notEntities[t.fold] {
		return false
	}
	if _, isMonth := d.x.months[t.fold]; isMonth {
		return false
	}
	return true
}

// common tells whether a capitalised word at the start of a sentence is an
// ordinary word rather than a name.
func (d *doc) common(t token) bool {
	if t.allCaps {
		return false
	}
	if d.lower[t.fold] || utf8.RuneCountInString(t.fold) < 3 {
		return true
	}
	if d.stops[t.fold] {
		return true
	}
	st := d.x.stops["en"]
	return st[t.fold]
}

// entities keys runs of capitalised words that are not at the start of a
// sentence (or are, but are never written in lower case), and acronyms.
// A run keys as a whole and, at half weight, word by word, so that "Laurent
// Nuñez" and a later "Nuñez" meet.
func (d *doc) entities(toks []token, used []bool, lines []lineStat, w func(int) float64) {
	locs := locatives[d.lang] // nil, and never hashed, for a language without
	for i := 0; i < len(toks); {
		t := toks[i]
		ls := lines[t.line]
		if used[i] || !d.nameToken(t) || ls.shouting() || (ls.titleCase() && !t.allCaps) {
			i++
			continue
		}
		j := i + 1
		for j < len(toks) {
			u := toks[j]
			if used[j] || !u.joined {
				break
			}
			if d.nameToken(u) && !(ls.titleCase() && !u.allCaps) {
				j++
				continue
			}
			if linkToken(toks, j) && j+1 < len(toks) && !used[j+1] && toks[j+1].joined &&
				d.nameToken(toks[j+1]) && !(ls.titleCase() && !toks[j+1].allCaps) {
				j += 2
				continue
			}
			break
		}
		seq := toks[i:j]
		loc := i > 0 && seq[0].joined && !toks[i-1].cap && locs[toks[i-1].fold]
		i = j
		weight := w(int(seq[0].pos))
		if seq[0].start {
			if d.common(seq[0]) {
				seq = seq[1:]
				for len(seq) > 0 && !seq[0].cap {
					seq = seq[1:]
				}
				if len(seq) == 0 {
					continue
				}
			} else if len(seq) == 1 && !seq[0].allCaps && !d.midCaps[seq[0].fold] {
				continue
			}
		}
		// German capitalises every noun: a lone capital says nothing there.
		if d.lang == "de" && len(seq) == 1 && !seq[0].allCaps {
			continue
		}
		if loc {
			d.locative(seq, weight)
		}
		if len(seq) == 1 {
			d.entity(seq[0].fold, seq[0].raw, weight)
			continue
		}
		if len(seq) <= 5 {
			folds := make([]string, len(seq))
			for k, s := range seq {
				folds[k] = s.fold
			}
			d.entity(strings.Join(folds, " "), nameOf(seq), weight)
			// "Ministro dell'Interno Laurent Nuñez": the closing pair is
			// most often the person.
			if n := len(seq); n >= 3 && seq[n-2].cap {
				d.entity(folds[n-2]+" "+folds[n-1], nameOf(seq[n-2:]), weight*0.75)
			}
		}
		for _, s := range seq {
			if !s.cap || utf8.RuneCountInString(s.fold) < 3 || d.stop(s.fold) {
				continue
			}
			d.entity(s.fold, s.raw, weight/2)
		}
	}
}

// linkToken tells whether toks[j], written in lower case, may join two
// capitalised words into one name: a particle ("Charles de Gaulle",
// "Ministero dell'Interno"), or any word hyphenated on both sides, as in
// place names ("Boulogne-sur-Mer", "Montclar-les-Pins").
func linkToken(toks []token, j int) bool {
	u := toks[j]
	if u.cap {
		return false
	}
	if entityLinks[u.fold] {
		return true
	}
	return hyphen(u.joiner) && j+1 < len(toks) && hyphen(toks[j+1].joiner)
}

// nameOf is how a name of several words was written, joined as in the text
// ("Ministero dell’Interno", "Saint-Rambert-des-Forges"), for display.
func nameOf(seq []token) string {
	var b strings.Builder
	for k, t := range seq {
		if k > 0 {
			b.WriteString(joinerText(t.joiner))
		}
		b.WriteString(t.raw)
	}
	return b.String()
}

// locative marks a name written where a place goes ("in Banstead", "à
// Cahors"): a town the place table does not know. The mark (KindLoc) is
// keyed by the whole name and weighs little in the cosine; what the engine
// reads from it is whether two reports name the same place.
func (d *doc) locative(seq []token, w float64) {
	folds := make([]string, len(seq))
	for k, s := range seq {
		folds[k] = s.fold
	}
	d.add(KindLoc+":"+strings.Join(folds, " "), w)
}

func (d *doc) entity(key, name string, w float64) {
	key = KindEntity + ":" + key
	d.add(key, w)
	if _, ok := d.set.Names[key]; !ok {
		d.set.Names[key] = name
	}
}

func (d *doc) stop(fold string) bool { return d.stops[fold] }

// cognates keys long words by their first letters, accents folded, so that
// "ministero" and "ministère" both give cog:minist.
func (d *doc) cognates(toks []token, w func(int) float64) {
	n, minLen := d.x.opts.cogLen, d.x.opts.cogMin
	if n <= 0 {
		return
	}
	for _, t := range toks {
		if t.digit || t.allCaps || d.stop(t.fold) {
			continue
		}
		if utf8.RuneCountInString(t.fold) < minLen {
			continue
		}
		prefix, k := t.fold, 0
		for idx := range t.fold {
			if k == n {
				prefix = t.fold[:idx]
				break
			}
			k++
		}
		if strings.ContainsAny(prefix, "0123456789") {
			continue
		}
		d.key = append(append(d.key[:0], KindCognate+":"...), prefix...)
		id := d.acc.idBytes(d.key) // may grow vals: not in the same statement
		d.acc.vals[id] += w(int(t.pos))
	}
}
