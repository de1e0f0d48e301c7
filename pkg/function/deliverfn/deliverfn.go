// Package deliverfn builds the deliver function from a function.Env: what it
// opens (Needs) and the handler (Build).
package deliverfn

import (
	"time"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/function"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
)

// Needs is what deliver opens: webhooks (read, and their health written),
// events (read), deliveries (claimed and recorded), the schedule and deliver
// topic of retries, the channel of Herald's own events, the keeper that
// opens signing secrets, and the deliver subscription (not on Lambda).
func Needs(config.Config) config.Needs {
	return config.Needs{Webhooks: true, Events: true, Deliveries: true, Schedule: true,
		OwnEventsTopic: true, DeliverTopic: true, DeliverSub: true, Keeper: true}
}

// Build builds the deliver function.
func Build(e function.Env) (*deliver.Handler, error) {
	e.Defaults()
	enq, err := function.Enqueuer(e)
	if err != nil {
		return nil, err
	}
	sealer, err := function.Sealer(e)
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
		Deliveries: e.Res.Deliveries, Enqueuer: enq, Ingest: e.Res.OwnEvents, Client: client, Sealer: sealer, MaxSending: c.DeliverConcurrency,
		HeaderPrefix: c.HeaderPrefix, HexSignature: c.HexSignature, Schedule: c.RetrySchedule, Timeout: c.DeliveryTimeout,
		Table: e.Table, EventCache: e.Events, Preclaims: e.Preclaims, SoleOwner: e.SoleOwner, Revision: e.Revision, Retention: c.Retention,
		Metrics: e.Metrics, Now: e.Now, Logger: e.Log("deliver")})
}

// Jobs is how many deliver jobs a long-running consumer handles at once:
// deliver.JobsPerSend per request slot of HERALD_DELIVER_CONCURRENCY.
func Jobs(c config.Config) int { return c.DeliverConcurrency * deliver.JobsPerSend }
