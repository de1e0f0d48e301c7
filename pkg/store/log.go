package store

import (
	"context"
	"fmt"
	"math"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// The call log is every delivery, newest first (delivery ids are
// time-ordered, so by id descending), filtered by webhook, status, event type
// and time, and paged by id: a page ends at an id, and the next one starts
// below it. It is read from one of two indexes:
//
//   - the log index (log_shard, id), which holds every delivery spread over
//     herald.LogShards shards: one query per shard, merged. Status and event
//     type are filtered on the index (it projects them).
//   - the by-webhook index (webhook_id, id), for the log of given webhooks:
//     one query per webhook, merged. Status is filtered on the index; the
//     event type, which that index does not hold, on each candidate read by
//     key, at most logExamined of them per page (see LogPage.Next).

// logExamined bounds how many deliveries a page of the by-webhook log with
// an event-type filter reads by key to find its page: past it, the page
// ends short, and its Next says where the next one starts.
const logExamined = 500

// LogFilter says which deliveries a page of the call log holds.
type LogFilter struct {
	// ByWebhook limits the log to the deliveries of Webhooks (none when
	// it is empty), read through the by-webhook index. Without it the log
	// holds every webhook's deliveries, read through the log index.
	ByWebhook bool
	Webhooks  []string
	// Status and EventType, when set, keep the deliveries of that status,
	// of that event type.
	Status    herald.Status
	EventType string
	// Since keeps the deliveries of ids from it on (herald.DeliveryIDAt of
	// a time); 0 for no bound. Before keeps those of ids below it: the
	// previous page's Next, or the id of an end time; 0 for no bound.
	Since, Before int64
	// Limit is the most deliveries a page holds. Required.
	Limit int
}

// LogPage is a page of the call log.
type LogPage struct {
	// Deliveries are the page's, newest first, with only their id read:
	// read the page whole by key.
	Deliveries []*herald.Delivery
	// Next is the Before of the next page, 0 when none follows. A page
	// may hold fewer than Limit deliveries and still have a Next (see
	// logExamined).
	Next int64
}

// DeliveryLog reads a page of the call log.
func DeliveryLog(ctx context.Context, deliveries *docstore.Collection, f LogFilter) (*LogPage, error) {
	before := f.Before
	if before <= 0 {
		before = math.MaxInt64
	}
	var its []*docstore.DocumentIterator
	if f.ByWebhook {
		for _, id := range f.Webhooks {
			its = append(its, WebhookDeliveriesBefore(deliveries, id, f.Status, before).Get(ctx, IDFields...))
		}
	} else {
		for shard := 1; shard <= herald.LogShards; shard++ {
			its = append(its, LogShard(deliveries, shard, f.Status, f.EventType, before).Get(ctx, IDFields...))
		}
	}
	keep := func(ds []*herald.Delivery) ([]*herald.Delivery, error) { return ds, nil }
	examined := math.MaxInt
	if f.ByWebhook && f.EventType != "" {
		keep = func(ds []*herald.Delivery) ([]*herald.Delivery, error) {
			return ofEventType(ctx, deliveries, ds, f.EventType)
		}
		examined = logExamined
	}
	page := &LogPage{}
	var batch []*herald.Delivery
	n := 0
	for d, err := range Merged(ctx, its, func(a, b *herald.Delivery) bool { return a.ID > b.ID }) {
		if err != nil {
			return nil, fmt.Errorf("read the call log: %w", err)
		}
		if d.ID < f.Since {
			break
		}
		batch, n = append(batch, d), n+1
		// One more than the page holds says whether another follows.
		if len(batch) < f.Limit+1-len(page.Deliveries) && n < examined {
			continue
		}
		kept, err := keep(batch)
		if err != nil {
			return nil, err
		}
		page.Deliveries, batch = append(page.Deliveries, kept...), nil
		if len(page.Deliveries) > f.Limit {
			break
		}
		if n == examined {
			page.Next = d.ID
			return page, nil
		}
	}
	kept, err := keep(batch)
	if err != nil {
		return nil, err
	}
	page.Deliveries = append(page.Deliveries, kept...)
	if len(page.Deliveries) > f.Limit {
		page.Deliveries = page.Deliveries[:f.Limit]
		page.Next = page.Deliveries[f.Limit-1].ID
	}
	return page, nil
}

// ofEventType reads the event type of deliveries ds by key and returns
// those of eventType; one deleted since it was found is left out.
func ofEventType(ctx context.Context, deliveries *docstore.Collection, ds []*herald.Delivery, eventType string) ([]*herald.Delivery, error) {
	there, err := readStill(ctx, deliveries, ds, "deliveries' event types", fieldEventType)
	if err != nil {
		return nil, err
	}
	var out []*herald.Delivery
	for _, d := range there {
		if d.EventType == eventType {
			out = append(out, d)
		}
	}
	return out, nil
}
