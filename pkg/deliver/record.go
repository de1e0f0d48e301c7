package deliver

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/metrics"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/retry"
	"github.com/heraldhq/herald/pkg/schedule"
)

// maxWriteTries bounds how often a result is re-applied to a delivery that
// changed between the claim and the result (a manual retry, say).
const maxWriteTries = 3

// record stores attempt a on d and moves the delivery on: succeeded, pending
// with the next attempt scheduled (the backoff step, or later when the
// receiver's Retry-After asked for it), or failed with the dropped event
// emitted (after the last attempt, or at once on 410 Gone).
//
// The dropped event is published before the failure is written: if the
// publish fails, nothing is recorded, the attempt's lease runs out and the
// sweep makes the delivery try once more and announce again, whereas a
// failure written first would leave the event unannounced for good. The event
// id is derived from the delivery, so announcing twice delivers once.
func (h *Handler) record(ctx context.Context, d *herald.Delivery, w *herald.Webhook, a herald.Attempt) error {
	now := h.cfg.Now()
	manual := a.Attempt == d.ManualAttempt
	delay, retry := h.schedule(w).Next(a.Attempt)
	// 410 Gone: the endpoint is disabled (see observe) and nothing is retried.
	retry = retry && !manual && a.StatusCode != http.StatusGone
	if !a.Succeeded() && !retry && !manual && d.DroppedMS == 0 {
		final := *d
		final.Attempts = withAttempt(d.Attempts, a)
		if err := ownevent.PublishDropped(ctx, h.cfg.Ingest, &final, w, a, now); err != nil {
			return err
		}
	}
	var next time.Time
	var outcome string
	var givenUp bool
	err := h.update(ctx, d, func(d *herald.Delivery) {
		d.Attempts = withAttempt(d.Attempts, a)
		d.LeaseUntilMS = 0
		next, givenUp = time.Time{}, false
		switch {
		case a.Succeeded():
			d.Status, d.NextAttemptMS = herald.StatusSucceeded, 0
			outcome = metrics.AttemptSucceeded
		case retry:
			next = nextAttempt(now, delay, a.RetryAfterMS)
			d.Status, d.NextAttemptMS = herald.StatusPending, herald.Millis(next)
			outcome = metrics.AttemptRetried
		case manual:
			d.Status, d.NextAttemptMS = herald.StatusFailed, 0
			outcome = metrics.AttemptFailed
		default:
			d.Status, d.NextAttemptMS = herald.StatusFailed, 0
			outcome = metrics.AttemptDropped
			if d.DroppedMS == 0 {
				d.DroppedMS, givenUp = herald.Millis(now), true
			}
		}
	})
	if err != nil {
		return err
	}
	h.count(d, a, outcome, givenUp, now)
	if next.IsZero() {
		return nil
	}
	return h.cfg.Enqueuer.Enqueue(ctx, herald.Job{DeliveryID: d.ID, Attempt: a.Attempt + 1}, next)
}

// withAttempt returns attempts with a added, unless an attempt of its number
// is there already.
func withAttempt(attempts []herald.Attempt, a herald.Attempt) []herald.Attempt {
	for _, x := range attempts {
		if x.Attempt == a.Attempt {
			return attempts
		}
	}
	return append(slices.Clip(attempts), a)
}

// stop ends a delivery that cannot be sent, without a request or event. The
// attempt it records ("not sent: …") takes its number, so a later retry of the
// delivery gets the next one.
func (h *Handler) stop(ctx context.Context, d *herald.Delivery, reason string) error {
	err := h.update(ctx, d, func(d *herald.Delivery) {
		d.Status, d.NextAttemptMS, d.LeaseUntilMS = herald.StatusFailed, 0, 0
		d.AttemptCount++
		d.Attempts = append(d.Attempts, herald.Attempt{Attempt: d.AttemptCount,
			AtMS: herald.Millis(h.cfg.Now()), Error: "not sent: " + reason})
	})
	if err == nil {
		h.cfg.Metrics.Attempt(metrics.AttemptNotSent, 0)
	}
	return err
}

// count counts a recorded attempt by outcome, with the receiver's latency,
// and for a success the time from the event's ingest to its delivery. It
// runs once the result is written, so a handler retried after a failed
// write does not count twice.
func (h *Handler) count(d *herald.Delivery, a herald.Attempt, outcome string, givenUp bool, now time.Time) {
	m := h.cfg.Metrics
	m.Attempt(outcome, time.Duration(a.DurationMS)*time.Millisecond)
	if givenUp {
		m.Dropped(metrics.DropGivenUp)
	}
	if outcome == metrics.AttemptSucceeded {
		m.Delivered(now.Sub(herald.FromMillis(d.CreatedMS)))
	}
}

// hold parks a delivery of a paused webhook; resuming enqueues it again. A
// resume that raced with the write is caught by ReleaseHeld.
func (h *Handler) hold(ctx context.Context, d *herald.Delivery) error {
	err := h.update(ctx, d, func(d *herald.Delivery) {
		d.Status, d.NextAttemptMS, d.LeaseUntilMS = herald.StatusPaused, 0, 0
	})
	if err != nil {
		return err
	}
	return schedule.ReleaseHeld(ctx, h.cfg.Webhooks, h.cfg.Deliveries, h.cfg.Enqueuer, []*herald.Delivery{d}, h.cfg.Now())
}

// update applies change to d and writes it with d's revision, with the
// fields its new status implies (herald.Delivery.Derive: a finished delivery
// expires after the retention); when the delivery changed in between it
// reads it again and re-applies change.
func (h *Handler) update(ctx context.Context, d *herald.Delivery, change func(*herald.Delivery)) error {
	for try := 1; ; try++ {
		change(d)
		now := h.cfg.Now()
		d.UpdatedMS = herald.Millis(now)
		d.Derive(now, h.cfg.Retention)
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
