package envelope

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRejectsBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		input     string
		maxBytes  int
		wantField string
		wantType  string
	}{
		{"missing event_type", `{"event_id":"evt_1"}`, 0, "event_type", typeMissing},
		{"empty event_type", `{"event_type":""}`, 0, "event_type", typeMissing},
		{"null event_type", `{"event_type":null}`, 0, "event_type", typeMissing},
		{"upper-case event_type", `{"event_type":"Secret.Rotated"}`, 0, "event_type", typeValueError},
		{"empty segment", `{"event_type":"a..b"}`, 0, "event_type", typeValueError},
		{"trailing dot", `{"event_type":"a."}`, 0, "event_type", typeValueError},
		{"long event_type", `{"event_type":"` + strings.Repeat("a", 256) + `"}`, 0, "event_type", typeTooLong},
		{"bad category", `{"event_type":"a","category":"sharing"}`, 0, "category", typeLiteralError},
		{"number tenant_id", `{"event_type":"a","tenant_id":5}`, 0, "tenant_id", typeStringType},
		{"object path", `{"event_type":"a","path":{}}`, 0, "path", typeStringType},
		{"long path", `{"event_type":"a","path":"` + strings.Repeat("é", 513) + `"}`, 0, "path", typeTooLong},
		{"bad timestamp", `{"event_type":"a","timestamp":"2026-04-23 14:00"}`, 0, "timestamp", typeValueError},
		{"empty timestamp", `{"event_type":"a","timestamp":""}`, 0, "timestamp", typeValueError},
		{"null timestamp", `{"event_type":"a","timestamp":null}`, 0, "timestamp", typeStringType},
		{"empty event_id", `{"event_type":"a","event_id":""}`, 0, "event_id", typeValueError},
		{"event_id with space", `{"event_type":"a","event_id":"evt 1"}`, 0, "event_id", typeValueError},
		{"long event_id", `{"event_type":"a","event_id":"` + strings.Repeat("x", 256) + `"}`, 0, "event_id", typeTooLong},
		{"over size", `{"event_type":"secret.rotated"}`, 16, "", typeTooLong},
		// 30 bytes fit; with a generated event_id and timestamp they do not.
		{"over size once completed", `{"event_type":"secret.rotated"}`, 40, "", typeTooLong},
		{"not JSON", `{"event_type":`, 0, "", typeJSONInvalid},
		{"empty body", ``, 0, "", typeJSONInvalid},
		{"nesting too deep", `{"event_type":"a","data":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, 0, "", typeJSONInvalid},
		{"JSON array", `[{"event_type":"a"}]`, 0, "", typeObjectAttribute},
		{"JSON string", `"a"`, 0, "", typeObjectAttribute},
		{"JSON null", `null`, 0, "", typeObjectAttribute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := newTestParser(tt.maxBytes).Parse([]byte(tt.input))
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Parse = %v, %v; want a *ValidationError", e, err)
			}
			if len(verr.Problems) != 1 {
				t.Fatalf("Problems = %+v, want one", verr.Problems)
			}
			p := verr.Problems[0]
			if p.Field != tt.wantField || p.Type != tt.wantType || p.Reason == "" {
				t.Errorf("Problem = %+v, want field %q type %q", p, tt.wantField, tt.wantType)
			}
		})
	}
}

func TestParseListsEveryProblem(t *testing.T) {
	t.Parallel()
	input := `{"event_type":"A","tenant_id":5,"category":"NOPE","timestamp":"yesterday"}`
	_, err := newTestParser(0).Parse([]byte(input))
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Parse error = %v, want a *ValidationError", err)
	}
	want := []Problem{
		{Field: "tenant_id", Reason: "must be a string", Type: typeStringType},
		{Field: "event_type", Reason: "must be lower-case dotted segments", Type: typeValueError},
		{Field: "timestamp", Reason: "must be an RFC 3339 time", Type: typeValueError},
		{
			Field:  "category",
			Reason: "must be one of AUTHENTICATION, AUTHORIZATION, FILE_ACCESS, FILE_MODIFICATION, SHARING, ADMIN, SECURITY, COMPLIANCE",
			Type:   typeLiteralError,
		},
	}
	if len(verr.Problems) != len(want) {
		t.Fatalf("Problems = %+v, want %+v", verr.Problems, want)
	}
	for i := range want {
		if verr.Problems[i] != want[i] {
			t.Errorf("Problems[%d] = %+v, want %+v", i, verr.Problems[i], want[i])
		}
	}
}

func TestValidationErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *ValidationError
		want string
	}{
		{"body", invalid(Problem{Reason: "exceeds 16 bytes", Type: typeTooLong}), "invalid envelope: exceeds 16 bytes"},
		{
			"fields",
			invalid(
				Problem{Field: "event_type", Reason: "field required", Type: typeMissing},
				Problem{Field: "tenant_id", Reason: "must be a string", Type: typeStringType},
			),
			"invalid envelope: event_type: field required; tenant_id: must be a string",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}
