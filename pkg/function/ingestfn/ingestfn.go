// Package ingestfn builds the ingest function from a function.Env: what it
// opens (Needs) and the handler (Build).
package ingestfn

import (
	"context"
	"errors"

	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/function"
	"github.com/heraldhq/herald/pkg/ingest"
)

// Needs is what ingest opens: the webhooks it fans out to, the events and
// deliveries it writes, the schedule and deliver topic of first attempts,
// the own-events topic a paused webhook's overflow is announced on, and the
// subscriptions it receives from: ingest's and, when configured, the
// channel of Herald's own events (neither on Lambda, where the event source
// mappings receive).
func Needs(config.Config) config.Needs {
	return config.Needs{Webhooks: true, Events: true, Deliveries: true, Schedule: true,
		DeliverTopic: true, OwnEventsTopic: true, IngestSub: true, OwnEventsSub: true}
}

// Build builds the ingest function.
func Build(e function.Env) (*ingest.Handler, error) {
	e.Defaults()
	enq, err := function.Enqueuer(e)
	if err != nil {
		return nil, err
	}
	table := e.Table
	if table == nil && e.Revision != nil && e.Config.WebhookCache > 0 {
		// A table of its own, read again when the revision moved: no scan
		// of the webhooks per event.
		table = cache.NewWebhooks(cache.WebhooksConfig{Collection: e.Res.Webhooks, Revision: e.Revision,
			Interval: e.Config.WebhookCache, Now: e.Now, Logger: e.Log("ingest")})
	}
	return ingest.New(ingest.Config{Webhooks: e.Res.Webhooks, Events: e.Res.Events, Retention: e.Config.Retention,
		Deliveries: e.Res.Deliveries, Enqueuer: enq, Parser: function.Parser(e), Metrics: e.Metrics, Now: e.Now,
		Table: table, EventCache: e.Events, Preclaims: e.Preclaims, SoleOwner: e.SoleOwner, OwnEvents: e.Res.OwnEvents,
		// With a channel of their own, Herald's events are taken from it
		// alone (HandleOwn).
		RefuseOwnEvents: e.Config.OwnEventsSubscription != "",
		Logger:          e.Log("ingest")})
}

// Route picks the handler of a record from the queue arn on Lambda: the
// own-events queue (HERALD_OWN_EVENTS_SUBSCRIPTION) is handled by HandleOwn,
// every other queue by Handle.
func Route(c config.Config, h *ingest.Handler) func(arn string) consume.Handler {
	return func(arn string) consume.Handler {
		if c.OwnEventsSubscription != "" && awslambda.IsQueue(arn, c.OwnEventsSubscription) {
			return h.HandleOwn
		}
		return h.Handle
	}
}

// Run receives in long-running mode: the ingest subscription with Handle
// and, when there is one, the own-events subscription with HandleOwn, each
// opened again when it fails, until ctx ends.
func Run(ctx context.Context, env function.Env, h *ingest.Handler) error {
	cfg := consume.Config{Concurrency: env.Config.IngestConcurrency,
		Metrics: env.Metrics, Function: env.Function, Logger: env.Logger}
	ingestSub := function.Reopen(env.Config.IngestSubscription)
	if env.Res.OwnEventsSub == nil {
		return consume.RunReopening(ctx, env.Res.IngestSub, ingestSub, h.Handle, cfg)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	own := make(chan error, 1)
	go func() {
		err := consume.RunReopening(ctx, env.Res.OwnEventsSub, function.Reopen(env.Config.OwnEventsSubscription), h.HandleOwn, cfg)
		cancel()
		own <- err
	}()
	err := consume.RunReopening(ctx, env.Res.IngestSub, ingestSub, h.Handle, cfg)
	cancel()
	return errors.Join(err, <-own)
}
