package admin_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
)

// TestPatchApplicationFields: name, description and token_lifetime change,
// the rest stays, the change is audited with the fields it changed, and the
// next token carries the new lifetime.
func TestPatchApplicationFields(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read"), "description": "before"})
	id := app["id"].(string)
	f.published(t) // application.created
	var got map[string]any
	body := map[string]any{"name": "renamed", "description": "after", "token_lifetime": 600}
	if s, raw := f.do(t, adminToken, "PATCH", appsPath+id, body, &got); s != http.StatusOK {
		t.Fatalf("patch: %d %s", s, raw)
	}
	if got["name"] != "renamed" || got["description"] != "after" || got["token_lifetime"] != float64(600) ||
		!slices.Equal(got["scopes"].([]any), scopes("webhooks:read")) || got["client_secret"] != nil {
		t.Errorf("patched view = %v", got)
	}
	var read map[string]any
	f.do(t, adminToken, "GET", appsPath+id, nil, &read)
	if read["name"] != "renamed" || read["token_lifetime"] != float64(600) {
		t.Errorf("read back = %v", read)
	}
	ev := f.published(t)
	data, _ := ev["data"].(map[string]any)
	if ev["event_type"] != "application.updated" || ev["category"] != "ADMIN" || data["application_id"] != id ||
		!slices.Equal(data["changed"].([]any), scopes("name", "description", "token_lifetime")) {
		t.Errorf("audit event = %v", ev)
	}
	r := f.tokenRequest(t, true, id, app["client_secret"].(string), map[string][]string{"grant_type": {"client_credentials"}})
	if r.status != http.StatusOK || r.body["expires_in"] != float64(600) {
		t.Errorf("token after the patch: %d %v", r.status, r.body)
	}
}

// TestPatchApplicationNarrowsIssuedTokens: a token issued with a scope the
// application then loses cannot use it on its very next request, while the
// scopes left keep working.
func TestPatchApplicationNarrowsIssuedTokens(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read", "admin:read")})
	id := app["id"].(string)
	tok := f.issue(t, app, "")
	if s := f.status(t, tok, "GET", "/api/v1/admin/webhooks/", nil); s != http.StatusOK {
		t.Fatalf("before: GET webhooks %d", s)
	}
	if s, raw := f.do(t, adminToken, "PATCH", appsPath+id, map[string]any{"scopes": scopes("admin:read")}, nil); s != http.StatusOK {
		t.Fatalf("narrow: %d %s", s, raw)
	}
	if s := f.status(t, tok, "GET", "/api/v1/admin/webhooks/", nil); s != http.StatusForbidden {
		t.Errorf("after narrowing: GET webhooks with the issued token %d, want 403", s)
	}
	if s := f.status(t, tok, "GET", appsPath+id, nil); s != http.StatusOK {
		t.Errorf("after narrowing: the scope kept, GET application %d, want 200", s)
	}
	r := f.tokenRequest(t, true, id, app["client_secret"].(string),
		map[string][]string{"grant_type": {"client_credentials"}, "scope": {"webhooks:read"}})
	if r.status != http.StatusBadRequest {
		t.Errorf("a new token with the dropped scope: %d %v", r.status, r.body)
	}
}

// TestPatchApplicationReach: a caller cannot widen an application past its
// own scopes, cannot patch one holding scopes it lacks, and a bound caller
// does not see another scope's application at all.
func TestPatchApplicationReach(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	manager := f.issue(t, f.createApp(t, adminToken, map[string]any{
		"scopes": scopes("admin:write", "webhooks:read"), "tenant_id": "tnt_a"}), "")
	own := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read"), "tenant_id": "tnt_a"})["id"].(string)
	mightier := f.createApp(t, adminToken, map[string]any{"scopes": scopes("events:publish"), "tenant_id": "tnt_a"})["id"].(string)
	other := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read"), "tenant_id": "tnt_b"})["id"].(string)
	for _, tc := range []struct {
		name, id string
		body     map[string]any
		want     int
	}{
		{"widen past the caller", own, map[string]any{"scopes": scopes("webhooks:read", "webhooks:write")}, http.StatusForbidden},
		{"patch a mightier app", mightier, map[string]any{"name": "mine now"}, http.StatusForbidden},
		{"another tenant's app", other, map[string]any{"name": "x"}, http.StatusNotFound},
		{"within reach", own, map[string]any{"scopes": scopes("webhooks:read", "admin:read")}, http.StatusOK},
	} {
		if s, raw := f.do(t, manager, "PATCH", appsPath+tc.id, tc.body, nil); s != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, s, raw, tc.want)
		}
	}
	var read map[string]any
	f.do(t, adminToken, "GET", appsPath+own, nil, &read)
	if !slices.Equal(read["scopes"].([]any), scopes("webhooks:read", "admin:read")) {
		t.Errorf("scopes after the patches = %v", read["scopes"])
	}
}

