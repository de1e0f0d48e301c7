// Package expiryfn builds the expiry-notifier from a function.Env: what it
// opens (Needs) and the notifier (Build).
package expiryfn

import (
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/function"
)

// Needs is what the expiry-notifier opens: the webhooks and applications
// whose secrets expire, the deliveries it releases from holds and, unless the
// store deletes by age itself (DynamoDB's TTL), the events it deletes, the schedule and deliver topic of released
// deliveries, and the channel of Herald's own events.
func Needs(c config.Config) config.Needs {
	return config.Needs{Webhooks: true, Events: !c.TTL(), Deliveries: true, Schedule: true,
		Applications: true, OwnEventsTopic: true, DeliverTopic: true}
}

// Build builds the expiry-notifier.
func Build(e function.Env) (*expiry.Notifier, error) {
	e.Defaults()
	enq, err := function.Enqueuer(e)
	if err != nil {
		return nil, err
	}
	c := e.Config
	return expiry.New(expiry.Config{Webhooks: e.Res.Webhooks, Events: e.Res.Events,
		Deliveries: e.Res.Deliveries, Applications: e.Res.Applications, Ingest: e.Res.OwnEvents,
		Enqueuer: enq, Retention: c.Retention, TTL: c.TTL(), Revision: e.Revision, Table: e.Table,
		PauseHold: c.PauseHold, Interval: c.ExpiryInterval, Now: e.Now,
		Logger: e.Log("expiry-notifier")})
}
