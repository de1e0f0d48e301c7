package ingest

import (
	"context"
	"fmt"
	"io"

	"github.com/heraldhq/herald/pkg/herald"
)

func pauseLimit(w *herald.Webhook) int {
	if w.PauseQueueLimit > 0 {
		return w.PauseQueueLimit
	}
	return herald.DefaultPauseQueueLimit
}

// heldCount counts the deliveries a paused webhook holds.
func (h *Handler) heldCount(ctx context.Context, w *herald.Webhook) (int, error) {
	iter := h.cfg.Deliveries.Query().
		Where("webhook_id", "=", w.ID).
		Where("status", "=", herald.StatusPaused).
		Get(ctx, "id")
	defer iter.Stop()
	n := 0
	for {
		var d herald.Delivery
		err := iter.Next(ctx, &d)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return 0, fmt.Errorf("count held deliveries of %s: %w", w.ID, err)
		}
		n++
	}
}
