package admin

import (
	"context"
	"errors"
	"fmt"
	"io"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/schedule"
)

// resumeHeld enqueues the deliveries a paused webhook held, oldest first:
// their keys from the held index, then each read whole and re-armed.
func (a *API) resumeHeld(ctx context.Context, webhookID string) error {
	iter := schedule.HeldQuery(a.cfg.Deliveries, webhookID).
		Where("created_ms", ">", int64(0)).
		OrderBy("created_ms", docstore.Ascending).
		Get(ctx, schedule.HeldFields...)
	defer iter.Stop()
	var held []*herald.Delivery
	for {
		d := new(herald.Delivery)
		err := iter.Next(ctx, d)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("query held deliveries: %w", err)
		}
		held = append(held, d)
	}
	now := a.cfg.Now()
	for _, key := range held {
		d, err := a.delivery(ctx, key.ID)
		switch {
		case errors.Is(err, herald.ErrNotFound):
			continue
		case err != nil:
			return err
		case d.Status != herald.StatusPaused:
			continue // released meanwhile
		}
		if err := schedule.Rearm(ctx, a.cfg.Deliveries, a.cfg.Enqueuer, d, now); err != nil &&
			gcerrors.Code(err) != gcerrors.FailedPrecondition {
			return err
		}
	}
	return nil
}
