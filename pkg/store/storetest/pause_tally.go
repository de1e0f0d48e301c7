package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// tally is what the pause checks count of their webhook: its held
// deliveries (the held index), its deliveries ended as dropped (failed:
// nothing else fails in these checks, which send nothing), all of its
// deliveries, and the webhook as it is.
type tally struct {
	held, failed, all int
	w                 *herald.Webhook
}

// tally counts the rig's webhook's deliveries and reads the webhook.
func (p *pauseRig) tally(t *testing.T) tally {
	t.Helper()
	ctx := context.Background()
	var n tally
	var err error
	if n.held, err = store.HeldCount(ctx, p.c.Deliveries, p.id); err != nil {
		t.Fatal(err)
	}
	for status, into := range map[herald.Status]*int{herald.StatusFailed: &n.failed, "": &n.all} {
		q := store.WebhookDeliveries(p.c.Deliveries, p.id, status)
		if *into, err = store.Count[herald.Delivery](ctx, q.Get(ctx, store.IDFields...)); err != nil {
			t.Fatal(err)
		}
	}
	if n.w, err = p.writes.Get(ctx, p.id); err != nil {
		t.Fatal(err)
	}
	return n
}

// exact says what is off in a paused webhook's pause queue after a round
// that began at before and gave it events new events, of which it was to
// hold want (-1: any number up to its limit): more held than the limit, or
// than the slots taken (pause_held), an event with no delivery or two, a
// drop not counted in pause_dropped, or counted twice. Empty when nothing
// is.
func exact(before, after tally, limit, events, want int) string {
	dropped := int(after.w.PauseDropped - before.w.PauseDropped)
	failed, all := after.failed-before.failed, after.all-before.all
	switch {
	case !after.w.Paused:
		return "the webhook is not paused"
	case after.held > limit || want >= 0 && after.held != want:
		return fmt.Sprintf("%d held with a queue of %d (want %d)", after.held, limit, want)
	case int64(after.held) != after.w.PauseHeld:
		return fmt.Sprintf("%d held in %d slots", after.held, after.w.PauseHeld)
	case all != events:
		return fmt.Sprintf("%d deliveries of %d events", all, events)
	case dropped != failed:
		return fmt.Sprintf("pause_dropped up %d for %d deliveries dropped", dropped, failed)
	}
	return ""
}

// pauseWith sets the webhook's pause queue limit and pauses it.
func (p *pauseRig) pauseWith(t *testing.T, limit int) {
	t.Helper()
	ctx := context.Background()
	w, err := p.writes.Get(ctx, p.id)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.writes.Save(ctx, w, func(w *herald.Webhook) error { w.PauseQueueLimit = limit; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := p.setPaused(true); err != nil {
		t.Fatal(err)
	}
}
