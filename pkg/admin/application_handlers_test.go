package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
)

func TestApplicationCreateReadListDelete(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	expires := t0.Add(30 * 24 * time.Hour).Format(time.RFC3339)
	app := f.createApp(t, adminToken, map[string]any{"name": "billing", "description": "pays",
		"scopes": scopes("webhooks:read", "events:publish"), "tenant_id": "tnt_a", "token_lifetime": 900,
		"secret_expires_at": expires})
	id := app["id"].(string)
	if !strings.HasPrefix(id, "app_") || len(id) != len("app_")+32 || app["client_id"] != id ||
		!strings.HasPrefix(app["client_secret"].(string), "hcs_") {
		t.Fatalf("created = %v", app)
	}
	if app["name"] != "billing" || app["description"] != "pays" || app["tenant_id"] != "tnt_a" ||
		app["partner_id"] != nil || app["token_lifetime"] != 900.0 || app["secret_expires_at"] != expires ||
		app["previous_secret_expires_at"] != nil || !reflect.DeepEqual(app["scopes"], scopes("webhooks:read", "events:publish")) {
		t.Fatalf("created = %v", app)
	}
	ev := f.published(t)
	data, _ := ev["data"].(map[string]any)
	if ev["event_type"] != herald.EventApplicationCreated || ev["tenant_id"] != "tnt_a" ||
		data["application_id"] != id || data["name"] != "billing" || data["actor"] != "admin" {
		t.Fatalf("audit = %v", ev)
	}
	stored := &herald.Application{ID: id}
	if err := f.applications.Get(context.Background(), stored); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored.SecretHash, "$argon2id$") || strings.Contains(stored.SecretHash, app["client_secret"].(string)) {
		t.Fatalf("stored hash = %q", stored.SecretHash)
	}

	var read map[string]any
	status, raw := f.do(t, adminToken, "GET", appsPath+id, nil, &read)
	if status != http.StatusOK || read["id"] != id || read["client_secret"] != nil || strings.Contains(string(raw), "argon2") {
		t.Fatalf("get: %d %s", status, raw)
	}
	f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read"), "tenant_id": "tnt_b"})
	f.published(t)
	var page struct {
		Items []map[string]any `json:"items"`
		Total int              `json:"total"`
	}
	status, raw = f.do(t, adminToken, "GET", appsPath, nil, &page)
	if status != http.StatusOK || page.Total != 2 || page.Items[0]["id"] != id || strings.Contains(string(raw), "hcs_") ||
		strings.Contains(string(raw), "argon2") {
		t.Fatalf("list: %d %s", status, raw)
	}
	if f.do(t, adminToken, "GET", appsPath+"?tenant_id=tnt_b&per_page=1", nil, &page); page.Total != 1 || page.Items[0]["tenant_id"] != "tnt_b" {
		t.Fatalf("filtered list: %v", page)
	}

	if s := f.status(t, adminToken, "DELETE", appsPath+id, nil); s != http.StatusNoContent {
		t.Fatalf("delete: %d", s)
	}
	if ev := f.published(t); ev["event_type"] != herald.EventApplicationDeleted {
		t.Fatalf("audit = %v", ev)
	}
	if s := f.status(t, adminToken, "GET", appsPath+id, nil); s != http.StatusNotFound {
		t.Fatalf("get after delete: %d", s)
	}
}

