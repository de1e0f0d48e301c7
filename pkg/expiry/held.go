package expiry

import (
	"context"
	"fmt"
	"io"
	"time"

	"gocloud.dev/gcerrors"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ownevent"
	"github.com/heraldhq/herald/pkg/schedule"
)

// heldKeys reads the held index (held_shard, created_ms), shard by shard,
// for the held deliveries created before cutoff (every one with a zero
// cutoff): their ids and webhook ids, all the index holds that they need.
func (n *Notifier) heldKeys(ctx context.Context, cutoff time.Time) ([]*herald.Delivery, error) {
	var out []*herald.Delivery
	for shard := 1; shard <= herald.Shards; shard++ {
		q := n.cfg.Deliveries.Query().Where("held_shard", "=", shard)
		if !cutoff.IsZero() {
			q = q.Where("created_ms", "<", herald.Millis(cutoff))
		}
		iter := q.Get(ctx, schedule.HeldFields...)
		for {
			d := new(herald.Delivery)
			err := iter.Next(ctx, d)
			if err == io.EOF {
				break
			}
			if err != nil {
				iter.Stop()
				return nil, fmt.Errorf("query held deliveries: %w", err)
			}
			out = append(out, d)
		}
		iter.Stop()
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
		case gcerrors.Code(err) == gcerrors.NotFound:
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
		if expired {
			count++
		}
	}
	return count, nil
}

// expireOne gives up held delivery d, read whole.
func (n *Notifier) expireOne(ctx context.Context, d *herald.Delivery, now time.Time) (bool, error) {
	d.AttemptCount++ // the "not sent" record takes the number
	last := herald.Attempt{Attempt: d.AttemptCount, AtMS: herald.Millis(now),
		Error: fmt.Sprintf("not sent: held while the webhook was paused for over %s", n.cfg.PauseHold)}
	d.Attempts = append(d.Attempts, last)
	d.Status, d.DroppedMS, d.UpdatedMS = herald.StatusFailed, herald.Millis(now), herald.Millis(now)
	d.Derive(now, n.cfg.Retention)
	w := &herald.Webhook{ID: d.WebhookID}
	if err := n.cfg.Webhooks.Get(ctx, w); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return false, fmt.Errorf("read webhook %s: %w", d.WebhookID, err)
	}
	// Announce, then record: a failed publish leaves the delivery held
	// for the next tick instead of given up unannounced.
	if err := ownevent.PublishDropped(ctx, n.cfg.Ingest, d, w, last, now); err != nil {
		return false, err
	}
	if err := n.cfg.Deliveries.Replace(ctx, d); err != nil {
		if gcerrors.Code(err) == gcerrors.FailedPrecondition {
			return false, nil // resumed meanwhile
		}
		return false, fmt.Errorf("expire held delivery %d: %w", d.ID, err)
	}
	return true, nil
}

// releaseHeld sends the held deliveries whose webhook is not paused any more.
// It returns how many held deliveries it looked at that are no longer held.
func (n *Notifier) releaseHeld(ctx context.Context, now time.Time) (int, error) {
	if n.cfg.Enqueuer == nil {
		return 0, nil
	}
	held, err := n.heldKeys(ctx, time.Time{})
	if err != nil {
		return 0, err
	}
	// ReleaseHeld reads whole (by key) only those it re-arms.
	if err := schedule.ReleaseHeld(ctx, n.cfg.Webhooks, n.cfg.Deliveries, n.cfg.Enqueuer, held, now); err != nil {
		return 0, err
	}
	released := 0
	for _, d := range held {
		if d.Status != herald.StatusPaused {
			released++
		}
	}
	return released, nil
}
