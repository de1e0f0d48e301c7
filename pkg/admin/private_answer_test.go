package admin_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
)

// internalBody is what an internal service on an allow-listed address
// answers: nothing a tenant may read.
const internalBody = `{"db_password":"internal-only"}`

// newAllowListedFixture is an auth fixture whose test and validation
// calls reach 127.0.0.1 only because it is allow-listed (private targets
// are not allowed to the client), with a token bound to tenant tnt_a.
func newAllowListedFixture(t *testing.T) (*fixture, string) {
	t.Helper()
	client := outbound.NewClient(outbound.ClientConfig{
		AllowedTargets: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	f := newAuthFixture(t, admin.Config{Client: client})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read", "webhooks:write"), "tenant_id": "tnt_a"})
	return f, f.issue(t, app, "")
}

// internalService answers every request with status and internalBody, and a
// Location into the internal network.
func internalService(t *testing.T, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Location", "http://10.0.0.7/admin")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, internalBody)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A test call to an allow-listed private target shows a bound caller its
// status but not its answer; an unbound caller sees it whole.
func TestPrivateTargetTestAnswerHiddenFromBoundCallers(t *testing.T) {
	t.Parallel()
	f, tok := newAllowListedFixture(t)
	id := f.createWebhook(t, adminToken, map[string]any{"url": internalService(t, 200).URL, "tenant_id": "tnt_a"})["id"].(string)

	var bound, unbound map[string]any
	if s, raw := f.do(t, tok, "POST", hookPath(id, "/test"), nil, &bound); s != http.StatusOK ||
		bound["status_code"] != 200.0 || bound["response_body"] != "" || bound["response_body_hidden"] != true {
		t.Fatalf("bound test: %d %s", s, raw)
	}
	if s, raw := f.do(t, adminToken, "POST", hookPath(id, "/test"), nil, &unbound); s != http.StatusOK ||
		unbound["response_body"] != internalBody || unbound["response_body_hidden"] != false {
		t.Fatalf("unbound test: %d %s", s, raw)
	}
}

// Attempts recorded against a private target show their bodies to unbound
// callers only, in the list and the single read.
func TestPrivateTargetAttemptBodiesHiddenFromBoundCallers(t *testing.T) {
	t.Parallel()
	f, tok := newAllowListedFixture(t)
	id := f.createWebhook(t, adminToken, map[string]any{"tenant_id": "tnt_a"})["id"].(string)
	d := storeDelivery(t, f, id)
	d.Attempts = append(d.Attempts, herald.Attempt{Attempt: 2, AtMS: d.CreatedMS, StatusCode: 502,
		ResponseBody: internalBody, PrivateTarget: true})
	if err := f.deliveries.Put(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	one := hookPath(id, "/deliveries/") + strconv.FormatInt(d.ID, 10)
	for _, tc := range []struct {
		token, path string
		wantBody    string
		hidden      bool
	}{
		{tok, one, "", true},
		{tok, hookPath(id, "/deliveries"), "", true},
		{adminToken, one, internalBody, false},
		{adminToken, hookPath(id, "/deliveries"), internalBody, false},
	} {
		var out map[string]any
		s, raw := f.do(t, tc.token, "GET", tc.path, nil, &out)
		if items, ok := out["items"].([]any); ok && len(items) == 1 {
			out = items[0].(map[string]any)
		}
		attempts, _ := out["attempts"].([]any)
		if s != http.StatusOK || len(attempts) != 2 {
			t.Fatalf("GET %s: %d %s", tc.path, s, raw)
		}
		public, private := attempts[0].(map[string]any), attempts[1].(map[string]any)
		if public["response_body"] != "oops" || public["response_body_hidden"] != false {
			t.Errorf("GET %s: a public target's attempt = %v", tc.path, public)
		}
		if private["response_body"] != tc.wantBody || private["response_body_hidden"] != tc.hidden ||
			private["status_code"] != 502.0 {
			t.Errorf("GET %s (bound %v): private target's attempt = %v", tc.path, tc.hidden, private)
		}
	}
}

// A validation answered by a private target's redirect records no
// Location: the reason is shown to every caller that sees the webhook.
func TestPrivateTargetRedirectLocationNotRecorded(t *testing.T) {
	t.Parallel()
	f, tok := newAllowListedFixture(t)
	id := f.createWebhook(t, adminToken, map[string]any{"url": internalService(t, 302).URL, "tenant_id": "tnt_a"})["id"].(string)
	var out map[string]any
	if s, raw := f.do(t, tok, "POST", hookPath(id, "/validate"), nil, &out); s != http.StatusOK ||
		out["validated"] != false || out["validation_error"] != "redirect not followed" {
		t.Fatalf("validate: %d %s", s, raw)
	}
}
