package deliver

import (
	"context"
	"errors"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/retry"
)

// failed counts failed attempt a against w's health. When the run of
// failures reaches the webhook's unhealthy_after, webhook.endpoint.unhealthy
// is announced once for the run; when it has lasted the webhook's
// disable_after, the endpoint is disabled. Both events take their id from
// the run's start (failing_since), which only one writer sets, so concurrent
// workers announce the same occasion under the same id.
func (h *Handler) failed(ctx context.Context, w *herald.Webhook, a herald.Attempt) error {
	fresh, err := h.webhooks().CountFailure(ctx, w.ID, a.AtMS)
	if err != nil || fresh == nil {
		return err
	}
	if !fresh.Unhealthy && fresh.ConsecutiveFailures >= int64(unhealthyAfter(fresh)) {
		if err := ownevent.PublishEndpointUnhealthy(ctx, h.cfg.Ingest, fresh, a, h.cfg.Now()); err != nil {
			return err
		}
		if err := h.webhooks().MarkUnhealthy(ctx, fresh); err != nil {
			return err
		}
	}
	limit, ok := disableAfter(fresh)
	if !ok || !fresh.Enabled || h.cfg.Now().Sub(herald.FromMillis(fresh.FailingSinceMS)) < limit {
		return nil
	}
	return h.disable(ctx, fresh, "failing for "+retry.Format(limit), a, fresh.FailingSinceMS)
}

// recovered ends w's run of failures after a success: an endpoint announced
// unhealthy is announced recovered (once: the id is the run's), then the
// health state is reset. A healthy webhook costs no write.
func (h *Handler) recovered(ctx context.Context, w *herald.Webhook) error {
	if w.ConsecutiveFailures == 0 && !w.Unhealthy && w.FailingSinceMS == 0 {
		return nil
	}
	fresh, err := h.webhooks().Get(ctx, w.ID)
	if err != nil {
		if errors.Is(err, herald.ErrNotFound) {
			return nil
		}
		return err
	}
	if fresh.Unhealthy {
		if err := ownevent.PublishEndpointRecovered(ctx, h.cfg.Ingest, fresh, h.cfg.Now()); err != nil {
			return err
		}
	}
	return h.webhooks().ResetHealth(ctx, w.ID)
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
