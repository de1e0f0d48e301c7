package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/match"
	"github.com/heraldhq/herald/pkg/store"
)

// fanOut creates a delivery of the stored event ev (parsed as env) for every
// matching webhook that has none yet and enqueues the first attempt of each
// pending one. It returns how many deliveries it created. The webhooks are
// matched as of began, when the handling of the event's message began: every
// webhook written before the event was published is seen, also when another
// process wrote it.
func (h *Handler) fanOut(ctx context.Context, ev *herald.Event, env *envelope.Envelope, resumed bool, began time.Time) (int, error) {
	mev := matchEvent(env)
	hooks, err := h.matching(ctx, mev, began)
	if err != nil {
		return 0, err
	}
	now := h.cfg.Now()
	if resumed {
		var unsent []int64
		if hooks, unsent, err = h.withoutDelivery(ctx, ev, hooks); err != nil {
			return 0, err
		}
		// Deliveries created before the interruption may never have been
		// enqueued; a second job for one is harmless.
		for _, id := range unsent {
			if err := h.cfg.Enqueuer.Enqueue(ctx, herald.Job{DeliveryID: id, Attempt: 1}, now); err != nil {
				return 0, err
			}
		}
	}
	var created []*herald.Delivery
	drops := map[*herald.Delivery]*herald.Webhook{}
	for _, w := range hooks {
		base := newDelivery(ev, env, mev, w)
		slot, fresh := store.NotPaused, w
		if w.Paused {
			// One write of the webhook decides and records it (see
			// store.WebhookWrites.TakeHeldSlot): the limit holds however
			// many events fan out at once.
			if slot, fresh, err = h.writes().TakeHeldSlot(ctx, w.ID); err != nil {
				return 0, err
			}
		}
		if slot == store.Held {
			base.PauseEpoch = fresh.PauseEpoch
		}
		d := store.NewDelivery(base, now, slot)
		if slot == store.Dropped {
			drops[d] = fresh
		}
		h.cfg.Preclaims.Claim(d, w, now) // if pending
		created = append(created, d)
	}
	all := created
	created, made, err := h.create(ctx, ev, created)
	if err != nil {
		return 0, err
	}
	if err := h.giveBackNotKept(ctx, all, created); err != nil {
		return 0, err
	}
	h.cfg.Metrics.DeliveriesCreated(len(created) - h.dropped(ctx, env, created, drops))
	// Deliveries another handler of the event made meanwhile may not be
	// enqueued yet; a second job for one is harmless.
	for _, id := range made {
		if err := h.cfg.Enqueuer.Enqueue(ctx, herald.Job{DeliveryID: id, Attempt: 1}, now); err != nil {
			return 0, err
		}
	}
	var held []*herald.Delivery
	for _, d := range created {
		switch d.Status {
		case herald.StatusPaused:
			held = append(held, d)
			continue
		case herald.StatusFailed:
			continue // dropped
		}
		if err := h.cfg.Enqueuer.Enqueue(ctx, herald.Job{DeliveryID: d.ID, Attempt: 1}, now); err != nil {
			return 0, err
		}
	}
	// A webhook resumed (and maybe paused again) while its deliveries were
	// being created: send them, or hold them in the new pause.
	life := store.Lifecycle{Deliveries: h.cfg.Deliveries, Retention: h.cfg.Retention}
	if err := life.Settle(ctx, h.writes(), h.cfg.Enqueuer, held, now); err != nil {
		return 0, err
	}
	return len(created), nil
}

// holdPreclaim records the preclaim of delivery d just written, if it has
// one, before its job is enqueued (see store.Preclaims).
func (h *Handler) holdPreclaim(d *herald.Delivery) {
	if store.Preclaimed(d) {
		h.cfg.Preclaims.Put(d)
	}
}

// newDelivery returns the delivery of stored event ev (parsed as env, read
// by matching as mev) to w, before NewDelivery gives it its status.
func newDelivery(ev *herald.Event, env *envelope.Envelope, mev match.Event, w *herald.Webhook) herald.Delivery {
	why := match.Explain(w, mev)
	return herald.Delivery{WebhookID: w.ID, EventID: env.EventID, EventKey: ev.ID,
		EventType: env.EventType, TenantID: env.TenantID, URL: w.URL, Match: &why}
}

