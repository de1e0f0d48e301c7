package admin

import (
	"net/http"

	"github.com/heraldhq/herald/pkg/auth"
)

// bind applies the caller's tenant and partner binding to the tenant and
// partner a request names (in a query or a body): an unnamed one becomes the
// caller's, a different one is refused with 403. It reports whether the
// request may go on. An unbound caller's request passes unchanged.
func bind(w http.ResponseWriter, p *auth.Principal, tenantID, partnerID *string) bool {
	for _, f := range []struct {
		own  string
		req  *string
		name string
	}{{p.TenantID, tenantID, "tenant"}, {p.PartnerID, partnerID, "partner"}} {
		switch {
		case f.own == "":
		case *f.req == "":
			*f.req = f.own
		case *f.req != f.own:
			writeDetail(w, http.StatusForbidden, "this token is bound to another "+f.name)
			return false
		}
	}
	return true
}
