package admin

import (
	"net/http"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
)

// forCaller returns attempt a as a caller sees it, and whether its response
// body was hidden. The answer of a target that is not public — reachable
// only because the deployment allows private targets or allow-lists its
// range, which every tenant's webhooks share — is not shown to a caller
// bound to a tenant or partner: its body is emptied, a redirect's Location
// left out of the error; the status code and duration stay. Unbound callers
// see it whole.
func forCaller(a herald.Attempt, r *http.Request) (herald.Attempt, bool) {
	if !a.PrivateTarget || !principal(r).Bound() {
		return a, false
	}
	return outbound.WithoutAnswer(a), true
}
