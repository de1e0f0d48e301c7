package boltdoc

import (
	"encoding/binary"
	"errors"
	"math"
	"time"

	"gocloud.dev/gcerrors"
)

// The stored form of a document: a header, then the tree (see codec.go) as
// tagged values. The header is formatNoRev, or formatRev and the revision as
// 8 big-endian bytes, so a write can stamp the revision into an already
// serialized document and a revision check needs no decoding. In the tree,
// integers are zig-zag varints, floats their IEEE bits, strings and byte
// slices length-prefixed, times time.Time.MarshalBinary (seconds, nanoseconds
// and zone offset), lists and maps a count followed by their elements (map
// keys as strings). Every type the docstore codec produces round-trips exactly.

const (
	formatNoRev byte = 1
	formatRev   byte = 2
	revLen           = 8
)

const (
	tagNil byte = iota
	tagFalse
	tagTrue
	tagInt
	tagFloat
	tagString
	tagBytes
	tagTime
	tagList
	tagMap
)

var errCorrupt = errors.New("boltdoc: corrupt stored document")

// marshalDoc serializes a tree, appending to buf. With withRev, the header
// has room for a revision, to be set with setStoredRev; m must not also hold
// the revision field.
func marshalDoc(buf []byte, m map[string]any, withRev bool) ([]byte, error) {
	if withRev {
		buf = append(buf, formatRev, 0, 0, 0, 0, 0, 0, 0, 0)
	} else {
		buf = append(buf, formatNoRev)
	}
	return appendValue(buf, m)
}

// setStoredRev stamps rev into a document serialized withRev.
func setStoredRev(raw []byte, rev int64) {
	binary.BigEndian.PutUint64(raw[1:1+revLen], uint64(rev))
}

// storedRev returns a stored document's revision, if it has one.
func storedRev(raw []byte) (rev int64, ok bool, err error) {
	switch {
	case len(raw) > revLen && raw[0] == formatRev:
		return int64(binary.BigEndian.Uint64(raw[1:])), true, nil
	case len(raw) > 0 && raw[0] == formatNoRev:
		return 0, false, nil
	}
	return 0, false, errCorrupt
}

// storedBody returns a reader at a stored document's fields, past its
// format byte and revision, and the revision, if it has one.
func storedBody(raw []byte) (r reader, rev int64, ok bool, err error) {
	if rev, ok, err = storedRev(raw); err != nil {
		return reader{}, 0, false, err
	}
	r = reader{b: raw[1:]}
	if ok {
		r.b = r.b[revLen:]
	}
	return r, rev, ok, nil
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, tagNil), nil
	case bool:
		if v {
			return append(b, tagTrue), nil
		}
		return append(b, tagFalse), nil
	case int64:
		return binary.AppendVarint(append(b, tagInt), v), nil
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, tagFloat), math.Float64bits(v)), nil
	case string:
		b = binary.AppendUvarint(append(b, tagString), uint64(len(v)))
		return append(b, v...), nil
	case []byte:
		b = binary.AppendUvarint(append(b, tagBytes), uint64(len(v)))
		return append(b, v...), nil
	case time.Time:
		t, err := v.MarshalBinary()
		if err != nil {
			return nil, errorf(gcerrors.InvalidArgument, "time %v: %v", v, err)
		}
		b = binary.AppendUvarint(append(b, tagTime), uint64(len(t)))
		return append(b, t...), nil
	case []any:
		b = binary.AppendUvarint(append(b, tagList), uint64(len(v)))
		for _, e := range v {
			var err error
			if b, err = appendValue(b, e); err != nil {
				return nil, err
			}
		}
		return b, nil
	case map[string]any:
		b = binary.AppendUvarint(append(b, tagMap), uint64(len(v)))
		for k, e := range v {
			b = binary.AppendUvarint(b, uint64(len(k)))
			b = append(b, k...)
			var err error
			if b, err = appendValue(b, e); err != nil {
				return nil, err
			}
		}
		return b, nil
	default:
		return nil, errorf(gcerrors.InvalidArgument, "cannot store a value of type %T", v)
	}
}

