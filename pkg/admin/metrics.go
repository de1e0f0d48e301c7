package admin

import "net/http"

// metrics serves the deployment's metrics (Config.Metrics). They count every
// tenant's traffic, so a token bound to one tenant or partner may not read
// them.
func (a *API) metrics(w http.ResponseWriter, r *http.Request) {
	if principal(r).Bound() {
		writeDetail(w, http.StatusForbidden, "metrics cover every tenant; this token is bound to one")
		return
	}
	a.cfg.Metrics.ServeHTTP(w, r)
}
