package langid

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	_ "unsafe" // for go:linkname

	"github.com/pemistahl/lingua-go"
)

// linguaModels is lingua's own embedded model tree
// (language-models/<iso>/<order>s.pb.bin.zip). lingua does not export it, so
// it is reached by name: the data is already in every binary that links
// lingua, and reading it here costs no second copy. The pinned lingua
// version (go.mod) fixes the layout; TestModelsReachable guards it.
//
//go:linkname linguaModels github.com/pemistahl/lingua-go.languageModels
var linguaModels embed.FS

// The import is what links lingua's package, and so its data, into the binary.
var _ = lingua.English

var orderNames = [...]string{1: "unigrams", 2: "bigrams", 3: "trigrams", 4: "quadrigrams", 5: "fivegrams"}

// modelVisitor receives a model's size (its n-gram count, when the data
// states it first) and then each of its n-grams with its probability.
type modelVisitor struct {
	size  func(n int) // may be nil
	ngram func(prob float64, gram []byte)
}

func modelPath(iso string, order int) string {
	return fmt.Sprintf("language-models/%s/%s.pb.bin.zip", iso, orderNames[order])
}

// hasModel reports whether lingua ships language iso's model of that order.
func hasModel(iso string, order int) bool {
	_, err := fs.Stat(linguaModels, modelPath(iso, order))
	return err == nil
}

// readModel calls v.ngram for every n-gram of the given order in language iso's
// model with its probability (conditional on the n-1 letters before it for
// order > 1). A language without a model of that order is not an error: the
// languages with a script of their own ship unigrams only.
func readModel(iso string, order int, v modelVisitor) error {
	name := modelPath(iso, order)
	zipped, err := linguaModels.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrModel, name, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil || len(zr.File) == 0 {
		return fmt.Errorf("%w: %s: not a zip (%w)", ErrModel, name, err)
	}
	f, err := zr.File[0].Open()
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrModel, name, err)
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrModel, name, err)
	}
	if err := decodeModel(raw, v); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrModel, name, err)
	}
	return nil
}

var errWire = errors.New("malformed protobuf")

// decodeModel walks lingua's protobuf message by hand: the schema is two
// levels deep (model → ngram sets of {probability, ngrams}) and decoding it
// without materialising millions of strings keeps loading fast and small.
func decodeModel(b []byte, v modelVisitor) error {
	for len(b) > 0 {
		field, typ, n := tag(b)
		if n <= 0 {
			return errWire
		}
		b = b[n:]
		if field == 4 && typ == 2 {
			set, rest, err := lengthDelimited(b)
			if err != nil {
				return err
			}
			b = rest
			if err := decodeSet(set, v.ngram); err != nil {
				return err
			}
			continue
		}
		if field == 3 && typ == 0 && v.size != nil {
			total, n := binary.Uvarint(b)
			if n <= 0 {
				return errWire
			}
			v.size(int(total))
		}
		rest, err := skip(b, typ)
		if err != nil {
			return err
		}
		b = rest
	}
	return nil
}

func decodeSet(b []byte, fn func(prob float64, gram []byte)) error {
	var prob float64
	var grams [][]byte
	for len(b) > 0 {
		field, typ, n := tag(b)
		if n <= 0 {
			return errWire
		}
		b = b[n:]
		switch {
		case field == 1 && typ == 1:
			if len(b) < 8 {
				return errWire
			}
			prob = math.Float64frombits(binary.LittleEndian.Uint64(b))
			b = b[8:]
		case field == 2 && typ == 2:
			g, rest, err := lengthDelimited(b)
			if err != nil {
				return err
			}
			grams = append(grams, g)
			b = rest
		default:
			rest, err := skip(b, typ)
			if err != nil {
				return err
			}
			b = rest
		}
	}
	// The probability may follow the n-grams on the wire, hence the second loop.
	for _, g := range grams {
		fn(prob, g)
	}
	return nil
}

func tag(b []byte) (field uint64, typ uint64, n int) {
	v, n := binary.Uvarint(b)
	return v >> 3, v & 7, n
}

func lengthDelimited(b []byte) (val, rest []byte, err error) {
	l, n := binary.Uvarint(b)
	if n <= 0 || uint64(len(b)-n) < l {
		return nil, nil, errWire
	}
	return b[n : n+int(l)], b[n+int(l):], nil
}

func skip(b []byte, typ uint64) ([]byte, error) {
	switch typ {
	case 0:
		_, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errWire
		}
		return b[n:], nil
	case 1:
		if len(b) < 8 {
			return nil, errWire
		}
		return b[8:], nil
	case 2:
		_, rest, err := lengthDelimited(b)
		return rest, err
	case 5:
		if len(b) < 4 {
			return nil, errWire
		}
		return b[4:], nil
	}
	return nil, errWire
}
