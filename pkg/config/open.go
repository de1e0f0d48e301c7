package config

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"
	"gocloud.dev/pubsub"
	"gocloud.dev/secrets"
)

// Resources are the topics, subscriptions and collections of a process, each
// opened once and shared by every function in it. The drivers their URLs
// name must be linked in by the program (blank imports in functions/*).
type Resources struct {
	Ingest, Deliver       *pubsub.Topic
	IngestSub, DeliverSub *pubsub.Subscription // nil unless asked for
	Webhooks, Events      *docstore.Collection
	Deliveries, Schedule  *docstore.Collection
	Applications          *docstore.Collection
	// Keeper encrypts secrets at rest; nil when HERALD_SECRETS_KEEPER is
	// unset.
	Keeper *secrets.Keeper
}

// Subscriptions says which subscriptions Open opens, and whether it opens
// the secrets keeper (HERALD_SECRETS_KEEPER: admin and deliver need it; the
// other functions do not link its drivers).
type Subscriptions struct {
	Ingest, Deliver bool
	Keeper          bool
}

// Open opens every collection, both topics and the subscriptions asked for.
// Nothing is published before Open returns, so a mem:// subscription (which
// sees only what is published after it exists) misses nothing; a memq://
// topic keeps what is sent for its default subscription from the start.
func (c Config) Open(ctx context.Context, subs Subscriptions) (_ *Resources, err error) {
	r := &Resources{}
	defer func() {
		if err != nil {
			_ = r.Close(ctx)
		}
	}()
	colls := []struct {
		dst **docstore.Collection
		url string
	}{
		{&r.Webhooks, c.WebhooksCollection}, {&r.Events, c.EventsCollection},
		{&r.Deliveries, c.DeliveriesCollection}, {&r.Schedule, c.ScheduleCollection},
		{&r.Applications, c.ApplicationsCollection},
	}
	for _, cl := range colls {
		if *cl.dst, err = docstore.OpenCollection(ctx, cl.url); err != nil {
			return nil, fmt.Errorf("open collection %s: %w", cl.url, err)
		}
	}
	if subs.Keeper && c.SecretsKeeper != "" {
		if r.Keeper, err = secrets.OpenKeeper(ctx, c.SecretsKeeper); err != nil {
			// The URL may hold a key: show its scheme and the error's code,
			// never the URL.
			scheme, _, _ := strings.Cut(c.SecretsKeeper, "://")
			return nil, fmt.Errorf("open secrets keeper %s://…: %v", scheme, gcerrors.Code(err))
		}
	}
	if r.Ingest, err = pubsub.OpenTopic(ctx, c.IngestTopic); err != nil {
		return nil, fmt.Errorf("open ingest topic: %w", err)
	}
	if r.Deliver, err = pubsub.OpenTopic(ctx, c.DeliverTopic); err != nil {
		return nil, fmt.Errorf("open deliver topic: %w", err)
	}
	if subs.Ingest {
		if r.IngestSub, err = pubsub.OpenSubscription(ctx, c.IngestSubscription); err != nil {
			return nil, fmt.Errorf("open ingest subscription: %w", err)
		}
	}
	if subs.Deliver {
		if r.DeliverSub, err = pubsub.OpenSubscription(ctx, c.DeliverSubscription); err != nil {
			return nil, fmt.Errorf("open deliver subscription: %w", err)
		}
	}
	return r, nil
}

// Close shuts everything down: subscriptions (flushing acks), topics
// (flushing sends), then collections — closing a mem:// collection with a
// filename writes its snapshot.
func (r *Resources) Close(ctx context.Context) error {
	var errs []error
	for _, s := range []*pubsub.Subscription{r.IngestSub, r.DeliverSub} {
		if s != nil {
			errs = append(errs, s.Shutdown(ctx))
		}
	}
	for _, t := range []*pubsub.Topic{r.Ingest, r.Deliver} {
		if t != nil {
			errs = append(errs, t.Shutdown(ctx))
		}
	}
	if r.Keeper != nil {
		errs = append(errs, r.Keeper.Close())
	}
	for _, c := range []*docstore.Collection{r.Webhooks, r.Events, r.Deliveries, r.Schedule, r.Applications} {
		if c != nil {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}
