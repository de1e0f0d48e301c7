package deliver

import (
	"context"
	"net/http"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/store"
)

// reasonGone is the disabled_reason of an endpoint that answered 410.
const reasonGone = "410 Gone"

// observe applies what attempt a of delivery d says about its endpoint,
// before the attempt is recorded: a failure to apply it is returned, the
// attempt's lease runs out and the sweep tries again, and the events it
// announces have derived ids, so announcing twice delivers once.
//
// A 410 Gone disables the endpoint whatever the event. Health (consecutive
// failures, unhealthy, recovered, disable_after) is kept only for deliveries
// of publishers' events: a broken alerts endpoint subscribed to Herald's own
// events must not feed itself (as with PublishDropped).
func (h *Handler) observe(ctx context.Context, d *herald.Delivery, w *herald.Webhook, a herald.Attempt) error {
	switch {
	case a.StatusCode == http.StatusGone:
		// The occasion is the webhook as last written by an admin: workers
		// that loaded it announce under one id, and an endpoint enabled
		// again and gone again is announced again.
		return h.disable(ctx, w, reasonGone, a, lastWriteMS(w))
	case herald.IsOwnEvent(d.EventType):
		return nil
	case a.Succeeded():
		return h.recovered(ctx, w)
	}
	return h.failed(ctx, w, a)
}

// disable announces webhook.endpoint.disabled, its id derived from
// occasionMS, and turns w off with a field update (no revision check, so it
// neither fights nor loses to an admin write). The event goes first: if the
// write then fails, the retry announces again under the same id.
func (h *Handler) disable(ctx context.Context, w *herald.Webhook, reason string, last herald.Attempt, occasionMS int64) error {
	now := h.cfg.Now()
	if err := ownevent.PublishEndpointDisabled(ctx, h.cfg.Ingest, w, occasionMS, reason, last.StatusCode, now); err != nil {
		return err
	}
	h.cfg.Logger.Warn("webhook disabled", "webhook_id", w.ID, "reason", reason)
	// Ingest's table in another process stops fanning out to it. A failed
	// bump is returned like a failed write: the attempt is not recorded,
	// and the retry disables (a no-op) and bumps again.
	return h.webhooks().Disable(ctx, w.ID, reason, now)
}

// lastWriteMS is when w was last written by an admin, 0 when unknown.
func lastWriteMS(w *herald.Webhook) int64 {
	if w.UpdatedAt.IsZero() {
		return 0
	}
	return herald.Millis(w.UpdatedAt)
}

// webhooks writes webhooks and tells the tables that copy them.
func (h *Handler) webhooks() store.WebhookWrites {
	return store.WebhookWrites{Coll: h.cfg.Webhooks, Table: h.cfg.Table, Revision: h.cfg.Revision, Logger: h.cfg.Logger}
}
