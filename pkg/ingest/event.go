package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// fanOutLease is how long one handler owns an event's fan-out. It outlasts
// a handler call (the consume timeout), so a live lease means a live holder.
const fanOutLease = 2 * time.Minute

// errFanOutInProgress is returned for a duplicate of an event whose fan-out
// another handler holds: the message is redelivered later and then finds the
// event fanned out.
var errFanOutInProgress = errors.New("fan-out of this event is in progress elsewhere")

// storeEvent creates the event document under its key (herald.EventKey),
// taking the fan-out lease with it. It returns nil when the event was
// ingested before (a repeated event_id from the same tenant and partner
// creates no new deliveries), and resumed=true when an earlier attempt stored
// it but did not finish the fan-out and its lease has run out, in which case
// this handler has taken the lease over.
func (h *Handler) storeEvent(ctx context.Context, env *envelope.Envelope) (ev *herald.Event, resumed bool, err error) {
	now := h.cfg.Now()
	ev = h.newEvent(env, now)
	ev.FanOutLeaseMS, ev.FanOutOwner = herald.Millis(now.Add(fanOutLease)), h.owner
	key := ev.ID
	err = h.cfg.Events.Create(ctx, ev)
	if err == nil {
		h.cfg.EventCache.Add(ev)
		return ev, false, nil
	}
	if !store.AlreadyExists(err) {
		return nil, false, fmt.Errorf("store event %s: %w", key, err)
	}
	stored, err := h.awaitFanOut(ctx, key)
	if err != nil {
		return nil, false, err
	}
	switch {
	case stored.FannedOut:
		h.cfg.Logger.Info("duplicate event ignored", "event_id", env.EventID, "tenant_id", env.TenantID, "partner_id", env.PartnerID)
		return nil, false, nil
	case h.leaseLive(stored):
		return nil, false, errFanOutInProgress
	}
	now = h.cfg.Now()
	stored.FanOutLeaseMS, stored.FanOutOwner = herald.Millis(now.Add(fanOutLease)), h.owner
	if err := h.cfg.Events.Replace(ctx, stored); err != nil {
		if store.Conflict(err) {
			return nil, false, errFanOutInProgress // another handler took it
		}
		return nil, false, fmt.Errorf("take over fan-out of %s: %w", key, err)
	}
	return stored, true, nil
}

// newEvent returns the event document of env, ingested at now.
func (h *Handler) newEvent(env *envelope.Envelope, now time.Time) *herald.Event {
	return &herald.Event{
		ID:        herald.EventKey(env.EventID, env.TenantID, env.PartnerID),
		EventID:   env.EventID,
		Type:      env.EventType,
		TenantID:  env.TenantID,
		PartnerID: env.PartnerID,
		Category:  env.Category,
		Payload:   string(env.Raw),

		InsertedBytes: env.InsertedBytes,
		CreatedMS:     herald.Millis(now),
		ExpiresAt:     herald.ExpiresAt(now, h.cfg.Retention),
	}
}

// Waiting for a fan-out held elsewhere: a duplicate usually arrives while
// its twin is still creating deliveries, which takes milliseconds, so it
// waits a little rather than come back after a whole ack deadline.
const (
	fanOutWait = 2 * time.Second
	fanOutPoll = 20 * time.Millisecond
)

// leaseLive reports whether a handler holds ev's fan-out lease: it has not
// run out, and, for a SoleOwner, it is this Handler's own (another owner's
// is a gone process's).
func (h *Handler) leaseLive(ev *herald.Event) bool {
	if ev.FanOutLeaseMS <= herald.Millis(h.cfg.Now()) {
		return false
	}
	return !h.cfg.SoleOwner || ev.FanOutOwner == h.owner
}

// awaitFanOut reads the stored event, re-reading it for up to fanOutWait
// while another handler's fan-out lease on it is live.
func (h *Handler) awaitFanOut(ctx context.Context, id string) (*herald.Event, error) {
	deadline := time.Now().Add(fanOutWait)
	for {
		stored := &herald.Event{ID: id}
		if err := h.cfg.Events.Get(ctx, stored); err != nil {
			return nil, fmt.Errorf("read event %s: %w", id, err)
		}
		if stored.FannedOut || !h.leaseLive(stored) || time.Now().After(deadline) {
			return stored, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(fanOutPoll):
		}
	}
}
