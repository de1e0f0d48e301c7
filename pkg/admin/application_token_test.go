package admin_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
)

const hooksPath = "/api/v1/admin/webhooks/"

func TestApplicationTokenScopes(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read", "webhooks:write", "events:publish", "admin:write")})
	hook := map[string]any{"name": "x", "url": "http://127.0.0.1:9/hook", "validate": false}
	event := map[string]any{"event_type": "order.created", "data": map[string]any{}}

	read := f.issue(t, app, "webhooks:read")
	if s := f.status(t, read, "GET", hooksPath, nil); s != http.StatusOK {
		t.Errorf("webhooks:read GET webhooks: %d", s)
	}
	if s := f.status(t, read, "POST", hooksPath, hook); s != http.StatusForbidden {
		t.Errorf("webhooks:read POST webhooks: %d", s)
	}
	if s := f.status(t, read, "POST", "/api/v1/events", event); s != http.StatusForbidden {
		t.Errorf("webhooks:read POST events: %d", s)
	}

	write := f.issue(t, app, "webhooks:write")
	if s := f.status(t, write, "POST", hooksPath, hook); s != http.StatusCreated {
		t.Errorf("webhooks:write POST webhooks: %d", s)
	}
	if s := f.status(t, write, "GET", hooksPath, nil); s != http.StatusOK {
		t.Errorf("webhooks:write GET webhooks (write implies read): %d", s)
	}

	publish := f.issue(t, app, "events:publish")
	if s := f.status(t, publish, "POST", "/api/v1/events", event); s == http.StatusUnauthorized || s == http.StatusForbidden {
		t.Errorf("events:publish POST events: %d", s)
	}
	if s := f.status(t, publish, "GET", hooksPath, nil); s != http.StatusForbidden {
		t.Errorf("events:publish GET webhooks: %d", s)
	}

	for _, tok := range []string{read, write, publish} {
		if s := f.status(t, tok, "GET", appsPath, nil); s != http.StatusForbidden {
			t.Errorf("applications without admin:write: %d", s)
		}
	}
	adminTok := f.issue(t, app, "admin:write")
	if s := f.status(t, adminTok, "GET", appsPath, nil); s != http.StatusOK {
		t.Errorf("admin:write GET applications: %d", s)
	}
	if s := f.status(t, adminTok, "GET", hooksPath, nil); s != http.StatusForbidden {
		t.Errorf("admin:write alone GET webhooks: %d", s)
	}
}

func TestApplicationTokenExpires(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read"), "token_lifetime": 120})
	r := f.tokenRequest(t, true, app["client_id"].(string), app["client_secret"].(string),
		url.Values{"grant_type": {"client_credentials"}})
	if r.body["expires_in"] != 120.0 {
		t.Fatalf("expires_in = %v", r.body["expires_in"])
	}
	tok := r.body["access_token"].(string)
	f.clock.Advance(119 * time.Second)
	if s := f.status(t, tok, "GET", hooksPath, nil); s != http.StatusOK {
		t.Fatalf("before expiry: %d", s)
	}
	f.clock.Advance(2 * time.Second)
	if s := f.status(t, tok, "GET", hooksPath, nil); s != http.StatusUnauthorized {
		t.Fatalf("after expiry: %d", s)
	}
}

func TestDeletedApplicationTokenRefused(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read")})
	tok := f.issue(t, app, "")
	if s := f.status(t, tok, "GET", hooksPath, nil); s != http.StatusOK {
		t.Fatalf("before delete: %d", s)
	}
	if s := f.status(t, adminToken, "DELETE", appsPath+app["id"].(string), nil); s != http.StatusNoContent {
		t.Fatalf("delete: %d", s)
	}
	if s := f.status(t, tok, "GET", hooksPath, nil); s != http.StatusUnauthorized {
		t.Fatalf("after delete: %d", s)
	}
}

