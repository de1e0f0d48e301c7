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
// opened once and shared by every function in it; what the process does not
// need (see Needs) is nil. The drivers their URLs
// name must be linked in by the program (blank imports in functions/*).
type Resources struct {
	Ingest, Deliver       *pubsub.Topic
	IngestSub, DeliverSub *pubsub.Subscription
	// OwnEvents is where Herald's own events are published: the ingest
	// topic unless HERALD_OWN_EVENTS_TOPIC names a channel of their own.
	OwnEvents *pubsub.Topic
	// OwnEventsSub receives that channel (HERALD_OWN_EVENTS_SUBSCRIPTION);
	// nil when there is none.
	OwnEventsSub         *pubsub.Subscription
	Webhooks, Events     *docstore.Collection
	Deliveries, Schedule *docstore.Collection
	Applications         *docstore.Collection
	// Keeper encrypts secrets at rest; nil when HERALD_SECRETS_KEEPER is
	// unset.
	Keeper *secrets.Keeper
}

// Needs names what a function opens: only the collections, topics and
// subscriptions it uses, so that on AWS it is never refused a DescribeTable
// its role need not grant, and the keeper (HERALD_SECRETS_KEEPER) only where
// signing secrets are sealed or opened.
type Needs struct {
	Webhooks, Events, Deliveries, Schedule, Applications bool
	IngestTopic, DeliverTopic                            bool
	IngestSub, DeliverSub                                bool
	// OwnEventsTopic opens OwnEvents; OwnEventsSub opens OwnEventsSub when
	// HERALD_OWN_EVENTS_SUBSCRIPTION is set.
	OwnEventsTopic, OwnEventsSub bool
	Keeper                       bool
}

// Everything is what local mode's one process opens.
var Everything = Needs{Webhooks: true, Events: true, Deliveries: true, Schedule: true,
	Applications: true, IngestTopic: true, DeliverTopic: true, IngestSub: true, DeliverSub: true,
	OwnEventsTopic: true, OwnEventsSub: true, Keeper: true}

// Open opens what needs names. Nothing is published before Open returns, so
// a mem:// subscription (which sees only what is published after it exists)
// misses nothing; a memq:// topic keeps what is sent for its default
// subscription from the start.
func (c Config) Open(ctx context.Context, needs Needs) (_ *Resources, err error) {
	r := &Resources{}
	defer func() {
		if err != nil {
			_ = r.Close(ctx)
		}
	}()
	colls := []struct {
		need bool
		dst  **docstore.Collection
		url  string
	}{
		{needs.Webhooks, &r.Webhooks, c.WebhooksCollection}, {needs.Events, &r.Events, c.EventsCollection},
		{needs.Deliveries, &r.Deliveries, c.DeliveriesCollection}, {needs.Schedule, &r.Schedule, c.ScheduleCollection},
		{needs.Applications, &r.Applications, c.ApplicationsCollection},
	}
	for _, cl := range colls {
		if !cl.need {
			continue
		}
		if *cl.dst, err = docstore.OpenCollection(ctx, cl.url); err != nil {
			return nil, fmt.Errorf("open collection %s: %w", cl.url, err)
		}
	}
	if needs.Keeper && c.SecretsKeeper != "" {
		if r.Keeper, err = secrets.OpenKeeper(ctx, c.SecretsKeeper); err != nil {
			// The URL may hold a key: show its scheme and the error's code,
			// never the URL.
			scheme, _, _ := strings.Cut(c.SecretsKeeper, "://")
			return nil, fmt.Errorf("open secrets keeper %s://…: %v", scheme, gcerrors.Code(err))
		}
	}
	topics := []struct {
		need bool
		dst  **pubsub.Topic
		url  string
		name string
	}{{needs.IngestTopic, &r.Ingest, c.IngestTopic, "ingest"}, {needs.DeliverTopic, &r.Deliver, c.DeliverTopic, "deliver"}}
	for _, t := range topics {
		if !t.need {
			continue
		}
		if *t.dst, err = pubsub.OpenTopic(ctx, t.url); err != nil {
			return nil, fmt.Errorf("open %s topic: %w", t.name, err)
		}
	}
	if needs.OwnEventsTopic {
		switch {
		case c.OwnEventsTopic != "":
			if r.OwnEvents, err = pubsub.OpenTopic(ctx, c.OwnEventsTopic); err != nil {
				return nil, fmt.Errorf("open own-events topic: %w", err)
			}
		case r.Ingest != nil:
			r.OwnEvents = r.Ingest
		default:
			if r.Ingest, err = pubsub.OpenTopic(ctx, c.IngestTopic); err != nil {
				return nil, fmt.Errorf("open ingest topic: %w", err)
			}
			r.OwnEvents = r.Ingest
		}
	}
	subs := []struct {
		need bool
		dst  **pubsub.Subscription
		url  string
		name string
	}{{needs.IngestSub, &r.IngestSub, c.IngestSubscription, "ingest"}, {needs.DeliverSub, &r.DeliverSub, c.DeliverSubscription, "deliver"},
		{needs.OwnEventsSub && c.OwnEventsSubscription != "", &r.OwnEventsSub, c.OwnEventsSubscription, "own-events"}}
	for _, s := range subs {
		if !s.need {
			continue
		}
		if *s.dst, err = pubsub.OpenSubscription(ctx, s.url); err != nil {
			return nil, fmt.Errorf("open %s subscription: %w", s.name, err)
		}
	}
	return r, nil
}

