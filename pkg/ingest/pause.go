package ingest

import (
	"context"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

func pauseLimit(w *herald.Webhook) int {
	if w.PauseQueueLimit > 0 {
		return w.PauseQueueLimit
	}
	return herald.DefaultPauseQueueLimit
}

// heldCount counts the deliveries a paused webhook holds.
func (h *Handler) heldCount(ctx context.Context, w *herald.Webhook) (int, error) {
	return store.HeldCount(ctx, h.cfg.Deliveries, w.ID)
}

// countPauseDropped adds one to the webhook's count of deliveries dropped
// while paused, with an atomic increment that needs no read and no revision
// (memdocstore and DynamoDB both apply it in place). Counting is best effort:
// a failure is logged, not returned, so the event's fan-out is not redone
// for it (which could drop, and count, again).
func (h *Handler) countPauseDropped(ctx context.Context, w *herald.Webhook) {
	err := store.WebhookWrites{Coll: h.cfg.Webhooks, Table: h.cfg.Table}.CountPauseDropped(ctx, w.ID)
	if err != nil {
		h.cfg.Logger.Error("pause_dropped not counted", "webhook_id", w.ID, "error", err)
	}
}
