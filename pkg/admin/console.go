package admin

import (
	"net/http"
	"strings"
)

// consolePrefix is where Config.Console is served.
const consolePrefix = "/console/"

// withConsole serves the console, when there is one, at /console/ (and
// redirects /console there) in front of the API's routes. The console is a
// set of static files that call the API like any client: it is no route of
// the API and not in its OpenAPI document.
func (a *API) withConsole(api http.Handler) http.Handler {
	if a.cfg.Console == nil {
		return api
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == strings.TrimSuffix(consolePrefix, "/"):
			http.Redirect(w, r, consolePrefix, http.StatusMovedPermanently)
		case strings.HasPrefix(r.URL.Path, consolePrefix):
			a.cfg.Console.ServeHTTP(w, r)
		default:
			api.ServeHTTP(w, r)
		}
	})
}
