package envelope

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// decodeObject decodes b as a JSON object into its members, keyed exactly as
// written (after unescaping; a repeated key keeps its last value, and
// repeatedKeys refuses a repeated reserved one).
func decodeObject(b []byte) (map[string]json.RawMessage, *Problem) {
	var members map[string]json.RawMessage
	err := json.Unmarshal(b, &members)
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		return nil, notObject()
	case err != nil:
		return nil, &Problem{Reason: jsonReason(err), Type: typeJSONInvalid}
	case members == nil: // null
		return nil, notObject()
	}
	return members, nil
}

func notObject() *Problem {
	return &Problem{Reason: "must be a JSON object", Type: typeObjectAttribute}
}

// jsonReason describes a decoding failure without echoing the input.
func jsonReason(err error) string {
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return fmt.Sprintf("invalid JSON at byte %d", syntaxErr.Offset)
	}
	return "invalid JSON"
}

// decodeFields copies the well-known members into e and returns a problem for
// each one of the wrong JSON type. A null counts as absent, except for the
// generated event_id and timestamp, which reject null and "" because a value
// could not be inserted next to the present key.
func decodeFields(members map[string]json.RawMessage, e *Envelope) []Problem {
	var problems []Problem
	for _, f := range e.stringFields() {
		raw, ok := members[f.name]
		if !ok {
			continue
		}
		isNull := bytes.Equal(raw, []byte("null"))
		if isNull && !f.generated {
			continue
		}
		if isNull || json.Unmarshal(raw, f.dst) != nil {
			problems = append(problems, Problem{Field: f.name, Reason: "must be a string", Type: typeStringType})
			continue
		}
		if f.generated && *f.dst == "" {
			problems = append(problems, Problem{Field: f.name, Reason: "must not be empty", Type: typeValueError})
		}
	}
	if data, ok := members["data"]; ok {
		e.Data = data
	}
	return problems
}

// member is one generated "key":"value" pair to insert.
type member struct{ key, value string }

// insertMembers returns a copy of the JSON object b with ms inserted right
// after its opening '{', every other byte unchanged. b must be a JSON object
// (as checked by decodeObject); empty reports whether it has no members, in
// which case no separating comma is written.
func insertMembers(b []byte, ms []member, empty bool) []byte {
	open := bytes.IndexByte(b, '{') // the first '{': only whitespace precedes it
	out := make([]byte, 0, len(b)+64*len(ms))
	out = append(out, b[:open+1]...)
	for i, m := range ms {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendJSONString(out, m.key)
		out = append(out, ':')
		out = appendJSONString(out, m.value)
	}
	if len(ms) > 0 && !empty {
		out = append(out, ',')
	}
	return append(out, b[open+1:]...)
}

// appendJSONString appends s as a JSON string.
func appendJSONString(out []byte, s string) []byte {
	enc, _ := json.Marshal(s) // marshalling a string cannot fail
	return append(out, enc...)
}
