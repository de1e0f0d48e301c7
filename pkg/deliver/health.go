package deliver

import (
	"context"
	"fmt"
	"time"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
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
		data := unhealthyData{WebhookID: fresh.ID, WebhookName: fresh.Name,
			ConsecutiveFailures: fresh.ConsecutiveFailures, FailingSince: herald.FromMillis(fresh.FailingSinceMS),
			LastStatusCode: a.StatusCode, LastError: a.Error}
		id := endpointEventID("unhealthy", fresh, fresh.FailingSinceMS)
		if err := publishEndpointEvent(ctx, h.cfg.Ingest, id, herald.EventEndpointUnhealthy, fresh, h.cfg.Now(), data); err != nil {
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
	return h.disable(ctx, fresh, "failing for "+retry.Format(limit), a,
		endpointEventID("disabled", fresh, fresh.FailingSinceMS))
}

// recovered ends w's run of failures after a success: an endpoint announced
// unhealthy is announced recovered (once: the id is the run's), then the
// health state is reset. A healthy webhook costs no write.
func (h *Handler) recovered(ctx context.Context, w *herald.Webhook) error {
	if w.ConsecutiveFailures == 0 && !w.Unhealthy && w.FailingSinceMS == 0 {
		return nil
	}
	fresh := &herald.Webhook{ID: w.ID}
	if err := h.cfg.Webhooks.Get(ctx, fresh); err != nil {
		if gcerrors.Code(err) == gcerrors.NotFound {
			return nil
		}
		return fmt.Errorf("read webhook %s: %w", w.ID, err)
	}
	if fresh.Unhealthy {
		data := recoveredData{WebhookID: fresh.ID, WebhookName: fresh.Name,
			FailingSince: herald.FromMillis(fresh.FailingSinceMS), ConsecutiveFailures: fresh.ConsecutiveFailures}
		id := endpointEventID("recovered", fresh, fresh.FailingSinceMS)
		if err := publishEndpointEvent(ctx, h.cfg.Ingest, id, herald.EventEndpointRecovered, fresh, h.cfg.Now(), data); err != nil {
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
