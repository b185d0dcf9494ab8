package features

// sums adds up an article's feature weights before they become its Set.
// Every addition happens in the order Of makes it, as it did on the map, so
// each sum is the same to the bit; a key met again costs a lookup without a
// new key string, and the Set's map is built once at its final size.
type sums struct {
	ids  map[string]int32 // key → index into keys and vals
	keys []string
	vals []float64
}

func newSums(hint int) *sums {
	return &sums{ids: make(map[string]int32, hint), keys: make([]string, 0, hint), vals: make([]float64, 0, hint)}
}

// reset empties s for another article, keeping its memory.
func (s *sums) reset() {
	clear(s.ids)
	clear(s.keys) // not to hold the last article's keys meanwhile
	s.keys, s.vals = s.keys[:0], s.vals[:0]
}

// id is key's index, added with a zero weight when new.
func (s *sums) id(key string) int32 {
	if i, ok := s.ids[key]; ok {
		return i
	}
	return s.insert(key)
}

// idBytes is id for a key being built in a buffer: no string unless new.
func (s *sums) idBytes(key []byte) int32 {
	if i, ok := s.ids[string(key)]; ok {
		return i
	}
	return s.insert(string(key))
}

func (s *sums) insert(key string) int32 {
	i := int32(len(s.keys))
	s.ids[key] = i
	s.keys = append(s.keys, key)
	s.vals = append(s.vals, 0)
	return i
}

// add adds w to key's sum. (The id is taken in its own statement: it may
// grow vals, and Go leaves unspecified whether s.vals is read before it.)
func (s *sums) add(key string, w float64) {
	i := s.id(key)
	s.vals[i] += w
}

// terms is the weights as a Set's Terms.
func (s *sums) terms() map[string]float64 {
	m := make(map[string]float64, len(s.keys))
	for i, k := range s.keys {
		m[k] = s.vals[i]
	}
	return m
}
