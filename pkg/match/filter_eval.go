package match

import (
	"net/netip"
	"reflect"
	"strings"

	"github.com/heraldhq/herald/pkg/herald"
)

// holds reports whether the filter holds for an event's envelope fields.
func (f filter) holds(fields map[string]any) bool {
	v, found := lookupSegments(fields, f.path)
	switch f.op {
	case herald.OpEq:
		return found && jsonEqual(v, f.value)
	case herald.OpNeq:
		return !found || !jsonEqual(v, f.value)
	case herald.OpIn:
		return found && containsEqual(f.value.([]any), v)
	case herald.OpPrefix:
		s, ok := v.(string)
		return found && ok && strings.HasPrefix(s, f.value.(string))
	case herald.OpContains:
		return found && contains(v, f.value)
	case herald.OpExists:
		return (found && v != nil) == f.value.(bool)
	case herald.OpCIDR:
		return found && inCIDRs(v, f.value.([]netip.Prefix))
	}
	return false
}

// contains reports whether v, a string or an array, contains want: a substring
// when both are strings, an equal element when v is an array.
func contains(v, want any) bool {
	switch v := v.(type) {
	case string:
		s, ok := want.(string)
		return ok && strings.Contains(v, s)
	case []any:
		return containsEqual(v, want)
	}
	return false
}

// containsEqual reports whether any element of list is JSON-equal to v.
func containsEqual(list []any, v any) bool {
	for _, e := range list {
		if jsonEqual(e, v) {
			return true
		}
	}
	return false
}

// jsonEqual reports whether two values decoded by encoding/json are equal:
// numbers (float64) numerically, strings, booleans and null by value, arrays
// and objects by deep equality.
func jsonEqual(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case float64:
		b, ok := b.(float64)
		return ok && a == b
	case string:
		b, ok := b.(string)
		return ok && a == b
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	}
	return reflect.DeepEqual(a, b)
}
