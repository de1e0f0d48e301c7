package deliver

import (
	"context"
	"fmt"
	"net/http"

	"gocloud.dev/docstore"
	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
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
		return h.disable(ctx, w, reasonGone, a, endpointEventID("disabled", w, lastWriteMS(w)))
	case herald.IsOwnEvent(d.EventType):
		return nil
	case a.Succeeded():
		return h.recovered(ctx, w)
	}
	return h.failed(ctx, w, a)
}

// disable announces webhook.endpoint.disabled and turns w off with a field
// update (no revision check, so it neither fights nor loses to an admin
// write). The event goes first: if the write then fails, the retry announces
// again under the same id.
func (h *Handler) disable(ctx context.Context, w *herald.Webhook, reason string, last herald.Attempt, eventID string) error {
	now := h.cfg.Now()
	data := disabledData{WebhookID: w.ID, WebhookName: w.Name, Reason: reason, LastStatusCode: last.StatusCode}
	if err := publishEndpointEvent(ctx, h.cfg.Ingest, eventID, herald.EventEndpointDisabled, w, now, data); err != nil {
		return err
	}
	h.cfg.Logger.Warn("webhook disabled", "webhook_id", w.ID, "reason", reason)
	if err := h.updateWebhook(ctx, w.ID, docstore.Mods{"enabled": false, "disabled_reason": reason, "updated_at": now}); err != nil {
		return err
	}
	// Ingest's table in another process stops fanning out to it. A failed
	// bump is returned like a failed write: the attempt is not recorded,
	// and the retry disables (a no-op) and bumps again.
	return h.cfg.Revision.Bump(ctx)
}

// lastWriteMS is when w was last written by an admin, 0 when unknown.
func lastWriteMS(w *herald.Webhook) int64 {
	if w.UpdatedAt.IsZero() {
		return 0
	}
	return herald.Millis(w.UpdatedAt)
}

// updateWebhook applies mods to webhook id without a revision check. A
// webhook deleted meanwhile is left alone: the update fails with NotFound,
// or on DynamoDB with FailedPrecondition (its condition that the item
// exists; with no revision given, nothing else can fail it).
func (h *Handler) updateWebhook(ctx context.Context, id string, mods docstore.Mods) error {
	err := h.cfg.Table.Update(ctx, h.cfg.Webhooks, &herald.Webhook{ID: id}, mods)
	if c := gcerrors.Code(err); err != nil && c != gcerrors.NotFound && c != gcerrors.FailedPrecondition {
		return fmt.Errorf("update webhook %s: %w", id, err)
	}
	return nil
}