func TestApplicationCreateValidation(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	past := t0.Add(-time.Hour).Format(time.RFC3339)
	for name, c := range map[string]struct {
		body map[string]any
		loc  []any
	}{
		"missing name":     {map[string]any{"scopes": scopes("webhooks:read")}, []any{"body", "name"}},
		"empty name":       {map[string]any{"name": "", "scopes": scopes("webhooks:read")}, []any{"body", "name"}},
		"missing scopes":   {map[string]any{"name": "x"}, []any{"body", "scopes"}},
		"unknown scope":    {map[string]any{"name": "x", "scopes": scopes("root")}, []any{"body", "scopes", 0.0}},
		"repeated scope":   {map[string]any{"name": "x", "scopes": scopes("webhooks:read", "webhooks:read")}, []any{"body", "scopes"}},
		"short lifetime":   {map[string]any{"name": "x", "scopes": scopes("webhooks:read"), "token_lifetime": 30}, []any{"body", "token_lifetime"}},
		"long lifetime":    {map[string]any{"name": "x", "scopes": scopes("webhooks:read"), "token_lifetime": 86401}, []any{"body", "token_lifetime"}},
		"past expiry":      {map[string]any{"name": "x", "scopes": scopes("webhooks:read"), "secret_expires_at": past}, []any{"body", "secret_expires_at"}},
		"bad expiry":       {map[string]any{"name": "x", "scopes": scopes("webhooks:read"), "secret_expires_at": "tomorrow"}, []any{"body", "secret_expires_at"}},
		"unknown field":    {map[string]any{"name": "x", "scopes": scopes("webhooks:read"), "secret_hash": "x"}, []any{"body", "secret_hash"}},
		"long description": {map[string]any{"name": "x", "scopes": scopes("webhooks:read"), "description": strings.Repeat("d", 2001)}, []any{"body", "description"}},
	} {
		var out struct {
			Detail []struct {
				Loc  []any  `json:"loc"`
				Msg  string `json:"msg"`
				Type string `json:"type"`
			} `json:"detail"`
		}
		status, raw := f.do(t, adminToken, "POST", appsPath, c.body, &out)
		if status != http.StatusUnprocessableEntity || len(out.Detail) == 0 || !reflect.DeepEqual(out.Detail[0].Loc, c.loc) ||
			out.Detail[0].Msg == "" {
			t.Errorf("%s: %d %s", name, status, raw)
		}
	}
}

