package admin

import (
	"net/http"

	"github.com/heraldhq/herald/pkg/auth"
)

// A principal bound to a tenant and/or a partner owns one scope: the pair
// (tenant_id, partner_id) equal to its binding, "" on a dimension it is not
// bound on. It sees, changes and creates only webhooks and applications of
// exactly that scope, and publishes events of exactly that scope. Equality
// on the unbound dimension matters: a partner-only principal seeing a
// webhook that also names a tenant would reach that tenant's deliveries, and
// a tenant-only one seeing a webhook that names a partner would act inside
// a partner's scope it was never given. Scopes of different bindings so
// never overlap. An unbound principal owns every scope.

// owns reports whether p may see and act on a resource of the scope
// (tenantID, partnerID): p is unbound, or the scope is exactly its binding.
func owns(p *auth.Principal, tenantID, partnerID string) bool {
	return !p.Bound() || (tenantID == p.TenantID && partnerID == p.PartnerID)
}

// bindScope resolves the scope a request sets (a webhook's or an
// application's, on create or patch) from what it names: tenantID and
// partnerID, nil when unnamed. For an unbound caller it is what is named, ""
// where unnamed. For a bound caller it is exactly its binding: an unnamed
// dimension takes it, and a named value that differs (another tenant, a
// partner when bound to a tenant only, "" to clear a bound one) is refused
// with 403. It reports whether the request may go on.
func bindScope(w http.ResponseWriter, p *auth.Principal, tenantID, partnerID *string) (tenant, partner string, ok bool) {
	if !p.Bound() {
		return deref(tenantID), deref(partnerID), true
	}
	for _, f := range []struct {
		own  string
		req  *string
		name string
	}{{p.TenantID, tenantID, "tenant"}, {p.PartnerID, partnerID, "partner"}} {
		if f.req != nil && *f.req != f.own {
			writeDetail(w, http.StatusForbidden, "this token cannot name a "+f.name+" outside its binding")
			return "", "", false
		}
	}
	return p.TenantID, p.PartnerID, true
}

// bindFilter applies the caller's binding to the tenant_id and partner_id
// filters of a list query, "" when absent: an absent one becomes the
// caller's binding, a different one is refused with 403 (see bindScope). It
// reports whether the request may go on.
func bindFilter(w http.ResponseWriter, p *auth.Principal, tenantID, partnerID *string) bool {
	named := func(s *string) *string {
		if *s == "" {
			return nil
		}
		return s
	}
	var ok bool
	*tenantID, *partnerID, ok = bindScope(w, p, named(tenantID), named(partnerID))
	return ok
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
