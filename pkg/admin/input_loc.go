package admin

import (
	"bytes"
	"encoding/json"
	"strings"
)

// typeErrorLoc is the body location of a value of the wrong type. The field
// path encoding/json gives names neither array elements nor map keys, and it
// names embedded structs (a filter's "filters.Filter.field"); the location
// is read from body instead, up to the error's offset: the third step of
// retry_schedule is ["body", "retry_schedule", 2], a filter's field
// ["body", "filters", 1, "field"], a header ["body", "headers", name]. Where
// body does not lead to a value in the field the decoder names, it is that
// field's path.
func typeErrorLoc(body []byte, field string, offset int64) []any {
	loc, ok := valueLoc(body, offset)
	top, _, _ := strings.Cut(field, ".")
	if !ok || len(loc) < 2 || loc[1] != top {
		return bodyLoc(field)
	}
	return loc
}

// tokenLevel is one object or array valueLoc is inside.
type tokenLevel struct {
	array bool
	index int    // in an array: the element being read
	key   string // in an object: the member being read
	keyed bool   // in an object: its key has been read
}

// valueLoc reads body's JSON tokens up to the value that ends at offset
// (where a type error's Offset points: past a scalar, or past the opening
// delimiter of an object or array) and returns its location.
func valueLoc(body []byte, offset int64) ([]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []*tokenLevel
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		top := (*tokenLevel)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if s, ok := tok.(string); ok && top != nil && !top.array && !top.keyed {
			top.key, top.keyed = s, true
			continue
		}
		switch tok {
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			advance(stack)
			continue
		}
		if dec.InputOffset() >= offset {
			return stackLoc(stack), true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &tokenLevel{})
		case json.Delim('['):
			stack = append(stack, &tokenLevel{array: true})
		default:
			advance(stack)
		}
	}
}

// advance moves the innermost tokenLevel past the value just read.
func advance(stack []*tokenLevel) {
	if len(stack) == 0 {
		return
	}
	top := stack[len(stack)-1]
	if top.array {
		top.index++
	} else {
		top.keyed = false
	}
}

// stackLoc is the body location of the value stack is reading.
func stackLoc(stack []*tokenLevel) []any {
	loc := []any{"body"}
	for _, l := range stack {
		if l.array {
			loc = append(loc, l.index)
		} else {
			loc = append(loc, l.key)
		}
	}
	return loc
}
