// Package wire builds each Herald function's domain handler from the
// configuration and the opened resources, the same way for every mode: local
// mode builds all five in one process, each functions/<name> binary builds its
// own.
package wire

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/metrics"
	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/schedule"
)

// Env is what every builder needs.
type Env struct {
	// Config is the configuration. Required.
	Config config.Config
	// Res are the opened resources. Required.
	Res *config.Resources
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// OnSchedule is passed to the Enqueuer (see schedule.EnqueuerConfig).
	OnSchedule func(due time.Time)
	// Function is the name of the function being run ("ingest", …; "" in
	// local mode), for metrics. Set by Main.
	Function string
	// Metrics, when set, is what the functions count into: ingest counts
	// events and deliveries, the admin API serves it at GET /metrics.
	// Defaults to nil: no metrics.
	Metrics *metrics.Metrics
	// Table and Events are the process's webhook table and event cache,
	// shared by its functions (see LocalCaches and EventCache). Defaults to
	// nil: none.
	Table  *cache.Webhooks
	Events *cache.Events
	// SoleOwner is passed to ingest (see ingest.Config).
	SoleOwner bool
	// MetricsAddr, when set, is where Main serves GET /metrics in
	// long-running mode (HERALD_METRICS_ADDR), for the functions that have
	// no HTTP server of their own. Defaults to "": not served.
	MetricsAddr string
}

