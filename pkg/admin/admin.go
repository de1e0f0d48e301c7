// Package admin is the admin function: a thin HTTP API over webhooks,
// deliveries and event publishing (DESIGN §6). It is one http.Handler, served
// by net/http in long-running mode and wrapped for Lambda Function URLs.
package admin

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/retry"
	"github.com/heraldhq/herald/pkg/schedule"
	"github.com/heraldhq/herald/pkg/signature"
)

// Config configures the API.
type Config struct {
	// Webhooks, Events and Deliveries are the collections. Required.
	Webhooks   *docstore.Collection
	Events     *docstore.Collection
	Deliveries *docstore.Collection
	// Ingest is the ingest topic POST /api/v1/events publishes to. Required.
	Ingest *pubsub.Topic
	// Enqueuer enqueues manual retries and resumed deliveries. Required.
	Enqueuer schedule.JobEnqueuer
	// AdminToken is the bootstrap bearer token, with every scope. Required.
	AdminToken string
	// Parser validates published events. Defaults to envelope.New with its
	// defaults.
	Parser *envelope.Parser
	// Schedule is the deployment's retry schedule, shown for webhooks
	// without their own. Defaults to retry.Default().
	Schedule retry.Schedule
	// HeaderPrefix is the deployment's header prefix; custom headers may not
	// use it. Defaults to "X-Herald-".
	HeaderPrefix string
	// AllowPrivateTargets accepts webhook URLs on loopback and private
	// addresses. Defaults to false.
	AllowPrivateTargets bool
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
}

// API is the admin HTTP API.
type API struct {
	cfg     Config
	handler http.Handler
}

// New returns the API for cfg.
func New(cfg Config) (*API, error) {
	if cfg.Webhooks == nil || cfg.Events == nil || cfg.Deliveries == nil || cfg.Ingest == nil || cfg.Enqueuer == nil {
		return nil, errors.New("admin: Webhooks, Events, Deliveries, Ingest and Enqueuer are required")
	}
	if cfg.AdminToken == "" {
		return nil, errors.New("admin: AdminToken is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Parser == nil {
		cfg.Parser = envelope.New(envelope.Config{Now: cfg.Now})
	}
	if cfg.HeaderPrefix == "" {
		cfg.HeaderPrefix = signature.DefaultPrefix
	}
	if len(cfg.Schedule) == 0 {
		cfg.Schedule = retry.Default()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a := &API{cfg: cfg}
	a.handler = a.recoverPanics(a.routes())
	return a, nil
}

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

func (a *API) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.healthz)

	const hooks = "/api/v1/admin/webhooks/"
	const hook = hooks + "{webhook_id}"
	mux.Handle("GET "+hooks+"{$}", a.auth(a.listWebhooks))
	mux.Handle("POST "+hooks+"{$}", a.auth(a.createWebhook))
	mux.Handle("GET "+hook, a.auth(a.getWebhook))
	mux.Handle("PATCH "+hook, a.auth(a.patchWebhook))
	mux.Handle("DELETE "+hook, a.auth(a.deleteWebhook))
	mux.Handle("GET "+hook+"/deliveries", a.auth(a.listDeliveries))
	mux.Handle("GET "+hook+"/deliveries/{delivery_id}", a.auth(a.getDelivery))
	mux.Handle("POST "+hook+"/deliveries/{delivery_id}/retry", a.auth(a.retryDelivery))
	mux.Handle("POST /api/v1/events", a.auth(a.publishEvent))

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeDetail(w, http.StatusNotFound, "Not Found")
	})
	return mux
}

func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