// TestPatchApplicationValidation: bad input is a 422 naming each field and
// why; nothing is changed.
func TestPatchApplicationValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	id := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read")})["id"].(string)
	for _, tc := range []struct {
		name string
		body any
		loc  []any
		typ  string
	}{
		{"empty name", map[string]any{"name": ""}, []any{"body", "name"}, "min"},
		{"unknown scope", map[string]any{"scopes": scopes("webhooks:read", "root")}, []any{"body", "scopes", float64(1)}, "enum"},
		{"no scopes", map[string]any{"scopes": []any{}}, []any{"body", "scopes"}, "min"},
		{"repeated scope", map[string]any{"scopes": scopes("webhooks:read", "webhooks:read")}, []any{"body", "scopes"}, "value_error"},
		{"short lifetime", map[string]any{"token_lifetime": 10}, []any{"body", "token_lifetime"}, "min"},
		{"binding", map[string]any{"tenant_id": "tnt_x"}, []any{"body", "tenant_id"}, "extra_forbidden"},
		{"wrong type", map[string]any{"name": 7}, []any{"body", "name"}, "type_error"},
	} {
		var out struct {
			Detail []struct {
				Loc  []any  `json:"loc"`
				Msg  string `json:"msg"`
				Type string `json:"type"`
			} `json:"detail"`
		}
		s, raw := f.do(t, adminToken, "PATCH", appsPath+id, tc.body, &out)
		if s != http.StatusUnprocessableEntity || len(out.Detail) != 1 || !slices.Equal(out.Detail[0].Loc, tc.loc) ||
			out.Detail[0].Type != tc.typ || out.Detail[0].Msg == "" {
			t.Errorf("%s: %d %s, want 422 at %v (%s)", tc.name, s, raw, tc.loc, tc.typ)
		}
	}
	var read map[string]any
	f.do(t, adminToken, "GET", appsPath+id, nil, &read)
	if read["name"] != "fixture app" || read["tenant_id"] != nil {
		t.Errorf("refused patches changed the application: %v", read)
	}
}

// TestAdminReadScope: admin:read lists and reads applications but cannot
// create, patch, delete or rotate one; admin:write implies it.
func TestAdminReadScope(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	reader := f.issue(t, f.createApp(t, adminToken, map[string]any{"scopes": scopes("admin:read")}), "")
	writer := f.issue(t, f.createApp(t, adminToken, map[string]any{"scopes": scopes("admin:write")}), "")
	id := f.createApp(t, adminToken, map[string]any{"scopes": scopes("admin:read")})["id"].(string)
	for _, tok := range []string{reader, writer} {
		if s := f.status(t, tok, "GET", appsPath, nil); s != http.StatusOK {
			t.Errorf("list: %d", s)
		}
		if s := f.status(t, tok, "GET", appsPath+id, nil); s != http.StatusOK {
			t.Errorf("read: %d", s)
		}
	}
	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{"POST", appsPath, map[string]any{"name": "x", "scopes": scopes("admin:read")}},
		{"PATCH", appsPath + id, map[string]any{"name": "x"}},
		{"POST", appsPath + id + "/rotate-secret", nil},
		{"DELETE", appsPath + id, nil},
		{"GET", "/api/v1/admin/webhooks/", nil},
	} {
		if s := f.status(t, reader, tc.method, tc.path, tc.body); s != http.StatusForbidden {
			t.Errorf("admin:read %s %s: %d, want 403", tc.method, tc.path, s)
		}
	}
}

// TestMethodNotAllowed: a known path asked with a method it does not serve
// answers 405 with the methods it does serve in Allow and the API's JSON
// error body; an unknown path is still a JSON 404.
func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	for _, tc := range []struct {
		method, path string
		allow        []string
	}{
		{"PUT", "/api/v1/admin/webhooks/", []string{"GET", "HEAD", "POST"}},
		{"POST", "/api/v1/admin/webhooks/wh_x", []string{"DELETE", "GET", "HEAD", "PATCH"}},
		{"PUT", appsPath + "app_x", []string{"DELETE", "GET", "HEAD", "PATCH"}},
		{"GET", "/oauth/token", []string{"POST"}},
		{"DELETE", "/api/v1/events", []string{"POST"}},
	} {
		req, _ := http.NewRequest(tc.method, f.srv.URL+tc.path, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := f.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		allow := resp.Header.Values("Allow")
		if len(allow) == 1 {
			allow = splitComma(allow[0])
		}
		slices.Sort(allow)
		if resp.StatusCode != http.StatusMethodNotAllowed || !slices.Equal(allow, tc.allow) ||
			err != nil || body["detail"] != "Method Not Allowed" || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: %d Allow %v body %v (%v), want 405 Allow %v", tc.method, tc.path,
				resp.StatusCode, allow, body, err, tc.allow)
		}
	}
	var body map[string]string
	if s, raw := f.do(t, adminToken, "GET", "/api/v1/admin/nothing", nil, &body); s != http.StatusNotFound || body["detail"] != "Not Found" {
		t.Errorf("unknown path: %d %s", s, raw)
	}
}

// splitComma splits an Allow header value.
func splitComma(s string) []string {
	out := strings.Split(s, ",")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

// TestPatchApplicationConforms: the patch's answers (200, 404, 422) match
// the document.
func TestPatchApplicationConforms(t *testing.T) {
	t.Parallel()
	f := newConformingFixture(t, admin.Config{})
	id := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read", "admin:read")})["id"].(string)
	for _, tc := range []struct {
		path string
		body any
		want int
	}{
		{appsPath + id, map[string]any{"name": "n", "description": "d", "scopes": scopes("admin:read"), "token_lifetime": 120}, http.StatusOK},
		{appsPath + id, map[string]any{"token_lifetime": 1}, http.StatusUnprocessableEntity},
		{appsPath + "app_missing", map[string]any{"name": "n"}, http.StatusNotFound},
	} {
		if s, raw := f.do(t, adminToken, "PATCH", tc.path, tc.body, nil); s != tc.want {
			t.Errorf("PATCH %s %v: %d %s, want %d", tc.path, tc.body, s, raw, tc.want)
		}
	}
	if s, raw := f.do(t, adminToken, "GET", appsPath+id, nil, nil); s != http.StatusOK {
		t.Errorf("GET: %d %s", s, raw)
	}
}