// URLs returns the URLs of what needs names (the keeper's excepted: it may
// hold a key).
func (c Config) URLs(needs Needs) []string {
	var urls []string
	for _, u := range []struct {
		need bool
		url  string
	}{
		{needs.Webhooks, c.WebhooksCollection}, {needs.Events, c.EventsCollection},
		{needs.Deliveries, c.DeliveriesCollection}, {needs.Schedule, c.ScheduleCollection},
		{needs.Applications, c.ApplicationsCollection},
		{needs.IngestTopic, c.IngestTopic}, {needs.DeliverTopic, c.DeliverTopic},
		{needs.IngestSub, c.IngestSubscription}, {needs.DeliverSub, c.DeliverSubscription},
		{needs.OwnEventsTopic && c.OwnEventsTopic != "", c.OwnEventsTopic},
		{needs.OwnEventsSub && c.OwnEventsSubscription != "", c.OwnEventsSubscription},
	} {
		if u.need {
			urls = append(urls, u.url)
		}
	}
	return urls
}

// Close shuts everything down: subscriptions (flushing acks), topics
// (flushing sends), then collections — closing a mem:// collection with a
// filename writes its snapshot.
func (r *Resources) Close(ctx context.Context) error {
	var errs []error
	for _, s := range []*pubsub.Subscription{r.IngestSub, r.DeliverSub, r.OwnEventsSub} {
		if s != nil {
			errs = append(errs, ackFailure(s.Shutdown(ctx)))
		}
	}
	topics := []*pubsub.Topic{r.Ingest, r.Deliver}
	if r.OwnEvents != r.Ingest {
		topics = append(topics, r.OwnEvents)
	}
	for _, t := range topics {
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

// ackFailure is err, from a subscription's Shutdown, unless it is SQS
// refusing the acknowledgement of a message it no longer holds
// (ReceiptHandleIsInvalid, which gocloud's driver reports as text only): an
// acknowledgement deletes the message, and that one is gone already. SQS
// itself accepts a stale handle of a message received again; moto under
// load also loses track of messages it handed out, and refuses those.
func ackFailure(err error) error {
	if err != nil && strings.Contains(err.Error(), "DeleteMessageBatch failed") &&
		strings.Contains(err.Error(), "ReceiptHandleIsInvalid") {
		return nil
	}
	return err
}
