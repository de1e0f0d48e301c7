package match

import (
	"strconv"
	"strings"
)

// Lookup returns the value at a dotted path in fields, the envelope decoded
// with encoding/json, and whether it was found. The path is split on "."; each
// segment selects a key of the current object, or, when the current value is an
// array and the segment is a non-negative decimal integer, an element of it:
// "data.path", "data.tags.0", "data.shares.1.user_id". A key that contains a
// dot cannot be addressed. A value that is present and JSON null is found, with
// a nil value.
func Lookup(fields map[string]any, path string) (any, bool) {
	return lookupSegments(fields, strings.Split(path, "."))
}

// lookupSegments walks fields along a path already split into segments.
func lookupSegments(fields map[string]any, segs []string) (any, bool) {
	if fields == nil {
		return nil, false
	}
	var cur any = fields
	for _, seg := range segs {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[seg]
			if !ok {
				return nil, false
			}
			cur = next
		case []any:
			i, ok := arrayIndex(seg)
			if !ok || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// arrayIndex parses seg as a non-negative decimal integer ("0", "12"). Signs,
// spaces and values that overflow int are not indexes.
func arrayIndex(seg string) (int, bool) {
	if seg == "" {
		return 0, false
	}
	for i := 0; i < len(seg); i++ {
		if seg[i] < '0' || seg[i] > '9' {
			return 0, false
		}
	}
	i, err := strconv.Atoi(seg)
	if err != nil {
		return 0, false
	}
	return i, true
}
