package admin

import (
	"context"
	"fmt"
	"io"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/schedule"
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
		if err := schedule.Rearm(ctx, a.cfg.Deliveries, a.cfg.Enqueuer, d, now); err != nil &&
			gcerrors.Code(err) != gcerrors.FailedPrecondition {
			return err
		}
	}
}
