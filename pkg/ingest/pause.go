package ingest

import (
	"context"

	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/metrics"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/store"
)

// giveBackNotKept gives back what the pause queue gave each delivery of
// wanted that was not created (another handler of the event kept its own
// first): the slot of a held one, the drop of a dropped one (see
// store.WebhookWrites.GiveBack). So of the copies of one event fanned out
// at once, only the one whose delivery is kept holds a slot or counts a
// drop.
func (h *Handler) giveBackNotKept(ctx context.Context, wanted, created []*herald.Delivery) error {
	made := make(map[*herald.Delivery]bool, len(created))
	for _, d := range created {
		made[d] = true
	}
	for _, d := range wanted {
		if made[d] {
			continue
		}
		slot := store.NotPaused
		switch d.Status {
		case herald.StatusPaused:
			slot = store.Held
		case herald.StatusFailed:
			slot = store.Dropped
		}
		if err := h.writes().GiveBack(ctx, d.WebhookID, slot, d.PauseEpoch); err != nil {
			return err
		}
	}
	return nil
}

// dropped logs, counts and announces each delivery of created that a full
// pause queue dropped (a key of drops, with its webhook as the drop wrote
// it): only a drop kept, so one per event and webhook however many copies
// of the event fanned out. It returns how many there were.
func (h *Handler) dropped(ctx context.Context, env *envelope.Envelope, created []*herald.Delivery,
	drops map[*herald.Delivery]*herald.Webhook) int {
	n := 0
	for _, d := range created {
		w, ok := drops[d]
		if !ok {
			continue
		}
		n++
		h.cfg.Logger.Warn("paused webhook queue full: delivery dropped",
			"webhook_id", w.ID, "event_id", env.EventID, "held", w.PauseHeld)
		h.announceOverflow(ctx, w, env.EventType)
		h.cfg.Metrics.Dropped(metrics.DropPauseQueueFull)
	}
	return n
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
