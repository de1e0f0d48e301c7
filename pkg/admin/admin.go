package admin

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/auth"
	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/retry"
	"github.com/heraldhq/herald/pkg/seal"
	"github.com/heraldhq/herald/pkg/signature"
	"github.com/heraldhq/herald/pkg/store"
)

// Config configures the API.
type Config struct {
	// Webhooks, Events, Deliveries and Applications are the collections.
	// Required.
	Webhooks *docstore.Collection
	// Table, when set, is told of every webhook the API writes, so the
	// functions of the same process that read it see the write at once.
	Table *cache.Webhooks
	// Revision, when set, is bumped after every webhook the API writes, so
	// the webhook tables of other processes (ingest's) read them again.
	// Defaults to nil: none (a process whose Table is every reader's).
	Revision     *store.Revision
	Events       *docstore.Collection
	Deliveries   *docstore.Collection
	Applications *docstore.Collection
	// Ingest is the ingest topic POST /api/v1/events publishes to. Required.
	Ingest *pubsub.Topic
	// OwnEvents is where the API's own audit events (webhook.*,
	// application.*) are published: the channel ingest trusts with reserved
	// event types. Defaults to Ingest.
	OwnEvents *pubsub.Topic
	// Enqueuer enqueues manual retries and resumed deliveries. Required.
	Enqueuer store.Enqueuer
	// Preclaims, when set, are the first attempts ingest of the same
	// process claimed for deliver (see store.Preclaims): a retry of a
	// delivery whose preclaim ran out untaken makes its first attempt.
	// Defaults to nil: none.
	Preclaims *store.Preclaims
	// ScheduleTable is the schedule collection, where POST …/recover writes
	// the recovery the retry-scheduler carries out (see store.Recovery).
	// Required.
	ScheduleTable *docstore.Collection
	// OnSchedule, when set, is told the due time of every recovery written
	// (see enqueue.Config.OnSchedule). Defaults to nil.
	OnSchedule func(due time.Time)
	// Auth authenticates bearer tokens. Required.
	Auth *auth.Authenticator
	// Sealer encrypts webhook signing secrets at rest. Required.
	Sealer *seal.Sealer
	// DeliveryTimeout bounds a test or validation call to a webhook without
	// its own timeout_seconds. Defaults to 10s.
	DeliveryTimeout time.Duration
	// ValidationOrigin is the origin of the validation call's body
	// (HERALD_VALIDATION_ORIGIN), so receivers can tell it from an event.
	// Defaults to validation.DefaultOrigin.
	ValidationOrigin string
	// Client sends test and validation requests. Defaults to a client that
	// applies AllowPrivateTargets, AllowedTargets and RequireHTTPS.
	Client *http.Client
	// Parser validates published events. Defaults to envelope.New with its
	// defaults.
	Parser *envelope.Parser
	// Schedule is the deployment's retry schedule, shown for webhooks
	// without their own. Defaults to retry.Default().
	Schedule retry.Schedule
	// HeaderPrefix is the deployment's header prefix; custom headers may not
	// use it. Defaults to "X-Herald-".
	HeaderPrefix string
	// HexSignature is what the hex signature header of test and
	// validation calls carries (HERALD_HEX_SIGNATURE). Defaults to
	// signature.HexSHA256.
	HexSignature signature.HexMode
	// AllowPrivateTargets accepts webhook URLs on loopback and private
	// addresses. Defaults to false.
	AllowPrivateTargets bool
	// Metrics, when set, is served at GET /metrics (the Prometheus text
	// format) to callers with webhooks:read that are bound to no tenant;
	// Prometheus sends the token as its bearer token. Defaults to nil: no
	// /metrics route.
	Metrics http.Handler
	// Console, when set, is served at /console/ (pkg/console's Handler):
	// static files of a browser client of this API. Defaults to nil: none.
	Console http.Handler
	// AllowedTargets are ranges webhook URLs may point at even when
	// AllowPrivateTargets is false, and over plain http even when
	// RequireHTTPS. Defaults to none.
	AllowedTargets []netip.Prefix
	// RequireHTTPS refuses plain-http webhook URLs except to private (when
	// allowed) or allow-listed addresses. Defaults to false.
	RequireHTTPS bool
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
	if cfg.Webhooks == nil || cfg.Events == nil || cfg.Deliveries == nil || cfg.Applications == nil ||
		cfg.ScheduleTable == nil || cfg.Ingest == nil || cfg.Enqueuer == nil {
		return nil, errors.New("admin: Webhooks, Events, Deliveries, Applications, ScheduleTable, Ingest and Enqueuer are required")
	}
	if cfg.OwnEvents == nil {
		cfg.OwnEvents = cfg.Ingest
	}
	if cfg.Auth == nil || cfg.Sealer == nil {
		return nil, errors.New("admin: Auth and Sealer are required")
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
	if cfg.DeliveryTimeout <= 0 {
		cfg.DeliveryTimeout = 10 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = outbound.NewClient(outbound.ClientConfig{AllowPrivate: cfg.AllowPrivateTargets,
			AllowedTargets: cfg.AllowedTargets, RequireHTTPS: cfg.RequireHTTPS})
	}
	a := &API{cfg: cfg}
	a.handler = a.recoverPanics(a.withConsole(a.routes()))
	return a, nil
}

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }
