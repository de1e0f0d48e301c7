package deliver

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heraldhq/herald/pkg/cache"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// load reads the delivery a job names and returns nil when the job is stale:
// the delivery is gone or no longer pending, the attempt was already claimed,
// or the previous attempt is still in flight.
//
// A first attempt that ingest claimed as it created the delivery (see
// store.Preclaims) is claimed already: the job that takes its preclaim gets
// the delivery as if unclaimed, and the preclaim's lease (non-zero), which
// claim then uses instead of writing a claim of its own. Any other write of
// the delivery by this job (put back, held, stopped) undoes the preclaim.
// A copy of the job that finds the preclaim taken finds the attempt claimed:
// stale.
func (h *Handler) load(ctx context.Context, job herald.Job) (d *herald.Delivery, preclaim int64, err error) {
	d = &herald.Delivery{ID: job.DeliveryID}
	if err := h.cfg.Deliveries.Get(ctx, d); err != nil {
		if store.NotFound(err) {
			return nil, 0, nil
		}
		return nil, 0, fmt.Errorf("read delivery %d: %w", job.DeliveryID, err)
	}
	if job.Attempt == 1 {
		if until, ok := h.cfg.Preclaims.Take(d.ID); ok && d.Status == herald.StatusPending &&
			d.AttemptCount == 1 && d.LeaseUntilMS == until && len(d.Attempts) == 0 {
			d.AttemptCount, d.LeaseUntilMS = 0, 0
			return d, until, nil
		}
		// A preclaim of a delivery written over since is void.
	}
	switch {
	case d.Status != herald.StatusPending:
		return nil, 0, nil
	case job.Attempt != d.AttemptCount+1:
		return nil, 0, nil // a duplicate of a claimed attempt, or out of step
	case d.LeaseUntilMS > herald.Millis(h.cfg.Now()):
		return nil, 0, nil // the previous attempt is in flight and will decide
	}
	return d, 0, nil
}

// target reads the webhook and event of d. A non-empty reason says why the
// delivery cannot be sent at all.
func (h *Handler) target(ctx context.Context, d *herald.Delivery) (*herald.Webhook, *herald.Event, string, error) {
	w, err := h.webhook(ctx, d.WebhookID)
	if err != nil {
		if errors.Is(err, cache.ErrNotFound) || store.NotFound(err) {
			return nil, nil, "webhook deleted", nil
		}
		return nil, nil, "", fmt.Errorf("read webhook %s: %w", d.WebhookID, err)
	}
	if !w.Enabled {
		return nil, nil, "webhook disabled", nil
	}
	key := d.EventStoreKey()
	ev, ok := h.cfg.EventCache.Get(key)
	if !ok {
		ev = &herald.Event{ID: key}
		if err := h.cfg.Events.Get(ctx, ev); err != nil {
			if store.NotFound(err) {
				return nil, nil, "event no longer stored", nil
			}
			return nil, nil, "", fmt.Errorf("read event %s: %w", key, err)
		}
		h.cfg.EventCache.Add(ev)
	}
	return w, ev, "", nil
}

// webhook reads webhook id from the table, or from the store without one.
func (h *Handler) webhook(ctx context.Context, id string) (*herald.Webhook, error) {
	if h.cfg.Table != nil {
		return h.cfg.Table.Get(ctx, id)
	}
	w := &herald.Webhook{ID: id}
	if err := h.cfg.Webhooks.Get(ctx, w); err != nil {
		return nil, err
	}
	return w, nil
}

// claim takes attempt n of d, leased for w's timeout and the margin, so
// that of two workers holding the same job only one sends it (see
// store.Lifecycle.Claim). With *preclaim set (see load) the attempt is
// claimed already, by the write that created d, and only d as held here is
// made to say so (should its job have waited so long that the request
// might outlast the lease, the lease is renewed before the request: see
// attempt); *preclaim is then used up.
func (h *Handler) claim(ctx context.Context, d *herald.Delivery, w *herald.Webhook, n int, preclaim *int64) (bool, error) {
	if preclaim != nil && *preclaim != 0 {
		d.AttemptCount, d.LeaseUntilMS = n, *preclaim
		*preclaim = 0
		return true, nil
	}
	return h.lifecycle().Claim(ctx, d, n, h.lease(w), h.cfg.Now())
}

// lease is how long a claimed attempt to w is protected from the sweep: w's
// timeout and the margin.
func (h *Handler) lease(w *herald.Webhook) time.Duration {
	return h.timeout(w) + store.LeaseMargin
}

// timeout is how long one attempt to w may take: its timeout_seconds, or the
// deployment's.
func (h *Handler) timeout(w *herald.Webhook) time.Duration {
	return store.AttemptTimeout(w, h.cfg.Timeout)
}
