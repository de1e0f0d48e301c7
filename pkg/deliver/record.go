package deliver

import (
	"context"
	"fmt"
	"time"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/retry"
)

// maxWriteTries bounds how often a result is re-applied to a delivery that
// changed between the claim and the result (a manual retry, say).
const maxWriteTries = 3

// record stores attempt a on d and moves the delivery on: succeeded, pending
// with the next attempt scheduled, or failed with the dropped event emitted.
func (h *Handler) record(ctx context.Context, d *herald.Delivery, w *herald.Webhook, a herald.Attempt) error {
	now := h.cfg.Now()
	var next time.Time
	var dropped bool
	err := h.update(ctx, d, func(d *herald.Delivery) {
		if !hasAttempt(d, a.Attempt) {
			d.Attempts = append(d.Attempts, a)
		}
		d.LeaseUntilMS = 0
		next, dropped = time.Time{}, false
		switch delay, ok := h.schedule(w).Next(a.Attempt); {
		case a.Succeeded():
			d.Status, d.NextAttemptMS = herald.StatusSucceeded, 0
		case ok:
			next = now.Add(delay)
			d.Status, d.NextAttemptMS = herald.StatusPending, herald.Millis(next)
		default:
			d.Status, d.NextAttemptMS = herald.StatusFailed, 0
			if d.DroppedMS == 0 {
				d.DroppedMS, dropped = herald.Millis(now), true
			}
		}
	})
	if err != nil {
		return err
	}
	switch {
	case !next.IsZero():
		return h.cfg.Enqueuer.Enqueue(ctx, herald.Job{DeliveryID: d.ID, Attempt: a.Attempt + 1}, next)
	case dropped:
		return PublishDropped(ctx, h.cfg.Ingest, d, w, a, now)
	}
	return nil
}

// stop ends a delivery that cannot be sent, without an attempt or event.
func (h *Handler) stop(ctx context.Context, d *herald.Delivery, reason string) error {
	return h.update(ctx, d, func(d *herald.Delivery) {
		d.Status, d.NextAttemptMS, d.LeaseUntilMS = herald.StatusFailed, 0, 0
		d.Attempts = append(d.Attempts, herald.Attempt{Attempt: d.AttemptCount + 1,
			AtMS: herald.Millis(h.cfg.Now()), Error: "not sent: " + reason})
	})
}

// hold parks a delivery of a paused webhook; resuming enqueues it again.
func (h *Handler) hold(ctx context.Context, d *herald.Delivery) error {
	return h.update(ctx, d, func(d *herald.Delivery) {
		d.Status, d.NextAttemptMS, d.LeaseUntilMS = herald.StatusPaused, 0, 0
	})
}

// update applies change to d and writes it with d's revision; when the
// delivery changed in between it reads it again and re-applies change.
func (h *Handler) update(ctx context.Context, d *herald.Delivery, change func(*herald.Delivery)) error {
	for try := 1; ; try++ {
		change(d)
		d.UpdatedMS = herald.Millis(h.cfg.Now())
		err := h.cfg.Deliveries.Replace(ctx, d)
		if err == nil {
			return nil
		}
		if gcerrors.Code(err) != gcerrors.FailedPrecondition || try == maxWriteTries {
			return fmt.Errorf("update delivery %d: %w", d.ID, err)
		}
		fresh := &herald.Delivery{ID: d.ID}
		if err := h.cfg.Deliveries.Get(ctx, fresh); err != nil {
			return fmt.Errorf("re-read delivery %d: %w", d.ID, err)
		}
		*d = *fresh
	}
}

// schedule returns the webhook's retry schedule, or the deployment's.
func (h *Handler) schedule(w *herald.Webhook) retry.Schedule {
	if len(w.RetrySchedule) > 0 {
		if s, err := retry.Parse(w.RetrySchedule); err == nil {
			return s
		}
	}
	return h.cfg.Schedule
}