// unmarshalDoc parses a stored document, putting its revision, if any, in
// revField. The result shares no memory with data, which bbolt only lends for
// the life of a transaction.
func unmarshalDoc(data []byte, revField string) (map[string]any, error) {
	r, rev, hasRev, err := storedBody(data)
	if err != nil {
		return nil, err
	}
	m, ok := r.value().(map[string]any)
	if r.err != nil || !ok || len(r.b) != 0 {
		return nil, errCorrupt
	}
	if hasRev {
		m[revField] = rev
	}
	return m, nil
}

// unmarshalFields parses only the named top-level fields of a stored
// document (and its revision, into revField, when named), skipping the
// rest without allocating: what a write needs of the document it replaces
// to find its old index entries.
func unmarshalFields(data []byte, names map[string]bool, revField string) (map[string]any, error) {
	r, rev, hasRev, err := storedBody(data)
	if err != nil {
		return nil, err
	}
	if len(r.b) == 0 || r.b[0] != tagMap {
		return nil, errCorrupt
	}
	r.b = r.b[1:]
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		return nil, errCorrupt
	}
	m := make(map[string]any, len(names))
	for range n {
		k := r.bytes()
		if names[string(k)] { // no allocation: the compiler looks the bytes up as they are
			m[string(k)] = r.value()
		} else {
			r.skip()
		}
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errCorrupt
	}
	if hasRev && names[revField] {
		m[revField] = rev
	}
	return m, nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() any {
	r.err = errCorrupt
	r.b = nil
	return nil
}

func (r *reader) uvarint() uint64 {
	n, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[k:]
	return n
}

// bytes returns the next length-prefixed run, still pointing into r.b.
func (r *reader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *reader) value() any {
	if len(r.b) == 0 {
		return r.fail()
	}
	tag := r.b[0]
	r.b = r.b[1:]
	switch tag {
	case tagNil:
		return nil
	case tagFalse:
		return false
	case tagTrue:
		return true
	case tagInt:
		n, k := binary.Varint(r.b)
		if k <= 0 {
			return r.fail()
		}
		r.b = r.b[k:]
		return n
	case tagFloat:
		if len(r.b) < 8 {
			return r.fail()
		}
		f := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
		r.b = r.b[8:]
		return f
	case tagString:
		return string(r.bytes())
	case tagBytes:
		return append([]byte{}, r.bytes()...)
	case tagTime:
		var t time.Time
		if err := t.UnmarshalBinary(r.bytes()); err != nil {
			return r.fail()
		}
		return t
	case tagList:
		return r.list()
	case tagMap:
		return r.mapValue()
	default:
		return r.fail()
	}
}

// skip passes over the next value.
func (r *reader) skip() {
	if len(r.b) == 0 {
		r.fail()
		return
	}
	tag := r.b[0]
	r.b = r.b[1:]
	switch tag {
	case tagNil, tagFalse, tagTrue:
	case tagInt:
		if _, k := binary.Varint(r.b); k <= 0 {
			r.fail()
		} else {
			r.b = r.b[k:]
		}
	case tagFloat:
		if len(r.b) < 8 {
			r.fail()
		} else {
			r.b = r.b[8:]
		}
	case tagString, tagBytes, tagTime:
		r.bytes()
	case tagList:
		n := r.uvarint()
		for i := uint64(0); i < n && r.err == nil; i++ {
			r.skip()
		}
	case tagMap:
		n := r.uvarint()
		for i := uint64(0); i < n && r.err == nil; i++ {
			r.bytes()
			r.skip()
		}
	default:
		r.fail()
	}
}

func (r *reader) list() any {
	n := r.uvarint()
	if n > uint64(len(r.b)) { // every element takes at least one byte
		return r.fail()
	}
	s := make([]any, n)
	for i := range s {
		s[i] = r.value()
	}
	return s
}

func (r *reader) mapValue() any {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		return r.fail()
	}
	m := make(map[string]any, n)
	for range n {
		k := string(r.bytes())
		m[k] = r.value()
	}
	return m
}
