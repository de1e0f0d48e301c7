package admin

import (
	"net/http"

	"github.com/heraldhq/herald/pkg/herald"
)

// routes registers every endpoint with the scope it requires; the OpenAPI
// tests read the patterns from this file's source.
func (a *API) routes() http.Handler {
	const (
		read    = herald.ScopeWebhooksRead
		write   = herald.ScopeWebhooksWrite
		publish = herald.ScopeEventsPublish
		appRead = herald.ScopeAdminRead
		admin   = herald.ScopeAdminWrite
		anyone  = "" // any valid token
	)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /openapi.json", a.openAPI)
	mux.HandleFunc("POST /oauth/token", a.token)
	if a.cfg.Metrics != nil {
		mux.Handle("GET /metrics", a.auth(read, a.metrics))
	}

	mux.Handle("GET /api/v1/admin/whoami", a.auth(anyone, a.whoami))

	const hooks = "/api/v1/admin/webhooks/"
	const hook = hooks + "{webhook_id}"
	mux.Handle("GET "+hooks+"{$}", a.auth(read, a.listWebhooks))
	mux.Handle("POST "+hooks+"{$}", a.auth(write, a.createWebhook))
	mux.Handle("GET "+hooks+"events", a.auth(read, a.listEventTypes))
	mux.Handle("GET "+hook, a.auth(read, a.getWebhook))
	mux.Handle("PATCH "+hook, a.auth(write, a.patchWebhook))
	mux.Handle("DELETE "+hook, a.auth(write, a.deleteWebhook))
	mux.Handle("GET "+hook+"/deliveries", a.auth(read, a.listDeliveries))
	mux.Handle("GET "+hook+"/deliveries/{delivery_id}", a.auth(read, a.getDelivery))
	mux.Handle("POST "+hook+"/deliveries/{delivery_id}/retry", a.auth(write, a.retryDelivery))
	mux.Handle("POST "+hook+"/recover", a.auth(write, a.recoverDeliveries))
	mux.Handle("POST "+hook+"/rotate-secret", a.auth(write, a.rotateSecret))
	mux.Handle("GET "+hook+"/stats", a.auth(read, a.webhookStats))
	mux.Handle("POST "+hook+"/test", a.auth(write, a.testWebhook))
	mux.Handle("POST "+hook+"/pause", a.auth(write, a.pauseWebhook))
	mux.Handle("POST "+hook+"/resume", a.auth(write, a.resumeWebhook))
	mux.Handle("POST "+hook+"/validate", a.auth(write, a.validateWebhook))
	mux.Handle("GET /api/v1/admin/deliveries", a.auth(read, a.deliveryLog))
	mux.Handle("POST /api/v1/events", a.auth(publish, a.publishEvent))

	const apps = "/api/v1/admin/applications/"
	const app = apps + "{application_id}"
	mux.Handle("GET "+apps+"{$}", a.auth(appRead, a.listApplications))
	mux.Handle("POST "+apps+"{$}", a.auth(admin, a.createApplication))
	mux.Handle("GET "+app, a.auth(appRead, a.getApplication))
	mux.Handle("PATCH "+app, a.auth(admin, a.patchApplication))
	mux.Handle("DELETE "+app, a.auth(admin, a.deleteApplication))
	mux.Handle("POST "+app+"/rotate-secret", a.auth(admin, a.rotateApplicationSecret))
	return unmatchedAsJSON(mux)
}

// healthz is GET /healthz: the process is up.
func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
