package admin_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestWhoamiTellsScopesAndBinding: any valid token learns its own scopes
// (the implied read scopes spelled out) and binding; no token is a 401.
func TestWhoamiTellsScopesAndBinding(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	c := f.srv.Client()
	c.Transport = contract.Transport(t, c.Transport) // answers checked against the document
	type caller struct {
		Subject   string   `json:"subject"`
		Kind      string   `json:"kind"`
		Scopes    []string `json:"scopes"`
		TenantID  *string  `json:"tenant_id"`
		PartnerID *string  `json:"partner_id"`
	}
	var root caller
	if status, raw := f.do(t, adminToken, "GET", "/api/v1/admin/whoami", nil, &root); status != http.StatusOK ||
		root.Kind != "admin_token" || len(root.Scopes) != len(herald.AllScopes) || root.TenantID != nil {
		t.Fatalf("admin token: %d %s", status, raw)
	}
	app := f.createApp(t, adminToken, map[string]any{"tenant_id": "tnt_a",
		"scopes": scopes(herald.ScopeWebhooksWrite)})
	var bound caller
	status, raw := f.do(t, f.issue(t, app, ""), "GET", "/api/v1/admin/whoami", nil, &bound)
	want := []string{herald.ScopeWebhooksRead, herald.ScopeWebhooksWrite}
	if status != http.StatusOK || bound.Kind != "application" || bound.Subject != app["client_id"] ||
		!slices.Equal(bound.Scopes, want) || bound.TenantID == nil || *bound.TenantID != "tnt_a" || bound.PartnerID != nil {
		t.Fatalf("bound application: %d %s, want scopes %v and tenant tnt_a", status, raw, want)
	}
	if status, _ := f.do(t, "", "GET", "/api/v1/admin/whoami", nil, nil); status != http.StatusUnauthorized {
		t.Fatalf("no token: %d", status)
	}
}
