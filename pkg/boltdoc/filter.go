package boltdoc

import (
	"cmp"
	"strings"
	"time"

	"gocloud.dev/docstore/driver"
)

// filtersMatch reports whether a stored document passes every filter. As in
// memdocstore, a missing field or values of different types never match.
func filtersMatch(fs []filter, doc map[string]any) bool {
	for _, f := range fs {
		v, ok := getPath(doc, f.path)
		if !ok || !filterMatches(f, v) {
			return false
		}
	}
	return true
}

func filterMatches(f filter, v any) bool {
	if list, ok := f.value.([]any); ok { // in, not-in
		in := false
		for _, e := range list {
			if c, ok := compareValues(v, e); ok && c == 0 {
				in = true
				break
			}
		}
		return in == (f.op == "in")
	}
	c, ok := compareValues(v, f.value)
	if !ok {
		return false
	}
	switch f.op {
	case driver.EqualOp:
		return c == 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	}
	return false
}

// compareValues compares two encoded values of the same kind: strings,
// numbers (int64 and float64 by mathematical value), times and bools (which
// are only equal or not).
func compareValues(a, b any) (int, bool) {
	switch a := a.(type) {
	case string:
		b, ok := b.(string)
		return strings.Compare(a, b), ok
	case int64, float64:
		if keyType(b) != keyNumber {
			return 0, false
		}
		af, ar := numberKey(a)
		bf, br := numberKey(b)
		if c := cmp.Compare(af, bf); c != 0 {
			return c, true
		}
		return cmp.Compare(ar, br), true
	case time.Time:
		b, ok := b.(time.Time)
		return a.Compare(b), ok
	case bool:
		b, ok := b.(bool)
		if a == b {
			return 0, ok
		}
		return -1, ok
	}
	return 0, false
}

// numberKey is the (float, remainder) pair of keyenc.go's number encoding.
func numberKey(v any) (float64, uint16) {
	if i, ok := v.(int64); ok {
		return splitInt(i)
	}
	return v.(float64), 0
}
