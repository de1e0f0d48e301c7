package probe

import (
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

// Tenants and partners of the probes.
var (
	tenants  = []string{"tnt_a", "tnt_b", "tnt_c"}
	partners = []string{"ptn_x", "ptn_y"}
)

const (
	read    = herald.ScopeWebhooksRead
	write   = herald.ScopeWebhooksWrite
	publish = herald.ScopeEventsPublish
	admin   = herald.ScopeAdminWrite
)

// actor is a caller of the property test: an application or the bootstrap
// admin (unbound, every scope).
type actor struct {
	*app
	root bool
}

// has reports whether the actor holds scope (webhooks:write implies
// webhooks:read).
func (a *actor) has(scope string) bool {
	if a.root {
		return true
	}
	for _, s := range a.Scopes {
		if s == scope || (scope == read && s == write) {
			return true
		}
	}
	return false
}

// bound reports whether the actor is bound to a tenant or a partner.
func (a *actor) bound() bool { return a.TenantID != "" || a.PartnerID != "" }

// inside reports whether a resource of tenant and partner lies inside the
// actor's binding: for a bound actor, exactly its tenant and its partner
// (a dimension it is not bound on must be empty).
func (a *actor) inside(tenant, partner string) bool {
	return !a.bound() || (tenant == a.TenantID && partner == a.PartnerID)
}

// castOf creates the applications of the property test: ten bound to three
// tenants and two partners in every combination, with various scopes, and
// the bootstrap admin.
func castOf(t testing.TB, s *system) []*actor {
	t.Helper()
	specs := []struct {
		tenant, partner string
		scopes          []string
	}{
		{"tnt_a", "", []string{write, publish}},
		{"tnt_a", "", []string{read}},
		{"tnt_b", "", []string{write, publish}},
		{"tnt_c", "", []string{read, publish}},
		{"", "ptn_x", []string{write, publish}},
		{"", "ptn_y", []string{write}},
		{"tnt_a", "ptn_x", []string{write, publish}},
		{"tnt_b", "ptn_y", []string{write, publish}},
		{"tnt_b", "ptn_x", []string{read, publish}},
		{"tnt_c", "ptn_y", []string{write, publish}},
	}
	out := []*actor{{app: &app{Token: adminToken, Scopes: []string{"*"}}, root: true}}
	for _, sp := range specs {
		out = append(out, &actor{app: s.createApp(t, sp.tenant, sp.partner, sp.scopes...)})
	}
	return out
}
