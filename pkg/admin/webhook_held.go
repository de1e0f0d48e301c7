package admin

import (
	"context"
	"errors"
	"fmt"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// resumeHeld enqueues the deliveries a paused webhook held, oldest first:
// their keys from the held index, then each read whole and re-armed.
func (a *API) resumeHeld(ctx context.Context, webhookID string) error {
	keys := store.HeldOldestFirst(a.cfg.Deliveries, webhookID).Get(ctx, store.HeldFields...)
	held, err := store.All[herald.Delivery](ctx, keys)
	if err != nil {
		return fmt.Errorf("query held deliveries: %w", err)
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
		if err := a.lifecycle().Rearm(ctx, a.cfg.Enqueuer, d, false, now); err != nil && !store.Conflict(err) {
			return err
		}
	}
	return nil
}

// heldCount counts the deliveries a webhook holds while paused.
func (a *API) heldCount(ctx context.Context, webhookID string) (int, error) {
	return store.HeldCount(ctx, a.cfg.Deliveries, webhookID)
}
