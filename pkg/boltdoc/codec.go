package boltdoc

import (
	"fmt"
	"reflect"
	"time"

	"gocloud.dev/docstore/driver"
	"gocloud.dev/gcerrors"
)

// A stored document is a tree of these Go values, the docstore codec's view
// of a document: nil, bool, int64, float64, string, []byte, time.Time, []any
// and map[string]any. Unsigned integers are stored as int64, like memdocstore.
// binary.go serializes the tree; this file converts between it and the
// caller's documents.

// encodeDoc encodes a caller's document into a tree.
func encodeDoc(doc driver.Document) (map[string]any, error) {
	var e encoder
	if err := doc.Encode(&e); err != nil {
		return nil, err
	}
	return e.val.(map[string]any), nil
}

// encodeValue encodes a single Go value (a key, a mod, a filter value).
func encodeValue(v any) (any, error) {
	var e encoder
	if err := driver.Encode(reflect.ValueOf(v), &e); err != nil {
		return nil, err
	}
	return e.val, nil
}

type encoder struct{ val any }

func (e *encoder) EncodeNil()            { e.val = nil }
func (e *encoder) EncodeBool(x bool)     { e.val = x }
func (e *encoder) EncodeInt(x int64)     { e.val = x }
func (e *encoder) EncodeUint(x uint64)   { e.val = int64(x) }
func (e *encoder) EncodeBytes(x []byte)  { e.val = append([]byte(nil), x...) }
func (e *encoder) EncodeFloat(x float64) { e.val = x }
func (e *encoder) EncodeString(x string) { e.val = x }
func (e *encoder) ListIndex(int)         { panic("boltdoc: ListIndex on a scalar encoder") }
func (e *encoder) MapKey(string)         { panic("boltdoc: MapKey on a scalar encoder") }

var timeType = reflect.TypeFor[time.Time]()

func (e *encoder) EncodeSpecial(v reflect.Value) (bool, error) {
	if v.Type() == timeType {
		e.val = v.Interface()
		return true, nil
	}
	return false, nil
}

func (e *encoder) EncodeList(n int) driver.Encoder {
	s := make([]any, n)
	e.val = s
	return &listEncoder{s: s}
}

func (e *encoder) EncodeMap(n int) driver.Encoder {
	m := make(map[string]any, n)
	e.val = m
	return &mapEncoder{m: m}
}

type listEncoder struct {
	s []any
	encoder
}

func (e *listEncoder) ListIndex(i int) { e.s[i] = e.val }

type mapEncoder struct {
	m map[string]any
	encoder
}

func (e *mapEncoder) MapKey(k string) { e.m[k] = e.val }

// decoder presents a tree value to the docstore codec.
type decoder struct{ val any }

func (d decoder) String() string            { return fmt.Sprint(d.val) }
func (d decoder) AsNull() bool              { return d.val == nil }
func (d decoder) AsInterface() (any, error) { return d.val, nil }
func (d decoder) AsBool() (bool, bool)      { b, ok := d.val.(bool); return b, ok }
func (d decoder) AsString() (string, bool)  { s, ok := d.val.(string); return s, ok }
func (d decoder) AsInt() (int64, bool)      { i, ok := d.val.(int64); return i, ok }
func (d decoder) AsFloat() (float64, bool)  { f, ok := d.val.(float64); return f, ok }
func (d decoder) AsBytes() ([]byte, bool)   { b, ok := d.val.([]byte); return b, ok }
func (d decoder) AsUint() (uint64, bool)    { i, ok := d.val.(int64); return uint64(i), ok }
func (d decoder) ListLen() (int, bool)      { s, ok := d.val.([]any); return len(s), ok }
func (d decoder) MapLen() (int, bool)       { m, ok := d.val.(map[string]any); return len(m), ok }
func (d decoder) AsSpecial(v reflect.Value) (bool, any, error) {
	if v.Type() == timeType {
		return true, d.val, nil
	}
	return false, nil, nil
}

func (d decoder) DecodeList(f func(int, driver.Decoder) bool) {
	for i, e := range d.val.([]any) {
		if !f(i, decoder{e}) {
			return
		}
	}
}

// DecodeMap hands each key over as not needing an exact match, although
// every stored key is a field's exact name: gocloud's exact lookup of a
// struct field (fields.List.MatchExactBytes) copies each field description
// it passes to the heap — a few hundred allocations for one delivery
// document, the largest single cost of a read — while its case-folding
// lookup returns the exact match when there is one, without allocating.
func (d decoder) DecodeMap(f func(string, driver.Decoder, bool) bool) {
	for k, v := range d.val.(map[string]any) {
		if !f(k, decoder{v}, false) {
			return
		}
	}
}

// decodeDoc decodes a stored tree into the caller's document. With field
// paths, only those fields are decoded.
func decodeDoc(m map[string]any, ddoc driver.Document, fps [][]string) error {
	if len(fps) > 0 {
		proj := map[string]any{}
		for _, fp := range fps {
			if v, ok := getPath(m, fp); ok {
				setPath(proj, fp, v)
			}
		}
		m = proj
	}
	return ddoc.Decode(decoder{m})
}

// getPath returns the value at a field path, and whether it is present.
func getPath(m map[string]any, fp []string) (any, bool) {
	var cur any = m
	for _, k := range fp {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// setPath sets the value at a field path, creating intermediate maps where a
// component is missing or nil. It fails when a component is another kind of
// value.
func setPath(m map[string]any, fp []string, v any) error {
	for _, k := range fp[:len(fp)-1] {
		next, ok := m[k]
		if !ok || next == nil {
			nm := map[string]any{}
			m[k] = nm
			m = nm
			continue
		}
		if m, ok = next.(map[string]any); !ok {
			return errorf(gcerrors.InvalidArgument, "field %q is not a map", k)
		}
	}
	m[fp[len(fp)-1]] = v
	return nil
}
