package admin

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/heraldhq/herald/pkg/auth"
)

type principalKey struct{}

// auth admits requests whose bearer token authenticates and holds scope
// (any valid token when scope is "");
// the principal is then in the request's context (see principal). 401
// without a valid token, 403 without the scope.
func (a *API) auth(scope string, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r)
		var p *auth.Principal
		err := auth.ErrUnauthenticated
		if ok {
			p, err = a.cfg.Auth.Authenticate(r.Context(), token)
		}
		switch {
		case errors.Is(err, auth.ErrUnauthenticated):
			w.Header().Set("WWW-Authenticate", `Bearer realm="herald"`)
			writeDetail(w, http.StatusUnauthorized, "Not authenticated")
			return
		case errors.Is(err, auth.ErrKeysUnavailable):
			// The key fetch logs each failure streak with its URL and cause;
			// one line per refused request would flood the log.
			a.cfg.Logger.Debug("identity provider keys unavailable", "error", err)
			writeDetail(w, http.StatusServiceUnavailable, "temporarily unavailable, try again")
			return
		case err != nil:
			a.storeFailed(w, r, err)
			return
		case scope != "" && !p.Has(scope):
			w.Header().Set("WWW-Authenticate", `Bearer realm="herald", error="insufficient_scope", scope="`+scope+`"`)
			writeDetail(w, http.StatusForbidden, "this token lacks the "+scope+" scope")
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	})
}

// principal returns the caller of a request admitted by auth.
func principal(r *http.Request) *auth.Principal {
	p, _ := r.Context().Value(principalKey{}).(*auth.Principal)
	if p == nil {
		// Unreachable behind auth; a caller without a principal sees nothing.
		return &auth.Principal{TenantID: "\x00"}
	}
	return p
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
