package admin_test

import (
	"net/http"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
)

// TestBoundApplicationCannotDeleteAMightierOne: a tenant-bound application
// with admin:write may delete or rotate only the applications of its tenant
// whose scopes it holds all of; one with a scope it lacks stays (403).
func TestBoundApplicationCannotDeleteAMightierOne(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	manager := f.createApp(t, adminToken, map[string]any{"scopes": scopes("admin:write", "webhooks:read"), "tenant_id": "tnt_a"})
	tok := f.issue(t, manager, "")
	mightier := f.createApp(t, adminToken, map[string]any{"scopes": scopes("admin:write", "events:publish"), "tenant_id": "tnt_a"})
	writer := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:write"), "tenant_id": "tnt_a"})
	peer := f.createApp(t, adminToken, map[string]any{"scopes": scopes("webhooks:read"), "tenant_id": "tnt_a"})

	for name, app := range map[string]map[string]any{"admin:write events:publish": mightier, "webhooks:write": writer} {
		path := appsPath + app["id"].(string)
		if s, raw := f.do(t, tok, "DELETE", path, nil, nil); s != http.StatusForbidden {
			t.Errorf("delete an application with %s: %d %s, want 403", name, s, raw)
		}
		if s := f.status(t, tok, "POST", path+"/rotate-secret", map[string]any{"grace_period": "0s"}); s != http.StatusForbidden {
			t.Errorf("rotate an application with %s: %d, want 403", name, s)
		}
		if s := f.status(t, adminToken, "GET", path, nil); s != http.StatusOK {
			t.Errorf("the application with %s is gone: %d", name, s)
		}
	}
	if s := f.status(t, tok, "DELETE", appsPath+peer["id"].(string), nil); s != http.StatusNoContent {
		t.Errorf("delete an application within the caller's scopes: %d, want 204", s)
	}
	if s := f.status(t, adminToken, "DELETE", appsPath+mightier["id"].(string), nil); s != http.StatusNoContent {
		t.Errorf("the admin token deletes any application: %d", s)
	}
}
