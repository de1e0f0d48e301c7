package expiry

import (
	"context"
	"fmt"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/store"
)

// heldKeys reads the held index, shard by shard, for the held deliveries
// created before cutoff (every one with a zero cutoff): their ids, webhook
// ids and creation times, what the index holds.
func (n *Notifier) heldKeys(ctx context.Context, cutoff time.Time) ([]*herald.Delivery, error) {
	var out []*herald.Delivery
	for shard := 1; shard <= herald.Shards; shard++ {
		q := store.HeldInShard(n.cfg.Deliveries, shard, cutoff)
		held, err := store.All[herald.Delivery](ctx, q.Get(ctx, store.HeldFields...))
		if err != nil {
			return nil, fmt.Errorf("query held deliveries: %w", err)
		}
		out = append(out, held...)
	}
	return out, nil
}

// expireHeld gives up deliveries held by a paused webhook for longer than the
// hold limit: they become failed (and expire after the retention), and
// webhook.delivery.dropped is emitted for each as for any delivery given up.
func (n *Notifier) expireHeld(ctx context.Context, now time.Time) (int, error) {
	keys, err := n.heldKeys(ctx, now.Add(-n.cfg.PauseHold))
	if err != nil {
		return 0, err
	}
	count := 0
	for _, key := range keys {
		d := &herald.Delivery{ID: key.ID}
		switch err := n.cfg.Deliveries.Get(ctx, d); {
		case store.NotFound(err):
			continue
		case err != nil:
			return count, fmt.Errorf("read held delivery %d: %w", key.ID, err)
		}
		if d.Status != herald.StatusPaused {
			continue // resumed since the index was read
		}
		expired, err := n.expireOne(ctx, d, now)
		if err != nil {
			return count, err
		}
		if !expired {
			continue
		}
		count++
		// Held no more: its slot of the pause queue is free again. A slot
		// not given back stays taken until the pause ends: the queue holds
		// one delivery fewer, never one more.
		if err := n.webhooks().FreeHeldSlot(ctx, d.WebhookID, d.PauseEpoch); err != nil {
			n.cfg.Logger.Error("pause queue slot not freed", "webhook_id", d.WebhookID, "error", err)
		}
	}
	return count, nil
}

// expireOne gives up held delivery d, read whole. It is announced before it
// is recorded: a failed publish leaves the delivery held for the next tick
// instead of given up unannounced. It reports false when d was resumed
// meanwhile.
func (n *Notifier) expireOne(ctx context.Context, d *herald.Delivery, now time.Time) (bool, error) {
	reason := fmt.Sprintf("held while the webhook was paused for over %s", n.cfg.PauseHold)
	announce := func(final *herald.Delivery, last herald.Attempt) error {
		w := &herald.Webhook{ID: final.WebhookID}
		if err := n.cfg.Webhooks.Get(ctx, w); err != nil && !store.NotFound(err) {
			return fmt.Errorf("read webhook %s: %w", final.WebhookID, err)
		}
		return ownevent.PublishDropped(ctx, n.cfg.Ingest, final, w, last, now)
	}
	return n.lifecycle().GiveUpHeld(ctx, d, reason, now, announce)
}

// releaseHeld settles the held deliveries whose writer did not (see
// store.Lifecycle.SettleHeld): those of a webhook resumed are sent, those
// held in a slot of an earlier pause take one of the current pause, or
// end as not sent when its queue is full. It returns how many it settled.
func (n *Notifier) releaseHeld(ctx context.Context, now time.Time) (int, error) {
	if n.cfg.Enqueuer == nil {
		return 0, nil
	}
	held, err := n.heldKeys(ctx, time.Time{})
	if err != nil {
		return 0, err
	}
	return n.lifecycle().SettleHeld(ctx, n.webhooks(), n.cfg.Enqueuer, held, now)
}

// webhooks writes webhooks and tells this process's table.
func (n *Notifier) webhooks() store.WebhookWrites {
	return store.WebhookWrites{Coll: n.cfg.Webhooks, Table: n.cfg.Table}
}

// lifecycle moves the deliveries from one status to another.
func (n *Notifier) lifecycle() store.Lifecycle {
	return store.Lifecycle{Deliveries: n.cfg.Deliveries, Retention: n.cfg.Retention}
}