func TestTenantBoundTokenSeesOnlyItsTenant(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	mine := f.createWebhook(t, adminToken, map[string]any{"tenant_id": "tnt_a"})
	other := f.createWebhook(t, adminToken, map[string]any{"tenant_id": "tnt_b"})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read", "webhooks:write"), "tenant_id": "tnt_a"})
	tok := f.issue(t, app, "")

	var page struct {
		Items []map[string]any `json:"items"`
		Total int              `json:"total"`
	}
	if s, raw := f.do(t, tok, "GET", hooksPath, nil, &page); s != http.StatusOK || page.Total != 1 || page.Items[0]["id"] != mine["id"] {
		t.Fatalf("list: %d %s", s, raw)
	}
	if s := f.status(t, tok, "GET", hooksPath+"?tenant_id=tnt_b", nil); s != http.StatusForbidden {
		t.Errorf("list ?tenant_id=tnt_b: %d", s)
	}
	if s := f.status(t, tok, "GET", hooksPath+"?tenant_id=tnt_a", nil); s != http.StatusOK {
		t.Errorf("list ?tenant_id=tnt_a: %d", s)
	}
	otherPath := hooksPath + other["id"].(string)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", otherPath, nil},
		{"PATCH", otherPath, map[string]any{"name": "taken over"}},
		{"GET", otherPath + "/deliveries", nil},
		{"DELETE", otherPath, nil},
	} {
		if s := f.status(t, tok, c.method, c.path, c.body); s != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404", c.method, c.path, s)
		}
	}
	if s := f.status(t, tok, "GET", hooksPath+mine["id"].(string), nil); s != http.StatusOK {
		t.Errorf("own webhook: %d", s)
	}
	stamped := f.createWebhook(t, tok, map[string]any{})
	if stamped["tenant_id"] != "tnt_a" {
		t.Errorf("created webhook tenant = %v", stamped["tenant_id"])
	}
	body := map[string]any{"name": "x", "url": "http://127.0.0.1:9/hook", "validate": false, "tenant_id": "tnt_b"}
	if s := f.status(t, tok, "POST", hooksPath, body); s != http.StatusForbidden {
		t.Errorf("create in tnt_b: %d", s)
	}
	if s := f.status(t, adminToken, "GET", otherPath, nil); s != http.StatusOK {
		t.Errorf("the other tenant's webhook is gone: %d", s)
	}
}

// TestBoundTokenCannotWidenItsScope: a bound token may not move its own
// webhook out of its binding (clearing tenant_id would make it receive
// every tenant's events), may not publish into scopes it cannot see, and may
// not mint an application bound on a further dimension.
func TestBoundTokenCannotWidenItsScope(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{
		"scopes": scopes("webhooks:write", "events:publish", "admin:write"), "tenant_id": "tnt_a"})
	tok := f.issue(t, app, "")
	mine := hooksPath + f.createWebhook(t, tok, map[string]any{})["id"].(string)

	for _, body := range []map[string]any{{"tenant_id": ""}, {"tenant_id": "tnt_b"}} {
		if s, raw := f.do(t, tok, "PATCH", mine, body, nil); s != http.StatusForbidden {
			t.Errorf("PATCH %v: %d %s, want 403", body, s, raw)
		}
	}
	var read map[string]any
	if f.do(t, tok, "GET", mine, nil, &read); read["tenant_id"] != "tnt_a" {
		t.Fatalf("the webhook left its tenant: %v", read["tenant_id"])
	}
	if s := f.status(t, tok, "PATCH", mine, map[string]any{"tenant_id": "tnt_a", "name": "kept"}); s != http.StatusOK {
		t.Errorf("PATCH naming its own tenant: %d", s)
	}

	for _, ev := range []map[string]any{
		{"event_type": "invoice.paid", "partner_id": "ptn_other"},
		{"event_type": "invoice.paid", "tenant_id": "tnt_b"},
		{"event_type": "invoice.paid", "tenant_id": ""},
	} {
		if s, raw := f.do(t, tok, "POST", "/api/v1/events", ev, nil); s != http.StatusForbidden {
			t.Errorf("publish %v: %d %s, want 403", ev, s, raw)
		}
	}
	var accepted map[string]any
	if s, raw := f.do(t, tok, "POST", "/api/v1/events", map[string]any{"event_type": "invoice.paid"}, &accepted); s != http.StatusAccepted {
		t.Errorf("publish for its own tenant: %d %s", s, raw)
	}

	if s, raw := f.do(t, tok, "POST", appsPath, map[string]any{"name": "wider", "scopes": scopes("events:publish"),
		"partner_id": "ptn_other"}, nil); s != http.StatusForbidden {
		t.Errorf("create an application bound on another dimension: %d %s", s, raw)
	}
}
