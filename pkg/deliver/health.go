package deliver

import (
	"context"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/retry"
)

// failed counts failed attempt a against w's health (see
// store.WebhookWrites.RecordHealth: one revision-checked write decides the
// count, the run, the unhealthy mark and its event together). When the run
// of failures reaches the webhook's unhealthy_after, the write that marks
// it announces webhook.endpoint.unhealthy, once for the run; when the run
// has lasted the webhook's disable_after, the endpoint is disabled (its
// event's id derives from the run, so concurrent workers announce it under
// one id).
func (h *Handler) failed(ctx context.Context, w *herald.Webhook, a herald.Attempt) error {
	fresh, err := h.webhooks().RecordHealth(ctx, w.ID, h.publishHealth(ctx), func(w *herald.Webhook) bool {
		countFailure(w, a)
		return true
	})
	if err != nil || fresh == nil {
		return err
	}
	limit, ok := disableAfter(fresh)
	if !ok || !fresh.Enabled || h.cfg.Now().Sub(herald.FromMillis(fresh.FailingSinceMS)) < limit {
		return nil
	}
	return h.disable(ctx, fresh, "failing for "+retry.Format(limit), a, fresh.FailingSinceMS)
}

// recovered ends w's run of failures after a success, as w is when the
// success is recorded (not as it was read before the attempt: failures
// recorded meanwhile are ended too). An endpoint marked unhealthy is
// announced recovered by the write that resets it. A healthy webhook costs
// one read and no write.
func (h *Handler) recovered(ctx context.Context, w *herald.Webhook) error {
	now := h.cfg.Now()
	_, err := h.webhooks().RecordHealth(ctx, w.ID, h.publishHealth(ctx), func(w *herald.Webhook) bool {
		return resetHealth(w, now)
	})
	return err
}

// countFailure adds failed attempt a to w's health: one more consecutive
// failure; the first of a run starts it, strictly after the last run began
// (its start names it); the one that reaches unhealthy_after marks the
// endpoint unhealthy and calls for the unhealthy event.
func countFailure(w *herald.Webhook, a herald.Attempt) {
	w.ConsecutiveFailures++
	if w.FailingSinceMS == 0 {
		w.FailingSinceMS = max(a.AtMS, w.HealthRunMS+1)
		w.HealthRunMS = w.FailingSinceMS
	}
	if !w.Unhealthy && w.ConsecutiveFailures >= int64(unhealthyAfter(w)) {
		w.Unhealthy = true
		w.HealthEvent = &herald.HealthEvent{Type: herald.EventEndpointUnhealthy, RunMS: w.FailingSinceMS,
			Failures: w.ConsecutiveFailures, StatusCode: a.StatusCode, Error: a.Error, AtMS: a.AtMS}
	}
}

// resetHealth ends w's run of failures, if it has one, and reports whether
// it did; an endpoint marked unhealthy calls for the recovered event.
func resetHealth(w *herald.Webhook, now time.Time) bool {
	if w.ConsecutiveFailures == 0 && !w.Unhealthy && w.FailingSinceMS == 0 {
		return false
	}
	if w.Unhealthy {
		w.HealthEvent = &herald.HealthEvent{Type: herald.EventEndpointRecovered, RunMS: w.FailingSinceMS,
			Failures: w.ConsecutiveFailures, AtMS: herald.Millis(now)}
	}
	w.ConsecutiveFailures, w.Unhealthy, w.FailingSinceMS = 0, false, 0
	return true
}

// publishHealth returns what publishes the endpoint event a webhook
// carries (HealthEvent).
func (h *Handler) publishHealth(ctx context.Context) func(*herald.Webhook) error {
	return func(w *herald.Webhook) error {
		return ownevent.PublishEndpointHealth(ctx, h.cfg.Ingest, w, w.HealthEvent)
	}
}

// unhealthyAfter is how many consecutive failures make w unhealthy.
func unhealthyAfter(w *herald.Webhook) int {
	if w.UnhealthyAfter > 0 {
		return w.UnhealthyAfter
	}
	return herald.DefaultUnhealthyAfter
}

// disableAfter is how long w may keep failing before it is disabled; false
// when it has no such limit (or an unreadable one, which the admin API never
// stores).
func disableAfter(w *herald.Webhook) (time.Duration, bool) {
	if w.DisableAfter == "" {
		return 0, false
	}
	d, err := time.ParseDuration(w.DisableAfter)
	if err != nil || d < herald.MinDisableAfter {
		return 0, false
	}
	return d, true
}
