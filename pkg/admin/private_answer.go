package admin

import (
	"net/http"

	"github.com/heraldhq/herald/pkg/herald"
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
	return withoutAnswer(a), true
}

// withoutAnswer empties what a private target's answer says beyond its
// status: the body, and a redirect's Location in the error.
func withoutAnswer(a herald.Attempt) herald.Attempt {
	a.ResponseBody = ""
	if a.StatusCode >= 300 && a.StatusCode < 400 {
		a.Error = "redirect not followed"
	}
	return a
}
