package envelope

import "strings"

// Problem types, in the style of FastAPI (pydantic) error types.
const (
	typeMissing         = "missing"
	typeValueError      = "value_error"
	typeStringType      = "string_type"
	typeTooLong         = "too_long"
	typeJSONInvalid     = "json_invalid"
	typeLiteralError    = "literal_error"
	typeObjectAttribute = "model_attributes_type"
)

// ValidationError lists what is wrong with an envelope. Parse returns it (as
// *ValidationError) for every bad input; the problems are safe to show to the
// publisher.
type ValidationError struct {
	Problems []Problem
}

// Problem is one thing wrong with an envelope.
type Problem struct {
	// Field is the JSON field name ("event_type", "category", ...), or ""
	// when the problem concerns the whole body.
	Field string
	// Reason is short and user-facing: "field required", "must be a JSON
	// object", "exceeds 262144 bytes", ...
	Reason string
	// Type is a machine-readable type in the style of FastAPI: "missing",
	// "value_error", "string_type", "too_long", "json_invalid",
	// "literal_error" or "model_attributes_type".
	Type string
}

// Error returns "invalid envelope: " followed by each problem as
// "field: reason" (or just the reason for the whole body), joined by "; ".
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("invalid envelope")
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if p.Field != "" {
			b.WriteString(p.Field)
			b.WriteString(": ")
		}
		b.WriteString(p.Reason)
	}
	return b.String()
}

// invalid returns a *ValidationError holding problems.
func invalid(problems ...Problem) *ValidationError {
	return &ValidationError{Problems: problems}
}