func TestBoundApplicationManagesOnlyItsTenantWithoutEscalation(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	manager := f.createApp(t, adminToken, map[string]any{"scopes": scopes("admin:write", "webhooks:read"), "tenant_id": "tnt_a"})
	tok := f.issue(t, manager, "")
	other := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read"), "tenant_id": "tnt_b"})
	mightier := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:write"), "tenant_id": "tnt_a"})

	stamped := f.createApp(t, tok, map[string]any{"scopes": scopes("webhooks:read")})
	if stamped["tenant_id"] != "tnt_a" {
		t.Fatalf("created by a bound token: tenant %v", stamped["tenant_id"])
	}
	for name, body := range map[string]map[string]any{
		"other tenant":     {"name": "x", "scopes": scopes("webhooks:read"), "tenant_id": "tnt_b"},
		"scope it lacks":   {"name": "x", "scopes": scopes("webhooks:write")},
		"publish it lacks": {"name": "x", "scopes": scopes("webhooks:read", "events:publish")},
	} {
		if s, raw := f.do(t, tok, "POST", appsPath, body, nil); s != http.StatusForbidden {
			t.Errorf("%s: %d %s", name, s, raw)
		}
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	f.do(t, tok, "GET", appsPath, nil, &page)
	for _, it := range page.Items {
		if it["tenant_id"] != "tnt_a" {
			t.Errorf("list shows %v", it)
		}
	}
	if s := f.status(t, tok, "GET", appsPath+"?tenant_id=tnt_b", nil); s != http.StatusForbidden {
		t.Errorf("list ?tenant_id=tnt_b: %d", s)
	}
	otherPath := appsPath + other["id"].(string)
	for _, m := range []string{"GET", "DELETE"} {
		if s := f.status(t, tok, m, otherPath, nil); s != http.StatusNotFound {
			t.Errorf("%s other tenant's application: %d", m, s)
		}
	}
	if s := f.status(t, tok, "POST", otherPath+"/rotate-secret", nil); s != http.StatusNotFound {
		t.Errorf("rotate other tenant's application: %d", s)
	}
	if s := f.status(t, tok, "POST", appsPath+mightier["id"].(string)+"/rotate-secret", nil); s != http.StatusForbidden {
		t.Errorf("rotate an application with scopes the caller lacks: %d", s)
	}
	if s := f.status(t, tok, "POST", appsPath+stamped["id"].(string)+"/rotate-secret", nil); s != http.StatusOK {
		t.Errorf("rotate own tenant's application: %d", s)
	}
	if s := f.status(t, adminToken, "GET", otherPath, nil); s != http.StatusOK {
		t.Errorf("the other tenant's application is gone: %d", s)
	}
}

func TestRotateApplicationSecret(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read"), "partner_id": "ptn_p"})
	f.published(t)
	id, oldSecret := app["id"].(string), app["client_secret"].(string)
	grant := url.Values{"grant_type": {"client_credentials"}}

	var rotated map[string]any
	status, raw := f.do(t, adminToken, "POST", appsPath+id+"/rotate-secret", map[string]any{"grace_period": "1h"}, &rotated)
	newSecret, _ := rotated["client_secret"].(string)
	if status != http.StatusOK || !strings.HasPrefix(newSecret, "hcs_") || newSecret == oldSecret ||
		rotated["previous_secret_expires_at"] != t0.Add(time.Hour).Format(time.RFC3339) {
		t.Fatalf("rotate: %d %s", status, raw)
	}
	ev := f.published(t)
	data, _ := ev["data"].(map[string]any)
	if ev["event_type"] != herald.EventAppSecretRotated || ev["partner_id"] != "ptn_p" || data["application_id"] != id ||
		strings.Contains(string(mustJSON(t, ev)), "hcs_") {
		t.Fatalf("audit = %v", ev)
	}
	var read map[string]any
	if _, raw := f.do(t, adminToken, "GET", appsPath+id, nil, &read); read["client_secret"] != nil ||
		read["previous_secret_expires_at"] == nil || strings.Contains(string(raw), "hcs_") {
		t.Fatalf("get after rotate: %s", raw)
	}
	for name, secret := range map[string]string{"old": oldSecret, "new": newSecret} {
		if r := f.tokenRequest(t, true, id, secret, grant); r.status != http.StatusOK {
			t.Fatalf("%s secret during grace: %d %v", name, r.status, r.body)
		}
	}
	f.clock.Advance(time.Hour)
	if r := f.tokenRequest(t, true, id, oldSecret, grant); r.status != http.StatusUnauthorized {
		t.Fatalf("old secret after grace: %d %v", r.status, r.body)
	}
	if r := f.tokenRequest(t, true, id, newSecret, grant); r.status != http.StatusOK {
		t.Fatalf("new secret after grace: %d %v", r.status, r.body)
	}

	f.do(t, adminToken, "POST", appsPath+id+"/rotate-secret", map[string]any{"grace_period": "0s"}, &rotated)
	if r := f.tokenRequest(t, true, id, newSecret, grant); r.status != http.StatusUnauthorized {
		t.Fatalf("secret rotated out without grace: %d %v", r.status, r.body)
	}
	if rotated["previous_secret_expires_at"] != nil {
		t.Fatalf("no grace, yet previous_secret_expires_at = %v", rotated["previous_secret_expires_at"])
	}
	for _, body := range []any{
		map[string]any{"grace_period": "169h"},
		map[string]any{"grace_period": "-1s"},
		map[string]any{"grace_period": "soon"},
		map[string]any{"secret_expires_at": t0.Format(time.RFC3339)},
		map[string]any{"unknown": true},
	} {
		if s, raw := f.do(t, adminToken, "POST", appsPath+id+"/rotate-secret", body, nil); s != http.StatusUnprocessableEntity {
			t.Errorf("rotate %v: %d %s", body, s, raw)
		}
	}
	if s := f.status(t, adminToken, "POST", appsPath+"app_missing/rotate-secret", nil); s != http.StatusNotFound {
		t.Errorf("rotate unknown: %d", s)
	}
}

// TestRotateWithoutGraceRevokesIssuedTokens: the answer to a leaked client
// secret is a rotation with no grace, and it must stop the tokens minted with
// the leaked secret too, not only the secret.
func TestRotateWithoutGraceRevokesIssuedTokens(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	app := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read")})
	id := app["id"].(string)
	leaked := f.issue(t, app, "")
	graced := map[string]any{}
	f.clock.Advance(2 * time.Second)
	f.do(t, adminToken, "POST", appsPath+id+"/rotate-secret", map[string]any{"grace_period": "1h"}, &graced)
	if s := f.status(t, leaked, "GET", "/api/v1/admin/webhooks/", nil); s != http.StatusOK {
		t.Fatalf("a rotation with grace stopped an issued token: %d", s)
	}
	f.clock.Advance(2 * time.Second)
	var rotated map[string]any
	if s, raw := f.do(t, adminToken, "POST", appsPath+id+"/rotate-secret", map[string]any{"grace_period": "0s"}, &rotated); s != http.StatusOK {
		t.Fatalf("rotate: %d %s", s, raw)
	}
	if s := f.status(t, leaked, "GET", "/api/v1/admin/webhooks/", nil); s != http.StatusUnauthorized {
		t.Fatalf("token minted before a no-grace rotation: %d, want 401", s)
	}
	fresh := f.issue(t, map[string]any{"client_id": id, "client_secret": rotated["client_secret"]}, "")
	if s := f.status(t, fresh, "GET", "/api/v1/admin/webhooks/", nil); s != http.StatusOK {
		t.Fatalf("token minted with the new secret: %d", s)
	}
}
