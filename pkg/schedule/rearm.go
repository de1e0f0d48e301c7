package schedule

import (
	"context"
	"fmt"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
)

// JobEnqueuer puts a deliver job on the deliver topic at due; *Enqueuer is one.
type JobEnqueuer interface {
	Enqueue(ctx context.Context, job herald.Job, due time.Time) error
}

// Rearm makes d pending and due now — a manual retry, a resumed hold — and
// enqueues its next attempt. The write checks d's revision: when d changed
// meanwhile, Rearm returns the store's FailedPrecondition error and enqueues
// nothing.
func Rearm(ctx context.Context, deliveries *docstore.Collection, enq JobEnqueuer, d *herald.Delivery, now time.Time) error {
	d.Status, d.NextAttemptMS, d.LeaseUntilMS, d.UpdatedMS = herald.StatusPending, herald.Millis(now), 0, herald.Millis(now)
	d.Derive(now, 0) // pending: nothing expires
	if err := deliveries.Replace(ctx, d); err != nil {
		return fmt.Errorf("re-arm delivery %d: %w", d.ID, err)
	}
	return enq.Enqueue(ctx, herald.Job{DeliveryID: d.ID, Attempt: d.AttemptCount + 1}, now)
}

// ReleaseHeld re-arms those of the held (paused) deliveries whose webhook is
// no longer paused, or is gone (its deliveries then end as not sent).
//
// Whoever writes a delivery as paused calls it after the write: a resume
// that read the held deliveries between that writer's read of the webhook
// and its write did not see the delivery, but the webhook it reads here
// already says resumed. The expiry-notifier runs it over every held delivery
// as a backstop.
//
// A held delivery read from an index without its revision (nil
// DocstoreRevision) is read whole before it is re-armed, and left alone when
// it is no longer paused.
func ReleaseHeld(ctx context.Context, webhooks, deliveries *docstore.Collection, enq JobEnqueuer, held []*herald.Delivery, now time.Time) error {
	paused := map[string]bool{}
	for _, d := range held {
		isPaused, seen := paused[d.WebhookID]
		if !seen {
			w := &herald.Webhook{ID: d.WebhookID}
			switch err := webhooks.Get(ctx, w, "paused"); {
			case err == nil:
				isPaused = w.Paused
			case gcerrors.Code(err) == gcerrors.NotFound:
				isPaused = false
			default:
				return fmt.Errorf("read webhook %s: %w", d.WebhookID, err)
			}
			paused[d.WebhookID] = isPaused
		}
		if isPaused {
			continue
		}
		if d.DocstoreRevision == nil {
			switch err := deliveries.Get(ctx, d); {
			case gcerrors.Code(err) == gcerrors.NotFound:
				continue
			case err != nil:
				return fmt.Errorf("read held delivery %d: %w", d.ID, err)
			}
			if d.Status != herald.StatusPaused {
				continue
			}
		}
		if err := Rearm(ctx, deliveries, enq, d, now); err != nil && gcerrors.Code(err) != gcerrors.FailedPrecondition {
			return err
		}
	}
	return nil
}
