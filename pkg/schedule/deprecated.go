package schedule

import (
	"context"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// Forwarders for the functions that still call the retry-scheduler's package
// for what pkg/store now owns; they go once those callers call store.

// JobEnqueuer puts a deliver job on the deliver topic at due.
//
// Deprecated: use store.Enqueuer (implemented by *enqueue.Enqueuer).
type JobEnqueuer = store.Enqueuer

// HeldFields are the fields of a delivery the held index holds.
//
// Deprecated: use store.HeldFields.
var HeldFields = store.HeldFields

// HeldQuery returns the query of the deliveries a webhook holds while paused.
//
// Deprecated: use store.HeldDeliveries.
func HeldQuery(deliveries *docstore.Collection, webhookID string) *docstore.Query {
	return store.HeldDeliveries(deliveries, webhookID)
}

// HeldCount counts the deliveries a webhook holds while paused.
//
// Deprecated: use store.HeldCount.
func HeldCount(ctx context.Context, deliveries *docstore.Collection, webhookID string) (int, error) {
	return store.HeldCount(ctx, deliveries, webhookID)
}

// Rearm makes d pending and due now and enqueues its next attempt.
//
// Deprecated: use store.Lifecycle.Rearm.
func Rearm(ctx context.Context, deliveries *docstore.Collection, enq JobEnqueuer, d *herald.Delivery, now time.Time) error {
	return store.Lifecycle{Deliveries: deliveries}.Rearm(ctx, enq, d, false, now)
}

// ReleaseHeld re-arms those of the held deliveries whose webhook is no
// longer paused, or is gone.
//
// Deprecated: use store.Lifecycle.Release.
func ReleaseHeld(ctx context.Context, webhooks, deliveries *docstore.Collection, enq JobEnqueuer, held []*herald.Delivery, now time.Time) error {
	return store.Lifecycle{Deliveries: deliveries}.Release(ctx, webhooks, enq, held, now)
}
