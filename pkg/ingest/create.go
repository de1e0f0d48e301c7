package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// maxIDProbes bounds how many ids held by other deliveries one delivery
// steps over (see herald.DeliveryIDFor).
const maxIDProbes = 32

// create writes the deliveries of ev, each under its id for ev and its
// webhook (herald.DeliveryIDFor), and returns those it created. A delivery
// of ev to the same webhook that is there already was made by another
// handler of the same event (a duplicate message handled at once, or a
// fan-out taken over from a holder still at work): it is not made again,
// and when it still waits for its first attempt its id is returned in
// unsent, to enqueue. So however many handlers fan an event out, each
// webhook gets one delivery. An id held by another event's delivery is
// replaced by the next probe.
func (h *Handler) create(ctx context.Context, ev *herald.Event, ds []*herald.Delivery) (created []*herald.Delivery, unsent []int64, err error) {
	ingested := herald.FromMillis(ev.CreatedMS)
	probes := make(map[*herald.Delivery]int, len(ds))
	for len(ds) > 0 {
		inList := make(map[int64]bool, len(ds))
		for _, d := range ds {
			if err := pickID(ev.ID, d, ingested, probes, inList); err != nil {
				return nil, nil, err
			}
		}
		lc := store.Lifecycle{Deliveries: h.cfg.Deliveries, Retention: h.cfg.Retention}
		taken, err := lc.Create(ctx, ds, h.cfg.Now())
		if err != nil {
			return nil, nil, fmt.Errorf("create deliveries: %w", err)
		}
		var again []*herald.Delivery
		for i, d := range ds {
			if !taken[i] {
				// Its preclaim is held at once, before anything that may
				// fail: a delivery written preclaimed whose preclaim no
				// table holds would wait for its lease to run out.
				h.holdPreclaim(d)
				created = append(created, d)
				continue
			}
			mine, waiting, err := h.heldBySame(ctx, ev, d)
			switch {
			case err != nil:
				return nil, nil, err
			case mine && waiting:
				unsent = append(unsent, d.ID)
			case !mine:
				probes[d]++
				again = append(again, d)
			}
		}
		ds = again
	}
	return created, unsent, nil
}

// pickID sets d.ID to its id for the event stored under eventKey at its
// next probe that no other delivery of this action list has (inList): two
// webhooks of one event can hash to one id, and a second create of a key in
// one action list fails the whole list. The ids are taken in the order of
// ds (webhook id order), so every handler of the event picks the same ones.
func pickID(eventKey string, d *herald.Delivery, ingested time.Time, probes map[*herald.Delivery]int, inList map[int64]bool) error {
	for ; probes[d] < maxIDProbes; probes[d]++ {
		d.ID = herald.DeliveryIDFor(eventKey, d.WebhookID, ingested, probes[d])
		if !inList[d.ID] {
			inList[d.ID] = true
			return nil
		}
	}
	return fmt.Errorf("create delivery of event %s to %s: no free id in %d probes", eventKey, d.WebhookID, maxIDProbes)
}

// heldBySame reads the delivery holding d's id and reports whether it is
// ev's delivery to d's webhook, and if so whether it waits for its first
// attempt's job. One deleted since its create failed is read as another's,
// so the id is tried again at the next probe.
func (h *Handler) heldBySame(ctx context.Context, ev *herald.Event, d *herald.Delivery) (mine, waiting bool, err error) {
	held := &herald.Delivery{ID: d.ID}
	err = h.cfg.Deliveries.Get(ctx, held, store.HolderFields...)
	switch {
	case store.NotFound(err):
		return false, false, nil
	case err != nil:
		return false, false, fmt.Errorf("read delivery %d: %w", d.ID, err)
	}
	mine = held.WebhookID == d.WebhookID && held.EventStoreKey() == ev.ID
	return mine, mine && h.waitsForFirstJob(held), nil
}
