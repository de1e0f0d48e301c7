package ingest

import (
	"context"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ownevent"
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

// announceOverflow publishes webhook.endpoint.pause_overflow for w, whose
// full hold queue just dropped a delivery of eventType, unless this pause's
// overflow was announced already; then records that it was. Publishing
// comes first: a repeat (the mark failed, or another worker announced at
// the same time) carries the same event_id, which ingest keeps once, while
// a mark before a failed publish would lose the event. Best effort like
// the count: a failure is logged, and the next overflow tries again. A
// dropped delivery of one of Herald's own events announces nothing, so a
// webhook subscribed to them cannot feed itself.
func (h *Handler) announceOverflow(ctx context.Context, w *herald.Webhook, eventType string) {
	if h.cfg.OwnEvents == nil || w.PauseOverflowNotified || herald.IsOwnEvent(eventType) {
		return
	}
	writes := store.WebhookWrites{Coll: h.cfg.Webhooks, Table: h.cfg.Table}
	fresh, err := writes.PauseOverflowDue(ctx, w.ID)
	if err == nil && fresh != nil {
		err = ownevent.PublishPauseOverflow(ctx, h.cfg.OwnEvents, fresh, pauseLimit(fresh), h.cfg.Now())
		if err == nil {
			err = writes.MarkPauseOverflow(ctx, fresh)
		}
	}
	if err != nil {
		h.cfg.Logger.Error("pause overflow not announced", "webhook_id", w.ID, "error", err)
	}
}
