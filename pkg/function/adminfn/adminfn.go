// Package adminfn builds the admin API from a function.Env: what it opens
// (Needs) and the handler (Build).
package adminfn

import (
	"net/http"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/console"
	"github.com/heraldhq/herald/pkg/function"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
)

// Needs is what the admin API opens: every collection, the topics (events
// published over HTTP go to ingest, its own audit events to the own-events
// channel, retries and resumes to deliver) and the keeper of signing
// secrets.
func Needs(config.Config) config.Needs {
	return config.Needs{Webhooks: true, Events: true, Deliveries: true, Schedule: true,
		Applications: true, IngestTopic: true, DeliverTopic: true, OwnEventsTopic: true, Keeper: true}
}

// Build builds the admin API.
func Build(e function.Env) (*admin.API, error) {
	e.Defaults()
	enq, err := function.Enqueuer(e)
	if err != nil {
		return nil, err
	}
	sealer, err := function.Sealer(e)
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
	var consoleHandler http.Handler
	if c.Console {
		consoleHandler = console.Handler()
	}
	return admin.New(admin.Config{Webhooks: e.Res.Webhooks, Table: e.Table, Revision: e.Revision, Events: e.Res.Events,
		Deliveries: e.Res.Deliveries, Applications: e.Res.Applications, Ingest: e.Res.Ingest, OwnEvents: e.Res.OwnEvents,
		Enqueuer: enq, Preclaims: e.Preclaims, ScheduleTable: e.Res.Schedule, OnSchedule: e.OnSchedule,
		Auth: authn, Sealer: sealer, Client: client, DeliveryTimeout: c.DeliveryTimeout,
		Parser: function.Parser(e), HeaderPrefix: c.HeaderPrefix, HexSignature: c.HexSignature, ValidationOrigin: c.ValidationOrigin, Schedule: c.RetrySchedule,
		AllowPrivateTargets: c.AllowPrivateTargets, AllowedTargets: c.AllowedTargetCIDRs,
		RequireHTTPS: c.RequireHTTPS, Metrics: metricsHandler, Console: consoleHandler, Now: e.Now,
		Logger: e.Log("admin")})
}
