package boltdoc

import (
	"slices"
	"strings"

	"gocloud.dev/docstore/driver"
	"gocloud.dev/gcerrors"
)

// A mod is an Update modification with its value already encoded.
type mod struct {
	path  []string
	value any  // encoded; nil with !inc deletes the field
	inc   bool // add value (an int64 or float64) to the field
}

// encodeMods encodes an Update's mods, in field-path order so an update
// applies the same way every time.
func encodeMods(ms []driver.Mod) ([]mod, error) {
	out := make([]mod, 0, len(ms))
	for _, m := range ms {
		em := mod{path: m.FieldPath}
		v := m.Value
		if inc, ok := v.(driver.IncOp); ok {
			em.inc, v = true, inc.Amount
		}
		if v != nil {
			var err error
			if em.value, err = encodeValue(v); err != nil {
				return nil, err
			}
		}
		if em.inc && keyType(em.value) != keyNumber {
			return nil, errorf(gcerrors.InvalidArgument, "increment amount %v is not a number", v)
		}
		out = append(out, em)
	}
	slices.SortFunc(out, func(a, b mod) int {
		return strings.Compare(strings.Join(a.path, "."), strings.Join(b.path, "."))
	})
	return out, nil
}

// applyMods applies mods to doc. On error doc may be half modified: callers
// apply them to a copy they discard on error.
func applyMods(doc map[string]any, mods []mod) error {
	for _, m := range mods {
		switch {
		case m.inc:
			cur, _ := getPath(doc, m.path)
			sum, err := add(cur, m.value)
			if err != nil {
				return errorf(gcerrors.InvalidArgument, "increment %s: %v", strings.Join(m.path, "."), err)
			}
			if err := setPath(doc, m.path, sum); err != nil {
				return err
			}
		case m.value == nil:
			if err := deletePath(doc, m.path); err != nil {
				return err
			}
		default:
			if err := setPath(doc, m.path, m.value); err != nil {
				return err
			}
		}
	}
	return nil
}

// deletePath removes the field at a field path; a missing path is fine.
func deletePath(m map[string]any, fp []string) error {
	parent, ok := getPath(m, fp[:len(fp)-1])
	if !ok || parent == nil {
		return nil
	}
	pm, ok := parent.(map[string]any)
	if !ok {
		return errorf(gcerrors.InvalidArgument, "field path %s: not a map", strings.Join(fp, "."))
	}
	delete(pm, fp[len(fp)-1])
	return nil
}

// add adds two encoded numbers; an int and a float make a float. A missing
// field counts as zero.
func add(x, y any) (any, error) {
	if x == nil {
		return y, nil
	}
	switch x := x.(type) {
	case int64:
		switch y := y.(type) {
		case int64:
			return x + y, nil
		case float64:
			return float64(x) + y, nil
		}
	case float64:
		switch y := y.(type) {
		case int64:
			return x + float64(y), nil
		case float64:
			return x + y, nil
		}
	}
	return nil, errorf(gcerrors.InvalidArgument, "cannot add %v (%T) and %v (%T)", x, x, y, y)
}
