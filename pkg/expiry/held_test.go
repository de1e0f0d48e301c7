package expiry_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/herald"
)

func TestTickGivesUpHeldDeliveries(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	n := r.notifier(t, expiry.Config{PauseHold: time.Hour})
	r.put(t, r.webhooks, &herald.Webhook{ID: "wh_billing", Name: "billing", TenantID: "acme", Paused: true})
	created := func(ago time.Duration) int64 { return herald.Millis(t0.Add(-ago)) }
	held := []*herald.Delivery{
		// Held past PauseHold: given up, dropped event published.
		{ID: 1, WebhookID: "wh_billing", EventID: "evt_1", EventType: "invoice.paid", Status: herald.StatusPaused, CreatedMS: created(2 * time.Hour)},
		// Same, for a webhook since deleted: published with what is known.
		{ID: 2, WebhookID: "wh_gone", EventID: "evt_2", EventType: "invoice.paid", Status: herald.StatusPaused, CreatedMS: created(3 * time.Hour)},
		// One of Herald's own events: given up, but nothing emitted.
		{ID: 3, WebhookID: "wh_billing", EventID: "evt_3", EventType: herald.EventDeliveryDropped, Status: herald.StatusPaused, CreatedMS: created(2 * time.Hour)},
		// Held within PauseHold: still paused.
		{ID: 4, WebhookID: "wh_billing", EventID: "evt_4", EventType: "invoice.paid", Status: herald.StatusPaused, CreatedMS: created(30 * time.Minute)},
		// Not held.
		{ID: 5, WebhookID: "wh_billing", EventID: "evt_5", EventType: "invoice.paid", Status: herald.StatusPending, CreatedMS: created(2 * time.Hour)},
	}
	for _, d := range held {
		r.put(t, r.deliveries, d)
	}

	rep, err := n.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (expiry.Report{ExpiredHeld: 3}); rep != want {
		t.Fatalf("Tick = %+v, want %+v", rep, want)
	}
	for _, id := range []int64{1, 2, 3} {
		d, ok := r.delivery(t, id)
		if !ok {
			t.Fatalf("delivery %d deleted", id)
		}
		if d.Status != herald.StatusFailed || d.DroppedMS != herald.Millis(t0) || d.UpdatedMS != herald.Millis(t0) {
			t.Errorf("delivery %d: status %s, dropped %d, updated %d; want failed, both at %d",
				id, d.Status, d.DroppedMS, d.UpdatedMS, herald.Millis(t0))
		}
		if len(d.Attempts) != 1 {
			t.Fatalf("delivery %d: attempts %+v, want one recording why", id, d.Attempts)
		}
		if a := d.Attempts[0]; a.Attempt != 1 || a.AtMS != herald.Millis(t0) || !strings.Contains(a.Error, "paused") {
			t.Errorf("delivery %d: attempt %+v, want attempt 1 at now mentioning the pause", id, a)
		}
	}
	for id, want := range map[int64]herald.Status{4: herald.StatusPaused, 5: herald.StatusPending} {
		if d, ok := r.delivery(t, id); !ok || d.Status != want || d.DroppedMS != 0 {
			t.Errorf("delivery %d: %+v, want untouched %s", id, d, want)
		}
	}

	got := r.receiveDropped(t, 2)
	for id, want := range map[int64]struct{ webhook, name, tenant string }{
		1: {"wh_billing", "billing", "acme"},
		2: {"wh_gone", "", ""},
	} {
		e, ok := got[id]
		switch {
		case !ok:
			t.Errorf("no dropped event for delivery %d; got %+v", id, got)
		case e.EventType != herald.EventDeliveryDropped || e.EventID != "evt_dropped_"+itoa(id) ||
			e.Category != "SECURITY" || e.IdentityID != herald.HeraldIdentity || !e.Timestamp.Equal(t0):
			t.Errorf("delivery %d: envelope %+v", id, e)
		case e.TenantID != want.tenant || e.Data.WebhookID != want.webhook || e.Data.WebhookName != want.name ||
			e.Data.EventID != "evt_"+itoa(id) || e.Data.EventType != "invoice.paid" || !strings.Contains(e.Data.LastError, "paused"):
			t.Errorf("delivery %d: envelope %+v, want webhook %+v", id, e, want)
		}
	}
	r.expectNothingPublished(t) // nothing for delivery 3

	// Done once: a second tick finds nothing held and emits nothing.
	if rep, err := n.Tick(context.Background()); err != nil || rep != (expiry.Report{}) {
		t.Fatalf("second Tick = %+v, %v; want nothing done", rep, err)
	}
	r.expectNothingPublished(t)
}

// TestHeldGivenUpExpiresAfterRetention: a held delivery given up is a
// finished one: it expires a retention after it was given up, not after it
// was created.
func TestHeldGivenUpExpiresAfterRetention(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	n := r.notifier(t, expiry.Config{Retention: time.Hour, PauseHold: 2 * time.Hour})
	r.put(t, r.deliveries,
		&herald.Delivery{ID: 1, WebhookID: "wh_x", EventType: "invoice.paid", Status: herald.StatusPaused, CreatedMS: herald.Millis(t0.Add(-3 * time.Hour))},
		&herald.Delivery{ID: 2, WebhookID: "wh_x", EventType: "invoice.paid", Status: herald.StatusPaused, CreatedMS: herald.Millis(t0.Add(-90 * time.Minute))})
	rep, err := n.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (expiry.Report{ExpiredHeld: 1}); rep != want {
		t.Fatalf("Tick = %+v, want %+v", rep, want)
	}
	d, ok := r.delivery(t, 1)
	if !ok || d.Status != herald.StatusFailed || d.ExpiresAt != t0.Add(time.Hour).Unix() || d.HeldShard != 0 {
		t.Fatalf("delivery 1 = %+v, want failed, out of the held index, expiring an hour on", d)
	}
	if d, ok := r.delivery(t, 2); !ok || d.Status != herald.StatusPaused || d.ExpiresAt != 0 {
		t.Errorf("delivery 2 = %+v, want kept paused (held less than PauseHold), not expiring", d)
	}
	if got := r.receiveDropped(t, 1); len(got[1].EventID) == 0 {
		t.Fatalf("no dropped event for delivery 1: %+v", got)
	}
	r.clock.Advance(time.Hour + time.Second)
	if rep, err := n.Tick(context.Background()); err != nil || rep.DeletedDeliveries != 1 {
		t.Fatalf("Tick a retention later = %+v, %v; want delivery 1 deleted", rep, err)
	}
	if _, ok := r.delivery(t, 1); ok {
		t.Error("delivery 1 kept past its expires_at")
	}
}
