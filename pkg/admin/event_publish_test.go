package admin_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
)

// TestPublishRefusesAmbiguousEnvelopes: over HTTP, an event that is not
// UTF-8, repeats a reserved key in another case (here, a tenant-bound
// publisher's second tenant_id after the one Herald stamps) or carries a
// control character in an id is a 422 naming the field and the reason.
func TestPublishRefusesAmbiguousEnvelopes(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("events:publish"), "tenant_id": "tnt_a"})
	bound := f.issue(t, app, "")
	for _, tc := range []struct {
		name, token, body string
		loc               []any
		msg               string
	}{
		{"a second tenant_id in capitals", bound, `{"event_type":"invoice.paid","TENANT_ID":"tnt_other"}`,
			[]any{"body", "tenant_id"}, "must appear at most once (keys are compared case-insensitively)"},
		{"a repeated tenant_id", bound, `{"event_type":"invoice.paid","tenant_id":"tnt_a","Tenant_Id":"tnt_other"}`,
			[]any{"body", "tenant_id"}, "must appear at most once (keys are compared case-insensitively)"},
		{"invalid UTF-8", adminToken, "{\"event_type\":\"invoice.paid\",\"data\":\"\xc0\xaf\"}",
			[]any{"body"}, "must be valid UTF-8"},
		{"NUL in tenant_id", adminToken, `{"event_type":"invoice.paid","tenant_id":"tnt_a\u0000"}`,
			[]any{"body", "tenant_id"}, "must not contain control characters"},
		{"NUL in partner_id", adminToken, `{"event_type":"invoice.paid","partner_id":"\u0000"}`,
			[]any{"body", "partner_id"}, "must not contain control characters"},
		{"NUL in event_id", adminToken, `{"event_type":"invoice.paid","event_id":"evt_1\u0000"}`,
			[]any{"body", "event_id"}, "must be printable ASCII without whitespace"},
	} {
		var out struct {
			Detail []struct {
				Loc  []any  `json:"loc"`
				Msg  string `json:"msg"`
				Type string `json:"type"`
			} `json:"detail"`
		}
		status, raw := f.do(t, tc.token, "POST", "/api/v1/events", tc.body, &out)
		if status != http.StatusUnprocessableEntity || len(out.Detail) != 1 {
			t.Errorf("%s: %d %s, want a 422 with one problem", tc.name, status, raw)
			continue
		}
		if d := out.Detail[0]; !reflect.DeepEqual(d.Loc, tc.loc) || d.Msg != tc.msg || d.Type == "" {
			t.Errorf("%s: detail %+v, want loc %v msg %q", tc.name, d, tc.loc, tc.msg)
		}
	}
}
