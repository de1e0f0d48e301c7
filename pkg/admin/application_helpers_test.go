package admin_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const appsPath = "/api/v1/admin/applications/"

// createApp creates an application with body (name filled in when absent)
// and returns its decoded view, client_secret included.
func (f *fixture) createApp(t *testing.T, token string, body map[string]any) map[string]any {
	t.Helper()
	if _, ok := body["name"]; !ok {
		body["name"] = "fixture app"
	}
	var out map[string]any
	if status, raw := f.do(t, token, "POST", appsPath, body, &out); status != http.StatusCreated {
		t.Fatalf("create application: %d %s", status, raw)
	}
	return out
}

// tokenResponse is an answer of POST /oauth/token.
type tokenResponse struct {
	status int
	header http.Header
	body   map[string]any
}

// tokenRequest posts form to /oauth/token, with HTTP Basic credentials when
// basic is set (id and secret form-encoded as RFC 6749 §2.3.1 says).
func (f *fixture) tokenRequest(t *testing.T, basic bool, id, secret string, form url.Values) tokenResponse {
	t.Helper()
	req, err := http.NewRequest("POST", f.srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := tokenResponse{status: resp.StatusCode, header: resp.Header}
	if err := json.Unmarshal(raw, &out.body); err != nil {
		t.Fatalf("token answer %d %q: %v", resp.StatusCode, raw, err)
	}
	return out
}

// issue returns an access token for the application app (a created view)
// with scope ("" for all its scopes).
func (f *fixture) issue(t *testing.T, app map[string]any, scope string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	if scope != "" {
		form.Set("scope", scope)
	}
	r := f.tokenRequest(t, true, app["client_id"].(string), app["client_secret"].(string), form)
	tok, _ := r.body["access_token"].(string)
	if r.status != http.StatusOK || tok == "" {
		t.Fatalf("token: %d %v", r.status, r.body)
	}
	return tok
}

// status sends a request and returns its status only.
func (f *fixture) status(t *testing.T, token, method, path string, body any) int {
	t.Helper()
	s, _ := f.do(t, token, method, path, body, nil)
	return s
}

func scopes(s ...string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
