package admin

import (
	"net/http"
	"slices"

	"github.com/heraldhq/herald/pkg/herald"
)

// whoamiView is the answer of GET /api/v1/admin/whoami.
type whoamiView struct {
	Subject   string   `json:"subject"`
	Kind      string   `json:"kind"`
	Scopes    []string `json:"scopes"`
	TenantID  *string  `json:"tenant_id"`
	PartnerID *string  `json:"partner_id"`
}

// whoami is GET /api/v1/admin/whoami: the caller's own scopes and binding,
// so a client (the console) offers only what the token may do. The scopes
// are spelled out: webhooks:write implies webhooks:read, admin:write
// implies admin:read.
func (a *API) whoami(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	scopes := []string{}
	for _, s := range herald.AllScopes {
		if p.Has(s) {
			scopes = append(scopes, s)
		}
	}
	slices.Sort(scopes)
	v := whoamiView{Subject: p.Subject, Kind: p.Kind, Scopes: scopes}
	if p.TenantID != "" {
		v.TenantID = &p.TenantID
	}
	if p.PartnerID != "" {
		v.PartnerID = &p.PartnerID
	}
	writeJSON(w, http.StatusOK, v)
}
