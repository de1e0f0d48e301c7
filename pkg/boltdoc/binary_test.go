package boltdoc

import (
	"reflect"
	"testing"
	"time"
)

// TestUnmarshalFieldsIsAProjection holds the partial decoder a write uses
// for the document it replaces to the full one: for every choice of fields,
// of every type the codec stores, it returns exactly those fields of the
// full decode (the revision included when named), and it refuses what the
// full decoder refuses.
func TestUnmarshalFieldsIsAProjection(t *testing.T) {
	doc := map[string]any{
		"nil": nil, "f": false, "t": true, "int": int64(-7), "float": 2.5, "str": "héllo",
		"bytes": []byte{0, 1, 2}, "time": time.Date(2026, 12, 3, 10, 0, 0, 5, time.FixedZone("x", 3600)),
		"list":   []any{int64(1), "two", []any{nil}, map[string]any{"k": 1.5}},
		"nested": map[string]any{"a": map[string]any{"b": "deep"}, "l": []any{}},
		"last":   "end",
	}
	for _, withRev := range []bool{false, true} {
		raw, err := marshalDoc(nil, doc, withRev)
		if err != nil {
			t.Fatal(err)
		}
		if withRev {
			setStoredRev(raw, 42)
		}
		full, err := unmarshalDoc(raw, "rev")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for k := range full {
			names = append(names, k)
		}
		// Every subset of a sliding window of the names, and each alone.
		for i := range names {
			for n := 1; n <= 3 && i+n <= len(names); n++ {
				want := map[string]bool{}
				for _, k := range names[i : i+n] {
					want[k] = true
				}
				want["absent"] = true
				got, err := unmarshalFields(raw, want, "rev")
				if err != nil {
					t.Fatalf("fields %v: %v", want, err)
				}
				exp := map[string]any{}
				for k := range want {
					if v, ok := full[k]; ok {
						exp[k] = v
					}
				}
				if !reflect.DeepEqual(got, exp) {
					t.Fatalf("withRev %v, fields %v: got %#v, want %#v", withRev, want, got, exp)
				}
			}
		}
		// Every cut of the document is refused, never a panic.
		for n := range len(raw) {
			if _, err := unmarshalFields(raw[:n], map[string]bool{"last": true}, "rev"); err == nil {
				t.Fatalf("withRev %v: a document cut at %d of %d bytes was accepted", withRev, n, len(raw))
			}
		}
	}
}
