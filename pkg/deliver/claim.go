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
// store.Preclaims) is claimed already, and while its lease runs its
// delivery is not read: the job that takes the preclaim gets the delivery
// as written, though as if unclaimed, with the preclaim (see preclaim),
// which claim then uses instead of writing a claim of its own. Any other
// write of the delivery by this job (put back, held, stopped) undoes the
// preclaim. A copy of the job that finds the preclaim taken reads the
// attempt claimed: stale.
func (h *Handler) load(ctx context.Context, job herald.Job) (*herald.Delivery, *preclaim, error) {
	var written *herald.Delivery
	if job.Attempt == 1 {
		written = h.cfg.Preclaims.Take(job.DeliveryID)
	}
	if written != nil && herald.Millis(h.cfg.Now()) < written.LeaseUntilMS {
		d := *written
		d.AttemptCount, d.LeaseUntilMS = 0, 0
		return &d, &preclaim{table: h.cfg.Preclaims, written: written}, nil
	}
	// A preclaim whose lease ran out while its job waited: no longer the
	// only writer's, the delivery is read, and the preclaim used only if
	// the delivery is still as written.
	d := &herald.Delivery{ID: job.DeliveryID}
	if err := h.cfg.Deliveries.Get(ctx, d); err != nil {
		if store.NotFound(err) {
			return nil, nil, nil
		}
		if written != nil {
			h.cfg.Preclaims.Put(written)
		}
		return nil, nil, fmt.Errorf("read delivery %d: %w", job.DeliveryID, err)
	}
	if written != nil && d.DocstoreRevision == written.DocstoreRevision {
		d.AttemptCount, d.LeaseUntilMS = 0, 0
		return d, &preclaim{table: h.cfg.Preclaims, written: written}, nil
	}
	switch {
	case d.Status != herald.StatusPending:
		return nil, nil, nil
	case job.Attempt != d.AttemptCount+1:
		return nil, nil, nil // a duplicate of a claimed attempt, or out of step
	case d.LeaseUntilMS > herald.Millis(h.cfg.Now()):
		return nil, nil, nil // the previous attempt is in flight and will decide
	}
	return d, nil, nil
}

// preclaim is the preclaim a job took (see load), until its attempt uses it
// or the job gives it back; the zero value holds none.
type preclaim struct {
	table *store.Preclaims
	// written is the delivery as ingest wrote it, claimed.
	written *herald.Delivery
}

// use takes the preclaim for the job's attempt, and returns the lease it
// was written with; false when there is none.
func (p *preclaim) use() (leaseUntilMS int64, ok bool) {
	if p == nil || p.written == nil {
		return 0, false
	}
	leaseUntilMS, p.written = p.written.LeaseUntilMS, nil
	return leaseUntilMS, true
}

// giveBack returns the preclaim, unused, to the table, for the job's
// message to take again when it comes again: only for a job failing before
// it wrote anything (after a write the preclaim is undone, and the delivery
// as written is not what is stored).
func (p *preclaim) giveBack() {
	if p != nil && p.written != nil {
		p.table.Put(p.written)
		p.written = nil
	}
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
// store.Lifecycle.Claim). With a preclaim (see load) the attempt is claimed
// already, by the write that created d, and only d as held here is made to
// say so (should its job have waited so long that the request might
// outlast the lease, the lease is renewed before the request: see attempt);
// the preclaim is then used up.
func (h *Handler) claim(ctx context.Context, d *herald.Delivery, w *herald.Webhook, n int, pre *preclaim) (bool, error) {
	if leaseUntilMS, ok := pre.use(); ok {
		d.AttemptCount, d.LeaseUntilMS = n, leaseUntilMS
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
