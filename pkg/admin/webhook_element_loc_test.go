package admin_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/contract"
)

// TestBadListElementIsLocatedByIndex: a 422 for one element of a list names
// the element by its index after the field (["body", "retry_schedule", 1]),
// whether the element has a bad value or a value of the wrong type; a
// header is named by its name, a field that is not a list by its name alone.
func TestBadListElementIsLocatedByIndex(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	const hook = `"name":"n","url":"http://127.0.0.1:9/hook","validate":false`
	for _, tc := range []struct {
		name, path, body string
		loc              []any
		typ              string
	}{
		{"bad retry step", hooksPath, `{` + hook + `,"retry_schedule":["30s","1m","soon"]}`,
			[]any{"body", "retry_schedule", 2.0}, "value_error"},
		{"short retry step", hooksPath, `{` + hook + `,"retry_schedule":["500ms"]}`,
			[]any{"body", "retry_schedule", 0.0}, "value_error"},
		{"retry step of the wrong type", hooksPath, `{` + hook + `,"retry_schedule":["30s",60]}`,
			[]any{"body", "retry_schedule", 1.0}, "type_error"},
		{"retry schedule not a list", hooksPath, `{` + hook + `,"retry_schedule":"30s"}`,
			[]any{"body", "retry_schedule"}, "type_error"},
		{"bad event pattern", hooksPath, `{` + hook + `,"events":["order.*","a..b"]}`,
			[]any{"body", "events", 1.0}, "value_error"},
		{"event pattern of the wrong type", hooksPath, `{` + hook + `,"events":["order.*",{"x":[1]},7]}`,
			[]any{"body", "events", 1.0}, "type_error"},
		{"bad category", hooksPath, `{` + hook + `,"categories":["ADMIN","NOPE"]}`,
			[]any{"body", "categories", 1.0}, "category"},
		{"filter field of the wrong type", hooksPath,
			`{` + hook + `,"filters":[{"field":"data.total","op":"gt","value":1},{"field":3,"op":"eq","value":1}]}`,
			[]any{"body", "filters", 1.0, "field"}, "type_error"},
		{"header value of the wrong type", hooksPath, `{` + hook + `,"headers":{"X-Team":["a"]}}`,
			[]any{"body", "headers", "X-Team"}, "type_error"},
		{"scope of the wrong type", appsPath, `{"name":"a","scopes":["webhooks:read",["admin:read"]]}`,
			[]any{"body", "scopes", 1.0}, "type_error"},
		{"name of the wrong type", hooksPath, `{"name":7,"url":"http://127.0.0.1:9/hook","validate":false}`,
			[]any{"body", "name"}, "type_error"},
	} {
		var out contract.HTTPValidationError
		s, raw := f.do(t, adminToken, "POST", tc.path, tc.body, &out)
		if s != http.StatusUnprocessableEntity || len(out.Detail) != 1 || !slices.Equal(out.Detail[0].Loc, tc.loc) ||
			out.Detail[0].Type != tc.typ || out.Detail[0].Msg == "" {
			t.Errorf("%s: %d %s, want 422 at %v (%s)", tc.name, s, raw, tc.loc, tc.typ)
		}
	}
}
