package match

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/heraldhq/herald/pkg/herald"
)

// maxFieldLen is the longest filter field path accepted, in bytes.
const maxFieldLen = 255

// filter is a herald.Filter checked and decoded once.
type filter struct {
	path  []string // Field split on "."
	op    string
	value any // decoded Value; for exists, a bool (absent means true); for cidr, []netip.Prefix
}

// ValidateFilter reports why a filter is invalid, or nil when it is valid.
//
// Field must be a dotted path of non-empty segments, at most 255 bytes. Op
// must be one of [herald.FilterOps]. Value must be:
//
//   - eq, neq: any JSON value, null included;
//   - in: a JSON array (an empty one matches nothing);
//   - prefix: a JSON string;
//   - contains: a JSON string, number or boolean;
//   - exists: absent, null or a JSON boolean (absent and null mean true);
//   - cidr: a CIDR range as a JSON string ("10.0.0.0/8", "2001:db8::/32"),
//     or a non-empty JSON array of them; a bad range is a *ValueError.
//
// The error message is short and meant for the person who wrote the filter.
func ValidateFilter(f herald.Filter) error {
	_, err := compileFilter(f)
	return err
}

// compileFilter validates f and decodes its value.
func compileFilter(f herald.Filter) (filter, error) {
	path, err := splitField(f.Field)
	if err != nil {
		return filter{}, err
	}
	if !slices.Contains(herald.FilterOps, f.Op) {
		return filter{}, fmt.Errorf("op must be one of %s", strings.Join(herald.FilterOps, ", "))
	}
	value, present, err := decodeValue(f.Value)
	if err != nil {
		return filter{}, err
	}
	if err := checkValue(f.Op, value, present); err != nil {
		return filter{}, err
	}
	if f.Op == herald.OpExists && value == nil {
		value = true
	}
	if f.Op == herald.OpCIDR {
		// Parsed once here, not per event.
		if value, err = parseCIDRs(value); err != nil {
			return filter{}, err
		}
	}
	return filter{path: path, op: f.Op, value: value}, nil
}

// splitField checks a filter's field path and splits it into segments.
func splitField(field string) ([]string, error) {
	if field == "" {
		return nil, errors.New("field must not be empty")
	}
	if len(field) > maxFieldLen {
		return nil, fmt.Errorf("field must be at most %d bytes", maxFieldLen)
	}
	path := strings.Split(field, ".")
	if slices.Contains(path, "") {
		return nil, fmt.Errorf("field %q has an empty segment", field)
	}
	return path, nil
}

// decodeValue decodes a filter value; present is false when raw is empty.
func decodeValue(raw json.RawMessage) (value any, present bool, err error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, false, nil
	}
	if err := json.Unmarshal(raw, &value); err != nil {
		return nil, true, errors.New("value is not valid JSON")
	}
	return value, true, nil
}

// checkValue applies the value rules of op to a decoded value.
func checkValue(op string, value any, present bool) error {
	switch op {
	case herald.OpEq, herald.OpNeq:
		if !present {
			return fmt.Errorf("op %q needs a value", op)
		}
	case herald.OpIn:
		if _, ok := value.([]any); !ok {
			return fmt.Errorf("op %q needs a JSON array value", op)
		}
	case herald.OpPrefix:
		if _, ok := value.(string); !ok {
			return fmt.Errorf("op %q needs a JSON string value", op)
		}
	case herald.OpContains:
		switch value.(type) {
		case string, float64, bool:
		default:
			return fmt.Errorf("op %q needs a JSON string, number or boolean value", op)
		}
	case herald.OpExists:
		switch value.(type) {
		case nil, bool:
		default:
			return fmt.Errorf("op %q takes no value or a JSON boolean", op)
		}
	case herald.OpCIDR:
		if !present {
			return fmt.Errorf("op %q needs a value: a %s, or a list of them", op, cidrHint)
		}
	}
	return nil
}
