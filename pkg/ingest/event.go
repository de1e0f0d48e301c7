package ingest

import (
	"context"
	"fmt"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/herald"
)

// storeEvent creates the event document. It returns nil when the event was
// ingested before (a repeated event_id creates no new deliveries), and
// resumed=true when an earlier attempt stored it but did not finish the
// fan-out.
func (h *Handler) storeEvent(ctx context.Context, env *envelope.Envelope) (ev *herald.Event, resumed bool, err error) {
	ev = &herald.Event{
		ID:        env.EventID,
		Type:      env.EventType,
		TenantID:  env.TenantID,
		PartnerID: env.PartnerID,
		Category:  env.Category,
		Payload:   string(env.Raw),
		CreatedMS: herald.Millis(h.cfg.Now()),
	}
	err = h.cfg.Events.Create(ctx, ev)
	if err == nil {
		return ev, false, nil
	}
	if gcerrors.Code(err) != gcerrors.AlreadyExists {
		return nil, false, fmt.Errorf("store event %s: %w", env.EventID, err)
	}
	stored := &herald.Event{ID: env.EventID}
	if err := h.cfg.Events.Get(ctx, stored); err != nil {
		return nil, false, fmt.Errorf("read event %s: %w", env.EventID, err)
	}
	if stored.FannedOut {
		h.cfg.Logger.Info("duplicate event ignored", "event_id", env.EventID)
		return nil, false, nil
	}
	return stored, true, nil
}
