package ingest

import (
	"context"

	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/metrics"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/store"
)

// takeSlot decides whether the delivery of env to w, paused when the
// event was matched, is held or dropped (see store.WebhookWrites.TakeHeldSlot:
// one revision-checked write of the webhook decides it and records it, so
// the pause queue's limit holds however many events are fanned out at
// once). A drop is logged, counted and announced; a webhook resumed
// meanwhile gets its delivery at once (store.NotPaused). A held delivery
// records the pause its slot is of (the epoch returned).
func (h *Handler) takeSlot(ctx context.Context, w *herald.Webhook, env *envelope.Envelope) (store.Slot, int64, error) {
	slot, fresh, err := h.writes().TakeHeldSlot(ctx, w.ID)
	if err != nil || slot == store.NotPaused {
		return slot, 0, err
	}
	if slot == store.Held {
		return slot, fresh.PauseEpoch, nil
	}
	h.cfg.Logger.Warn("paused webhook queue full: delivery dropped",
		"webhook_id", w.ID, "event_id", env.EventID, "held", fresh.PauseHeld)
	h.announceOverflow(ctx, fresh, env.EventType)
	h.cfg.Metrics.Dropped(metrics.DropPauseQueueFull)
	return slot, 0, nil
}

// freeSlotsNotUsed gives back the pause queue slot of each held delivery
// of wanted that was not created (another handler of the event made it,
// under its own slot).
func (h *Handler) freeSlotsNotUsed(ctx context.Context, wanted, created []*herald.Delivery) error {
	made := make(map[*herald.Delivery]bool, len(created))
	for _, d := range created {
		made[d] = true
	}
	for _, d := range wanted {
		if d.Status == herald.StatusPaused && !made[d] {
			if err := h.writes().FreeHeldSlot(ctx, d.WebhookID, d.PauseEpoch); err != nil {
				return err
			}
		}
	}
	return nil
}

// writes writes webhooks and tells this process's table.
func (h *Handler) writes() store.WebhookWrites {
	return store.WebhookWrites{Coll: h.cfg.Webhooks, Table: h.cfg.Table}
}

// announceOverflow publishes webhook.endpoint.pause_overflow for w (as the
// drop of a delivery of eventType wrote it), unless this pause's overflow
// was announced already; then records that it was. Publishing
// comes first: a repeat (the mark failed, or another worker announced at
// the same time) carries the same event_id, which ingest keeps once, while
// a mark before a failed publish would lose the event. Best effort: a
// failure is logged, and the next overflow tries again. A dropped delivery
// of one of Herald's own events announces nothing, so a webhook subscribed
// to them cannot feed itself.
func (h *Handler) announceOverflow(ctx context.Context, w *herald.Webhook, eventType string) {
	if h.cfg.OwnEvents == nil || w.PauseOverflowNotified || herald.IsOwnEvent(eventType) {
		return
	}
	err := ownevent.PublishPauseOverflow(ctx, h.cfg.OwnEvents, w, w.PauseLimit(), h.cfg.Now())
	if err == nil {
		err = h.writes().MarkPauseOverflow(ctx, w)
	}
	if err != nil {
		h.cfg.Logger.Error("pause overflow not announced", "webhook_id", w.ID, "error", err)
	}
}
