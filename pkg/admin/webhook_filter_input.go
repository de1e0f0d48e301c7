package admin

import (
	"encoding/json"
	"errors"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/match"
)

// filterInput is one filter as the API takes it: a herald.Filter (field, op,
// value), or the shorthand {"path_prefix": "…"}, which is the prefix filter
// on the envelope's path ({"field": "path", "op": "prefix", "value": "…"})
// and is stored and shown as that.
type filterInput struct {
	herald.Filter
	PathPrefix *string `json:"path_prefix"`
}

// filter returns the herald.Filter in stands for.
func (in filterInput) filter() herald.Filter {
	if in.PathPrefix == nil {
		return in.Filter
	}
	value, _ := json.Marshal(*in.PathPrefix) // marshalling a string cannot fail
	return herald.Filter{Field: "path", Op: herald.OpPrefix, Value: value}
}

// filters returns the herald.Filters of ins, nil for nil.
func filters(ins *[]filterInput) *[]herald.Filter {
	if ins == nil {
		return nil
	}
	out := make([]herald.Filter, len(*ins))
	for i, in := range *ins {
		out[i] = in.filter()
	}
	return &out
}

// checkFilters adds the problems of each filter to v, located at its index
// (and at its value, or the element of its value, when that is what is
// wrong).
func checkFilters(ins []filterInput, v *validationError) {
	for i, in := range ins {
		if in.PathPrefix != nil && (in.Field != "" || in.Op != "" || len(in.Value) > 0) {
			v.add("path_prefix stands alone: give either it or field, op and value", "value_error",
				"body", "filters", i, "path_prefix")
			continue
		}
		f := in.filter()
		if err := match.ValidateFilter(f); err != nil {
			loc := []any{"body", "filters", i}
			var ve *match.ValueError
			if errors.As(err, &ve) {
				loc = append(loc, "value")
				if ve.Item >= 0 {
					loc = append(loc, ve.Item)
				}
			}
			v.add(err.Error(), "value_error", loc...)
		}
		if len(f.Value) > maxFilterValueBytes {
			v.add(filterValueTooLong, "value_error", "body", "filters", i, "value")
		}
	}
}
