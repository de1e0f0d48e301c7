package local

import (
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"time"

	"gocloud.dev/docstore"
	_ "gocloud.dev/docstore/memdocstore" // mem:// collections
	"gocloud.dev/pubsub"
	_ "gocloud.dev/pubsub/mempubsub" // mem:// topics

	"github.com/heraldhq/herald/pkg/config"
)

func init() {
	// memdocstore snapshots documents with gob, which must know the dynamic
	// types stored in them.
	gob.Register(time.Time{})
	gob.Register(map[string]any{})
	gob.Register([]any{})
}

// resources are the topics, subscriptions and collections of one system,
// each opened once and shared by every function in the process.
type resources struct {
	ingest, deliver       *pubsub.Topic
	ingestSub, deliverSub *pubsub.Subscription
	webhooks, events      *docstore.Collection
	deliveries, schedule  *docstore.Collection
}

// open opens every resource. Subscriptions are opened before anything is
// published, since mem:// topics drop messages nobody subscribes to yet.
func open(ctx context.Context, c config.Config) (_ *resources, err error) {
	r := &resources{}
	defer func() {
		if err != nil {
			r.close(ctx)
		}
	}()
	colls := []struct {
		dst **docstore.Collection
		url string
	}{
		{&r.webhooks, c.WebhooksCollection}, {&r.events, c.EventsCollection},
		{&r.deliveries, c.DeliveriesCollection}, {&r.schedule, c.ScheduleCollection},
	}
	for _, cl := range colls {
		if *cl.dst, err = docstore.OpenCollection(ctx, cl.url); err != nil {
			return nil, fmt.Errorf("open collection %s: %w", cl.url, err)
		}
	}
	if r.ingest, err = pubsub.OpenTopic(ctx, c.IngestTopic); err != nil {
		return nil, fmt.Errorf("open ingest topic: %w", err)
	}
	if r.deliver, err = pubsub.OpenTopic(ctx, c.DeliverTopic); err != nil {
		return nil, fmt.Errorf("open deliver topic: %w", err)
	}
	if r.ingestSub, err = pubsub.OpenSubscription(ctx, c.IngestSubscription); err != nil {
		return nil, fmt.Errorf("open ingest subscription: %w", err)
	}
	if r.deliverSub, err = pubsub.OpenSubscription(ctx, c.DeliverSubscription); err != nil {
		return nil, fmt.Errorf("open deliver subscription: %w", err)
	}
	return r, nil
}

// close shuts everything down; closing a mem:// collection with a filename
// writes its snapshot.
func (r *resources) close(ctx context.Context) error {
	var errs []error
	for _, s := range []*pubsub.Subscription{r.ingestSub, r.deliverSub} {
		if s != nil {
			errs = append(errs, s.Shutdown(ctx))
		}
	}
	for _, t := range []*pubsub.Topic{r.ingest, r.deliver} {
		if t != nil {
			errs = append(errs, t.Shutdown(ctx))
		}
	}
	for _, c := range []*docstore.Collection{r.webhooks, r.events, r.deliveries, r.schedule} {
		if c != nil {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}
