package envelope

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// typeField is the envelope's own event-type field.
const typeField = "event_type"

// ValidEventType reports whether s is an event type the envelope accepts:
// lower-case dotted segments of a-z, 0-9, "_" and "-", at most 255 bytes.
func ValidEventType(s string) bool {
	return s != "" && len(s) <= 255 && validEventType(s)
}

// CheckTypeField reports whether name may be one of Config.TypeFields:
// event_type, or a top-level key that is not one of the envelope's other
// well-known fields (whose values mean something else to Herald).
func CheckTypeField(name string) bool {
	if name == typeField {
		return true
	}
	return name != "" && !slices.Contains(reservedKeys, name)
}

// resolveType sets e.EventType from the first of p's type fields present
// (not null) in members, else from the default type; event_type itself, when
// present, is always the type and the others must agree with it. It reports
// whether event_type must be inserted (the type came from elsewhere), and a
// problem for a type field that is not a string or that contradicts
// event_type. With no type at all e.EventType stays "", which the rules
// report as missing.
func (p *Parser) resolveType(members map[string]json.RawMessage, e *Envelope) (insert bool, problems []Problem) {
	for _, name := range p.typeFields {
		raw, ok := members[name]
		if !ok || bytes.Equal(raw, []byte("null")) || name == typeField {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return false, []Problem{{Field: name, Reason: "must be a string (it names the event type)", Type: typeStringType}}
		}
		if _, given := members[typeField]; given && e.EventType != "" {
			if e.EventType != s {
				return false, []Problem{{Field: typeField, Type: typeValueError,
					Reason: "must equal " + name + " when both are given"}}
			}
			return false, nil
		}
		e.EventType = s
		return true, nil
	}
	if e.EventType == "" && p.defaultType != "" {
		if raw, ok := members[typeField]; !ok || bytes.Equal(raw, []byte("null")) {
			e.EventType = p.defaultType
			return true, nil
		}
	}
	return false, nil
}

// missingTypeReason is the problem of an envelope without a type, naming the
// fields that were looked for when there are others than event_type.
func (p *Parser) missingTypeReason() string {
	if len(p.typeFields) == 1 && p.typeFields[0] == typeField {
		return "field required"
	}
	return "field required (or one of " + strings.Join(p.typeFields, ", ") + ")"
}