func (e *Env) defaults() {
	if e.Logger == nil {
		e.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if e.Now == nil {
		e.Now = time.Now
	}
}

// logger returns the logger of function: Logger, labelled with the
// function's name unless Main labelled it already (a JSON object with the
// key twice is not one every reader takes).
func (e *Env) logger(function string) *slog.Logger {
	if e.Function != "" {
		return e.Logger
	}
	return e.Logger.With("function", function)
}

// eventCacheSize bounds the events a process caches: with each at most
// cache.MaxEventBytes, 16 MiB at worst (a deliver Lambda has 256 MB).
const eventCacheSize = 1024

// EventCache builds the event cache of a process that delivers, into e.
func EventCache(e *Env) {
	e.defaults()
	e.Events = cache.NewEvents(eventCacheSize, e.Config.Retention, e.Now)
}

// LocalCaches builds the caches of local mode, whose one process makes
// every write: the event cache and, unless HERALD_WEBHOOK_CACHE is 0, the
// webhook table, kept current by every function's writes. Separate processes
// read webhooks from the store: another process's write would not reach
// their tables.
func LocalCaches(e *Env) {
	EventCache(e)
	if e.Config.WebhookCache > 0 {
		e.Table = cache.NewWebhooks(cache.WebhooksConfig{Collection: e.Res.Webhooks,
			Interval: e.Config.WebhookCache, Now: e.Now, Logger: e.Logger})
	}
}

// Enqueuer builds the deliver-job enqueuer.
func Enqueuer(e Env) (*schedule.Enqueuer, error) {
	e.defaults()
	return schedule.NewEnqueuer(schedule.EnqueuerConfig{Topic: e.Res.Deliver, Table: e.Res.Schedule,
		Now: e.Now, OnSchedule: e.OnSchedule})
}

func parser(e Env) *envelope.Parser {
	return envelope.New(envelope.Config{MaxBytes: e.Config.MaxEventBytes, Now: e.Now})
}

// Scheduler builds the retry-scheduler.
func Scheduler(e Env) (*schedule.Scheduler, error) {
	e.defaults()
	return schedule.New(schedule.Config{Topic: e.Res.Deliver, Table: e.Res.Schedule,
		Deliveries: e.Res.Deliveries, Now: e.Now, SweepGrace: e.Config.SweepGrace,
		SweepInterval: e.Config.SweepInterval,
		Logger:        e.logger("retry-scheduler")})
}

// Ingest builds the ingest function.
func Ingest(e Env) (*ingest.Handler, error) {
	e.defaults()
	enq, err := Enqueuer(e)
	if err != nil {
		return nil, err
	}
	return ingest.New(ingest.Config{Webhooks: e.Res.Webhooks, Events: e.Res.Events,
		Deliveries: e.Res.Deliveries, Enqueuer: enq, Parser: parser(e), Metrics: e.Metrics, Now: e.Now,
		Table: e.Table, EventCache: e.Events, SoleOwner: e.SoleOwner,
		Logger: e.logger("ingest")})
}

// Deliver builds the deliver function.
func Deliver(e Env) (*deliver.Handler, error) {
	e.defaults()
	enq, err := Enqueuer(e)
	if err != nil {
		return nil, err
	}
	sealer, err := Sealer(e)
	if err != nil {
		return nil, err
	}
	c := e.Config
	// Each attempt has its own deadline (the webhook's timeout_seconds, or
	// the deployment's); the shared client's bound is only the largest one.
	client := outbound.NewClient(outbound.ClientConfig{Timeout: max(c.DeliveryTimeout, herald.MaxTimeoutSeconds*time.Second),
		AllowPrivate: c.AllowPrivateTargets, AllowedTargets: c.AllowedTargetCIDRs,
		RequireHTTPS: c.RequireHTTPS, MaxConnsPerHost: c.DeliverConcurrency})
	return deliver.New(deliver.Config{Webhooks: e.Res.Webhooks, Events: e.Res.Events,
		Deliveries: e.Res.Deliveries, Enqueuer: enq, Ingest: e.Res.Ingest, Client: client, Sealer: sealer,
		HeaderPrefix: c.HeaderPrefix, Schedule: c.RetrySchedule, Timeout: c.DeliveryTimeout,
		Table: e.Table, EventCache: e.Events,
		Metrics: e.Metrics, Now: e.Now, Logger: e.logger("deliver")})
}

// Expiry builds the expiry-notifier.
func Expiry(e Env) (*expiry.Notifier, error) {
	e.defaults()
	enq, err := Enqueuer(e)
	if err != nil {
		return nil, err
	}
	c := e.Config
	return expiry.New(expiry.Config{Webhooks: e.Res.Webhooks, Events: e.Res.Events,
		Deliveries: e.Res.Deliveries, Applications: e.Res.Applications, Ingest: e.Res.Ingest,
		Enqueuer: enq, Retention: c.Retention, Table: e.Table,
		PauseHold: c.PauseHold, Interval: c.ExpiryInterval, Now: e.Now,
		Logger: e.logger("expiry-notifier")})
}

// Admin builds the admin API.
func Admin(e Env) (*admin.API, error) {
	e.defaults()
	enq, err := Enqueuer(e)
	if err != nil {
		return nil, err
	}
	sealer, err := Sealer(e)
	if err != nil {
		return nil, err
	}
	authn, err := Auth(e)
	if err != nil {
		return nil, err
	}
	c := e.Config
	// Test and validation calls honour the webhook's timeout_seconds, as
	// deliveries do: the client's bound is the largest one.
	client := outbound.NewClient(outbound.ClientConfig{Timeout: max(c.DeliveryTimeout, herald.MaxTimeoutSeconds*time.Second),
		AllowPrivate: c.AllowPrivateTargets, AllowedTargets: c.AllowedTargetCIDRs, RequireHTTPS: c.RequireHTTPS})
	var metricsHandler http.Handler
	if e.Metrics != nil {
		metricsHandler = e.Metrics.Handler()
	}
	return admin.New(admin.Config{Webhooks: e.Res.Webhooks, Table: e.Table, Events: e.Res.Events,
		Deliveries: e.Res.Deliveries, Applications: e.Res.Applications, Ingest: e.Res.Ingest,
		Enqueuer: enq, Auth: authn, Sealer: sealer, Client: client, DeliveryTimeout: c.DeliveryTimeout,
		Parser: parser(e), HeaderPrefix: c.HeaderPrefix, Schedule: c.RetrySchedule,
		AllowPrivateTargets: c.AllowPrivateTargets, AllowedTargets: c.AllowedTargetCIDRs,
		RequireHTTPS: c.RequireHTTPS, Metrics: metricsHandler, Now: e.Now,
		Logger: e.logger("admin")})
}
