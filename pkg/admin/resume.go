package admin

import (
	"context"
	"fmt"
	"io"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
)

// resumeHeld enqueues the deliveries a paused webhook held, oldest first.
func (a *API) resumeHeld(ctx context.Context, webhookID string) error {
	iter := a.cfg.Deliveries.Query().
		Where("webhook_id", "=", webhookID).
		Where("status", "=", herald.StatusPaused).
		Where("id", ">", int64(0)).
		OrderBy("id", docstore.Ascending).
		Get(ctx)
	defer iter.Stop()
	now := a.cfg.Now()
	for {
		d := new(herald.Delivery)
		err := iter.Next(ctx, d)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("query held deliveries: %w", err)
		}
		d.Status, d.NextAttemptMS, d.UpdatedMS = herald.StatusPending, herald.Millis(now), herald.Millis(now)
		if err := a.cfg.Deliveries.Replace(ctx, d); err != nil {
			if gcerrors.Code(err) == gcerrors.FailedPrecondition {
				continue
			}
			return fmt.Errorf("resume delivery %d: %w", d.ID, err)
		}
		if err := a.cfg.Enqueuer.Enqueue(ctx, herald.Job{DeliveryID: d.ID, Attempt: d.AttemptCount + 1}, now); err != nil {
			return err
		}
	}
}