// ingestAtOnce ingests a new event with one write where the store offers a
// transaction across collections (local mode): the event, already marked
// fanned out, and its deliveries, then enqueues their first attempts — one
// commit where handle makes three (the event with its fan-out lease, the
// deliveries, the mark). It reports false, having written nothing, where the
// store offers none, where a matching webhook is paused (a held delivery
// first takes a slot of the webhook's queue, a write of its own), and where
// a key is taken (a duplicate of the event, an id held by another event's
// delivery): handle then takes its path of one write at a time, which deals
// with each. Marking the event fanned out before its jobs are enqueued loses
// nothing: a pending delivery whose job is lost (a crash, a failed enqueue)
// is re-armed at start and by the sweep. With Preclaims set, each delivery's
// first attempt is claimed in the same write, one write fewer per delivery
// (see store.Preclaims).
func (h *Handler) ingestAtOnce(ctx context.Context, env *envelope.Envelope, began time.Time) (bool, error) {
	if !h.together {
		return false, nil
	}
	mev := matchEvent(env)
	hooks, err := h.matching(ctx, mev, began)
	if err != nil {
		return false, err
	}
	now := h.cfg.Now()
	ev := h.newEvent(env, now)
	ev.FannedOut = true
	ingested := herald.FromMillis(ev.CreatedMS)
	ds := make([]*herald.Delivery, 0, len(hooks))
	probes, inList := map[*herald.Delivery]int{}, map[int64]bool{}
	for _, w := range hooks {
		if w.Paused {
			return false, nil
		}
		d := store.NewDelivery(newDelivery(ev, env, mev, w), now, store.NotPaused)
		if err := pickID(ev.ID, d, ingested, probes, inList); err != nil {
			return false, nil
		}
		h.cfg.Preclaims.Claim(d, w, now)
		ds = append(ds, d)
	}
	life := store.Lifecycle{Deliveries: h.cfg.Deliveries, Retention: h.cfg.Retention}
	if ok, err := life.CreateWithEvent(ctx, h.cfg.Events, ev, ds, now); err != nil || !ok {
		return false, err
	}
	for _, d := range ds {
		h.holdPreclaim(d)
	}
	h.cfg.EventCache.Add(ev)
	h.cfg.Metrics.DeliveriesCreated(len(ds))
	for _, d := range ds {
		if err := h.cfg.Enqueuer.Enqueue(ctx, herald.Job{DeliveryID: d.ID, Attempt: 1}, now); err != nil {
			return true, err
		}
	}
	h.ingested(env, len(ds))
	return true, nil
}

// matchEvent is what matching reads of env.
func matchEvent(env *envelope.Envelope) match.Event {
	return match.Event{Type: env.EventType, Category: env.Category,
		TenantID: env.TenantID, PartnerID: env.PartnerID, Fields: env.Fields}
}

// matching returns the enabled webhooks whose subscription matches ev, as
// of asOf (see cache.Webhooks.MatchingAsOf).
func (h *Handler) matching(ctx context.Context, ev match.Event, asOf time.Time) ([]*herald.Webhook, error) {
	if h.cfg.Table != nil {
		return h.cfg.Table.MatchingAsOf(ctx, ev, asOf)
	}
	// Webhooks are few next to events; a query over all of them is the
	// deliberate scan of this collection.
	var out []*herald.Webhook
	for w, err := range store.Docs[herald.Webhook](ctx, h.cfg.Webhooks.Query().Get(ctx)) {
		if err != nil {
			return nil, fmt.Errorf("query webhooks: %w", err)
		}
		if !w.Enabled {
			continue
		}
		m, err := match.Compile(w)
		if err != nil {
			h.cfg.Logger.Error("webhook has an invalid subscription", "webhook_id", w.ID, "error", err)
			continue
		}
		if m.Match(ev) {
			out = append(out, w)
		}
	}
	return out, nil
}

// withoutDelivery drops the webhooks that already have a delivery of the
// event ev, left by an interrupted earlier attempt, and returns the ids of
// those deliveries still waiting for their first attempt. The deliveries of
// its event_id are found in the by-event index, which holds their webhook
// ids only (it is written once, at creation); their scope and status are
// then read by key, and those of the same event_id from another tenant or
// partner (another event) are left out.
func (h *Handler) withoutDelivery(ctx context.Context, ev *herald.Event, hooks []*herald.Webhook) ([]*herald.Webhook, []int64, error) {
	eventID := ev.PublishedID()
	existing, err := store.All[herald.Delivery](ctx,
		store.EventDeliveries(h.cfg.Deliveries, eventID).Get(ctx, store.EventDeliveryFields...))
	if err != nil {
		return nil, nil, fmt.Errorf("query deliveries of event %s: %w", eventID, err)
	}
	have := map[string]bool{}
	var unsent []int64
	if len(existing) > 0 {
		gets := h.cfg.Deliveries.Actions()
		for _, d := range existing {
			gets.Get(d, store.FanOutFields...)
		}
		if err := gets.Do(ctx); err != nil && !onlyNotFound(err) {
			return nil, nil, fmt.Errorf("read deliveries of event %s: %w", ev.ID, err)
		}
		for _, d := range existing {
			if d.EventStoreKey() != ev.ID {
				continue // another scope's event, or deleted since it was found
			}
			have[d.WebhookID] = true
			if h.waitsForFirstJob(d) {
				unsent = append(unsent, d.ID)
			}
		}
	}
	var out []*herald.Webhook
	for _, w := range hooks {
		if !have[w.ID] {
			out = append(out, w)
		}
	}
	return out, unsent, nil
}

// waitsForFirstJob reports whether d, read with its status and attempt
// count, may wait for the job of its first attempt: none claimed yet, or
// one preclaimed by a handler that failed before it enqueued the job (see
// store.Preclaims). A second job for it is harmless.
func (h *Handler) waitsForFirstJob(d *herald.Delivery) bool {
	return d.Status == herald.StatusPending &&
		(d.AttemptCount == 0 || d.AttemptCount == 1 && h.cfg.Preclaims.Holds(d.ID))
}

// onlyNotFound reports whether err is an action list error whose every
// action failed with NotFound (deliveries deleted since they were found).
func onlyNotFound(err error) bool {
	var errs docstore.ActionListError
	if !errors.As(err, &errs) {
		return false
	}
	for _, e := range errs {
		if !store.NotFound(e.Err) {
			return false
		}
	}
	return true
}
