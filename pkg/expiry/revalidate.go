package expiry

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
	"github.com/heraldhq/herald/pkg/validation"
)

// maxRevalidatePerTick bounds the validation calls of one tick, made one
// after another: a tick of webhooks whose receivers time out still ends.
const maxRevalidatePerTick = 25

// revalidate validates again the enabled webhooks whose last validation is
// RevalidateInterval old or more (or that were never validated), oldest
// first. It spreads them over the interval: each tick takes the share of
// the enabled webhooks that one interval's ticks need to cover them all
// (at least 1, at most maxRevalidatePerTick), so a deployment whose
// webhooks all fall due at once calls their receivers a few at a time. It
// returns how many it validated and how many of those failed.
func (n *Notifier) revalidate(ctx context.Context, now time.Time) (done, failed int, err error) {
	if n.cfg.RevalidateInterval <= 0 {
		return 0, 0, nil
	}
	due, enabled, err := n.dueForValidation(ctx, now)
	if err != nil {
		return 0, 0, err
	}
	share := int(math.Ceil(float64(enabled) * float64(n.cfg.Interval) / float64(n.cfg.RevalidateInterval)))
	due = due[:min(len(due), max(1, min(share, maxRevalidatePerTick)))]
	rec := validation.Recorder{Writes: store.WebhookWrites{Coll: n.cfg.Webhooks, Table: n.cfg.Table,
		Revision: n.cfg.Revision, Logger: n.cfg.Logger}, OwnEvents: n.cfg.Ingest, Now: n.cfg.Now}
	for _, w := range due {
		if ctx.Err() != nil {
			break
		}
		res, err := rec.Revalidate(ctx, n.cfg.Validation, w)
		if err != nil {
			// One webhook whose secret cannot be opened, or whose write
			// failed, does not hold up the others.
			n.cfg.Logger.Error("re-validation", "webhook_id", w.ID, "error", err)
			continue
		}
		done++
		if !res.OK {
			failed++
		}
	}
	return done, failed, nil
}

// dueForValidation reads the webhooks (the deliberate scan of that small
// collection the webhook tables make too) and returns the enabled ones due
// for validation at now, the least recently validated first, and how many
// are enabled.
func (n *Notifier) dueForValidation(ctx context.Context, now time.Time) ([]*herald.Webhook, int, error) {
	cutoff := now.Add(-n.cfg.RevalidateInterval)
	var due []*herald.Webhook
	enabled := 0
	for w, err := range store.Docs[herald.Webhook](ctx, n.cfg.Webhooks.Query().Get(ctx)) {
		if err != nil {
			return nil, 0, fmt.Errorf("read webhooks: %w", err)
		}
		if !w.Enabled {
			continue
		}
		enabled++
		// One never validated counts from its creation: the validation
		// call of its save may still be in flight.
		last := w.ValidatedAt
		if last.IsZero() {
			last = w.CreatedAt
		}
		if last.After(cutoff) {
			continue
		}
		due = append(due, w)
	}
	slices.SortFunc(due, func(a, b *herald.Webhook) int {
		return cmp.Or(a.ValidatedAt.Compare(b.ValidatedAt), cmp.Compare(a.ID, b.ID))
	})
	return due, enabled, nil
}
