// Package auth authenticates the admin API's callers: the bootstrap admin
// token, bearer tokens Herald issues to applications (OAuth 2.0
// client-credentials), and optionally tokens of an external identity provider
// checked against its JWKS. Each resolves to a Principal: who is calling,
// with which scopes, bound to which tenant or partner.
package auth

import (
	"slices"

	"github.com/heraldhq/herald/pkg/herald"
)

// Principal kinds.
const (
	KindAdminToken  = "admin_token"
	KindApplication = "application"
	KindExternal    = "external"
)

// Principal is an authenticated caller.
type Principal struct {
	// Subject names the caller: "admin" for the bootstrap token, the
	// client_id of an application, the sub claim of an external token.
	Subject string
	// Kind is one of the Kind constants.
	Kind string
	// Scopes are what the caller may do (herald.Scope*).
	Scopes []string
	// TenantID and PartnerID, when set, bind the caller to one tenant or
	// partner: it sees and changes only their webhooks and deliveries.
	TenantID  string
	PartnerID string
}

// Has reports whether p holds scope. A write scope implies its read scope
// (webhooks:write webhooks:read, admin:write admin:read): a caller that may
// change a resource is shown it.
func (p *Principal) Has(scope string) bool {
	if slices.Contains(p.Scopes, scope) {
		return true
	}
	switch scope {
	case herald.ScopeWebhooksRead:
		return slices.Contains(p.Scopes, herald.ScopeWebhooksWrite)
	case herald.ScopeAdminRead:
		return slices.Contains(p.Scopes, herald.ScopeAdminWrite)
	}
	return false
}

// Bound reports whether p is bound to a tenant or a partner.
func (p *Principal) Bound() bool { return p.TenantID != "" || p.PartnerID != "" }

// Sees reports whether p may see a resource owned by tenantID and partnerID.
func (p *Principal) Sees(tenantID, partnerID string) bool {
	if p.TenantID != "" && p.TenantID != tenantID {
		return false
	}
	if p.PartnerID != "" && p.PartnerID != partnerID {
		return false
	}
	return true
}
