// Package function holds what every Herald function's builder shares: the
// environment a builder is given (configuration, opened resources, logger,
// clock, caches, metrics), the deliver-job enqueuer, the event parser, the
// sealer, and Main, the body of each functions/<name> binary.
//
// Each function has its own builder package (adminfn, ingestfn, deliverfn,
// schedulerfn, expiryfn) with its Needs (what it opens) and Build, so that a
// function's binary links only its own packages: this package imports none of them.
// Local mode builds all five in one process.
package function

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/enqueue"
	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/metrics"
	"github.com/heraldhq/herald/pkg/seal"
	"github.com/heraldhq/herald/pkg/store"
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
	// OnSchedule is passed to the Enqueuer (see enqueue.Config).
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
	// Preclaims are the first attempts ingest claims for deliver, in local
	// mode's one process (see store.Preclaims). Defaults to nil: none.
	Preclaims *store.Preclaims
	// Revision is the webhooks' revision (see store.Revision), set by Main
	// for separate processes: writers bump it, and ingest's table reads it
	// to know when to read the webhooks again. Defaults to nil: local
	// mode's one process tells its table of every write directly.
	Revision *store.Revision
	// SoleOwner is passed to ingest and deliver (see their Config).
	SoleOwner bool
	// MetricsAddr, when set, is where Main serves GET /metrics in
	// long-running mode (HERALD_METRICS_ADDR), for the functions that have
	// no HTTP server of their own. Defaults to "": not served.
	MetricsAddr string
}

// Defaults fills the fields left zero that have defaults.
func (e *Env) Defaults() {
	if e.Logger == nil {
		e.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if e.Now == nil {
		e.Now = time.Now
	}
}

// Log returns the logger of function: Logger, labelled with the function's
// name unless Main labelled it already (a JSON object with the key twice is
// not one every reader takes).
func (e *Env) Log(function string) *slog.Logger {
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
	e.Defaults()
	e.Events = cache.NewEvents(eventCacheSize, e.Config.Retention, e.Now)
}

// LocalCaches builds the caches of local mode, whose one process makes
// every write: the event cache, the table of preclaimed first attempts
// and, unless HERALD_WEBHOOK_CACHE is 0, the webhook table, kept current
// by every function's writes. Separate processes
// read webhooks from the store: another process's write would not reach
// their tables.
func LocalCaches(e *Env) {
	EventCache(e)
	e.Preclaims = store.NewPreclaims(e.Config.DeliveryTimeout)
	if e.Config.WebhookCache > 0 {
		e.Table = cache.NewWebhooks(cache.WebhooksConfig{Collection: e.Res.Webhooks,
			Interval: e.Config.WebhookCache, Now: e.Now, Logger: e.Logger})
	}
}

// Parser builds the event parser. The admin API (POST /api/v1/events) and
// ingest (the ingest topic) both use it, so an event is read the same way
// whichever way it comes.
func Parser(e Env) *envelope.Parser {
	return envelope.New(envelope.Config{MaxBytes: e.Config.MaxEventBytes, Now: e.Now,
		TypeFields: e.Config.EventTypeFields, DefaultType: e.Config.DefaultEventType})
}

// Enqueuer builds the deliver-job enqueuer (the deliver topic, with its
// native delay, and the schedule collection).
func Enqueuer(e Env) (*enqueue.Enqueuer, error) {
	e.Defaults()
	return enqueue.New(enqueue.Config{Topic: e.Res.Deliver, Table: e.Res.Schedule,
		Delayer: Delayer(e.Res.Deliver), Now: e.Now, OnSchedule: e.OnSchedule})
}

// Sealer builds the sealer of signing secrets over the opened keeper.
func Sealer(e Env) (*seal.Sealer, error) {
	if e.Res.Keeper == nil {
		return nil, errors.New("HERALD_SECRETS_KEEPER is required: signing secrets are encrypted at rest")
	}
	return seal.New(e.Res.Keeper), nil
}

// Reopen opens the subscription at url again, for consume.RunReopening.
func Reopen(url string) consume.Opener {
	return func(ctx context.Context) (*pubsub.Subscription, error) { return pubsub.OpenSubscription(ctx, url) }
}

// Lambda returns the Lambda adapter's configuration: the function's name,
// metrics and logger.
func (e *Env) Lambda() awslambda.Config {
	return awslambda.Config{Function: e.Function, Metrics: e.Metrics, Logger: e.Logger}
}
