package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// ClockSkew bounds how far apart the clocks of two of Herald's processes
// may be (a delivery's created_ms is one's, a pause's paused_at_ms
// another's).
const ClockSkew = time.Minute

// SettleHeld is the expiry-notifier's backstop for the settling of held
// deliveries (Settle) that never ran, or ran before a resume it missed: a
// writer that died between writing a delivery paused and settling it, an
// admin's resume that died before releasing what was held. held are held
// deliveries as the held index holds them (HeldFields: no pause epoch, no
// revision).
//
// Its candidates are every held delivery of a webhook that is not paused
// (or is gone), and those of a paused one created before its pause began
// (ClockSkew earlier still): a delivery created later was written paused by
// a writer that took its slot in this very pause. Each candidate is read
// whole; those held in a slot of another pause, or of a webhook not paused,
// are settled (Settle: released, held in a slot of the current pause, or
// ended as not sent when that queue is full). So a delivery written paused
// holds a slot of the pause it is held in by the next tick at the latest,
// and no queue holds more than its limit for longer. It returns how many
// it settled.
func (l Lifecycle) SettleHeld(ctx context.Context, webhooks WebhookWrites, enq Enqueuer, held []*herald.Delivery, now time.Time) (int, error) {
	hooks := map[string]*herald.Webhook{} // nil: not paused, or gone
	var candidates []*herald.Delivery
	for _, d := range held {
		w, seen := hooks[d.WebhookID]
		if !seen {
			var err error
			switch w, err = webhooks.Get(ctx, d.WebhookID); {
			case errors.Is(err, herald.ErrNotFound):
			case err != nil:
				return 0, err
			case !w.Paused:
				w = nil
			}
			hooks[d.WebhookID] = w
		}
		if w == nil || d.CreatedMS < w.PausedAtMS+ClockSkew.Milliseconds() {
			candidates = append(candidates, &herald.Delivery{ID: d.ID})
		}
	}
	whole, err := readStill(ctx, l.Deliveries, candidates, "held deliveries")
	if err != nil {
		return 0, err
	}
	var unsettled []*herald.Delivery
	for _, d := range whole {
		w := hooks[d.WebhookID]
		if d.Status == herald.StatusPaused && (w == nil || d.PauseEpoch != w.PauseEpoch) {
			unsettled = append(unsettled, d)
		}
	}
	return len(unsettled), l.Settle(ctx, webhooks, enq, unsettled, now)
}

// readStill reads ds (their ids set) by key, in one action list, the
// fields given (every one when none), and returns those still there; what
// names them in errors.
func readStill(ctx context.Context, deliveries *docstore.Collection, ds []*herald.Delivery, what string,
	fields ...docstore.FieldPath) ([]*herald.Delivery, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	gets := deliveries.Actions()
	for _, d := range ds {
		gets.Get(d, fields...)
	}
	gone := map[int]bool{}
	if err := gets.Do(ctx); err != nil {
		var errs docstore.ActionListError
		if !errors.As(err, &errs) {
			return nil, fmt.Errorf("read %s: %w", what, err)
		}
		for _, e := range errs {
			if !NotFound(e.Err) {
				return nil, fmt.Errorf("read %s: %w", what, err)
			}
			gone[e.Index] = true
		}
	}
	var out []*herald.Delivery
	for i, d := range ds {
		if !gone[i] {
			out = append(out, d)
		}
	}
	return out, nil
}
