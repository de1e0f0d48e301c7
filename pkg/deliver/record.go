package deliver

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/metrics"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/retry"
	"github.com/heraldhq/herald/pkg/store"
)

// record stores attempt a on d and moves the delivery on: succeeded, pending
// with the next attempt scheduled (the backoff step, or later when the
// receiver's Retry-After asked for it), or failed with the dropped event
// emitted (after the last attempt, or at once on 410 Gone).
//
// The dropped event is published before the failure is written (see
// store.Lifecycle.Record); its id is derived from the delivery, so
// announcing twice delivers once.
func (h *Handler) record(ctx context.Context, d *herald.Delivery, w *herald.Webhook, a herald.Attempt) error {
	now := h.cfg.Now()
	manual := a.Attempt == d.ManualAttempt
	delay, retry := h.schedule(w).Next(a.Attempt)
	// 410 Gone: the endpoint is disabled (see observe) and nothing is retried.
	retry = retry && !manual && a.StatusCode != http.StatusGone
	var next time.Time
	result, outcome := store.GiveUp, metrics.AttemptDropped
	switch {
	case a.Succeeded():
		result, outcome = store.Succeeded, metrics.AttemptSucceeded
	case retry:
		next = nextAttempt(now, delay, a.RetryAfterMS)
		result, outcome = store.Retry, metrics.AttemptRetried
	case manual:
		result, outcome = store.Failed, metrics.AttemptFailed
	}
	announce := func(final *herald.Delivery) error {
		return ownevent.PublishDropped(ctx, h.cfg.Ingest, final, w, a, now)
	}
	givenUp, err := h.lifecycle().Record(ctx, d, a, result, next, now, announce)
	if err != nil {
		return err
	}
	h.count(d, a, outcome, givenUp, now)
	if next.IsZero() {
		return nil
	}
	return h.cfg.Enqueuer.Enqueue(ctx, herald.Job{DeliveryID: d.ID, Attempt: a.Attempt + 1}, next)
}

// stop ends a delivery that cannot be sent, without a request or event (see
// store.Lifecycle.Stop).
func (h *Handler) stop(ctx context.Context, d *herald.Delivery, reason string) error {
	err := h.lifecycle().Stop(ctx, d, reason, h.cfg.Now())
	switch {
	case errors.Is(err, store.ErrStale):
		return nil // moved on meanwhile: not this job's to stop
	case err == nil:
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

// hold parks pending delivery d of paused webhook w in a slot of its pause
// queue (see store.WebhookWrites.TakeHeldSlot); resuming enqueues it again.
// Past the queue's limit d is stopped, counted in pause_dropped once
// (store.Lifecycle.Overflow); a webhook
// resumed meanwhile gets its attempt (attempt). A resume (and a new pause)
// that raced with the hold is caught by the settling that follows it (see
// store.Lifecycle.Hold).
func (h *Handler) hold(ctx context.Context, d *herald.Delivery, pre *preclaim, attempt func() error) error {
	slot, w, err := h.webhooks().TakeHeldSlot(ctx, d.WebhookID)
	switch {
	case err != nil:
		pre.giveBack() // d not written
		return err
	case slot == store.NotPaused:
		return attempt()
	case slot == store.Dropped:
		err := h.lifecycle().Overflow(ctx, h.webhooks(), d, h.cfg.Now())
		if errors.Is(err, store.ErrStale) {
			return nil // another copy of the job moved it on; its drop taken back
		}
		if err == nil {
			h.cfg.Metrics.Dropped(metrics.DropPauseQueueFull)
			h.cfg.Metrics.Attempt(metrics.AttemptNotSent, 0)
		}
		return err
	}
	err = h.lifecycle().Hold(ctx, h.webhooks(), h.cfg.Enqueuer, d, w.PauseEpoch, h.cfg.Now())
	if errors.Is(err, store.ErrStale) {
		// Another copy of the job held it (or moved it on): the slot is
		// not used.
		return h.webhooks().FreeHeldSlot(ctx, d.WebhookID, w.PauseEpoch)
	}
	return err
}

// lifecycle moves the deliveries from one status to another.
func (h *Handler) lifecycle() store.Lifecycle {
	return store.Lifecycle{Deliveries: h.cfg.Deliveries, Retention: h.cfg.Retention}
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
