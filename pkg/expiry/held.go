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

// expireHeld gives up deliveries held by a paused webhook for longer than the
// hold limit: they become failed, and webhook.delivery.dropped is emitted for
// each as for any delivery given up.
func (n *Notifier) expireHeld(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.Add(-n.cfg.PauseHold)
	iter := n.cfg.Deliveries.Query().
		Where("status", "=", herald.StatusPaused).
		Where("created_ms", "<", herald.Millis(cutoff)).
		Get(ctx)
	defer iter.Stop()
	count := 0
	for {
		d := new(herald.Delivery)
		err := iter.Next(ctx, d)
		if err == io.EOF {
			return count, nil
		}
		if err != nil {
			return count, fmt.Errorf("query held deliveries: %w", err)
		}
		d.AttemptCount++ // the "not sent" record takes the number
		last := herald.Attempt{Attempt: d.AttemptCount, AtMS: herald.Millis(now),
			Error: fmt.Sprintf("not sent: held while the webhook was paused for over %s", n.cfg.PauseHold)}
		d.Attempts = append(d.Attempts, last)
		d.Status, d.DroppedMS, d.UpdatedMS = herald.StatusFailed, herald.Millis(now), herald.Millis(now)
		w := &herald.Webhook{ID: d.WebhookID}
		if err := n.cfg.Webhooks.Get(ctx, w); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return count, fmt.Errorf("read webhook %s: %w", d.WebhookID, err)
		}
		// Announce, then record: a failed publish leaves the delivery held
		// for the next tick instead of given up unannounced.
		if err := ownevent.PublishDropped(ctx, n.cfg.Ingest, d, w, last, now); err != nil {
			return count, err
		}
		if err := n.cfg.Deliveries.Replace(ctx, d); err != nil {
			if gcerrors.Code(err) == gcerrors.FailedPrecondition {
				continue // resumed meanwhile
			}
			return count, fmt.Errorf("expire held delivery %d: %w", d.ID, err)
		}
		count++
	}
}

// releaseHeld sends the held deliveries whose webhook is not paused any more.
// It returns how many held deliveries it looked at that are no longer held.
func (n *Notifier) releaseHeld(ctx context.Context, now time.Time) (int, error) {
	if n.cfg.Enqueuer == nil {
		return 0, nil
	}
	iter := n.cfg.Deliveries.Query().Where("status", "=", herald.StatusPaused).Get(ctx)
	defer iter.Stop()
	var held []*herald.Delivery
	for {
		d := new(herald.Delivery)
		err := iter.Next(ctx, d)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("query held deliveries: %w", err)
		}
		held = append(held, d)
	}
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
