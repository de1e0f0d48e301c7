// Package expiryfn builds the expiry-notifier from a function.Env: what it
// opens (Needs) and the notifier (Build).
package expiryfn

import (
	"time"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/function"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/validation"
)

// Needs is what the expiry-notifier opens: the webhooks and applications
// whose secrets expire, the deliveries it releases from holds and, unless the
// store deletes by age itself (DynamoDB's TTL), the events it deletes, the schedule and deliver topic of released
// deliveries, the channel of Herald's own events and, when it re-validates
// endpoints, the keeper that opens their signing secrets.
func Needs(c config.Config) config.Needs {
	return config.Needs{Webhooks: true, Events: !c.TTL(), Deliveries: true, Schedule: true,
		Applications: true, OwnEventsTopic: true, DeliverTopic: true, Keeper: c.RevalidateInterval > 0}
}

// Build builds the expiry-notifier.
func Build(e function.Env) (*expiry.Notifier, error) {
	e.Defaults()
	enq, err := function.Enqueuer(e)
	if err != nil {
		return nil, err
	}
	c := e.Config
	var caller validation.Caller
	if c.RevalidateInterval > 0 {
		if caller, err = validationCaller(e); err != nil {
			return nil, err
		}
	}
	return expiry.New(expiry.Config{RevalidateInterval: c.RevalidateInterval, Validation: caller, Webhooks: e.Res.Webhooks, Events: e.Res.Events,
		Deliveries: e.Res.Deliveries, Applications: e.Res.Applications, Ingest: e.Res.OwnEvents,
		Enqueuer: enq, Retention: c.Retention, TTL: c.TTL(), Revision: e.Revision, Table: e.Table,
		PauseHold: c.PauseHold, Interval: c.ExpiryInterval, Now: e.Now,
		Logger: e.Log("expiry-notifier")})
}

// validationCaller builds the maker of re-validation calls: the deployment's
// header prefix, timeout, origin and target policy, as the admin API's.
func validationCaller(e function.Env) (validation.Caller, error) {
	sealer, err := function.Sealer(e)
	if err != nil {
		return validation.Caller{}, err
	}
	c := e.Config
	client := outbound.NewClient(outbound.ClientConfig{Timeout: max(c.DeliveryTimeout, herald.MaxTimeoutSeconds*time.Second),
		AllowPrivate: c.AllowPrivateTargets, AllowedTargets: c.AllowedTargetCIDRs, RequireHTTPS: c.RequireHTTPS})
	return validation.Caller{Sealer: sealer, Client: client, HeaderPrefix: c.HeaderPrefix,
		HexSignature: c.HexSignature, Timeout: c.DeliveryTimeout, Origin: c.ValidationOrigin, Now: e.Now}, nil
}
