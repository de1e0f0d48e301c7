package deliver_test

import (
	"context"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// TestStalePreclaimChangesNothing: a preclaim given back (the keeper
// failed) whose message comes again only after its lease ran out, after
// the delivery was re-armed (here without taking the preclaim, as an admin
// or an older sweep would) and its attempt 2 succeeded, and after the
// webhook was disabled: the job reads the delivery, finds it no longer as
// the preclaim wrote it, and leaves the succeeded delivery alone.
func TestStalePreclaimChangesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, p := newPreclaimFixture(t)
	r := newReceiver(t, nil)
	wh := newWebhook(r.URL)
	good := wh.SealedSecret
	wh.SealedSecret = unopenableSecret(t)
	f.seedPreclaimed(t, p, wh)
	job1 := herald.Job{DeliveryID: testDeliveryID, Attempt: 1}
	if err := f.handle(job1); err == nil {
		t.Fatal("want credentials failure")
	}
	if !p.Holds(testDeliveryID) {
		t.Fatal("preclaim not given back")
	}
	// The keeper recovers; the message of job1 is slow to come back.
	w := f.webhook(t, wh.ID)
	w.SealedSecret = good
	if err := f.webhooks.Replace(ctx, w); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(2 * time.Minute)
	d := f.delivery(t, testDeliveryID)
	if err := (store.Lifecycle{Deliveries: f.deliveries}).Reschedule(ctx, d, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 2}); err != nil {
		t.Fatal(err)
	}
	if d := f.delivery(t, testDeliveryID); d.Status != herald.StatusSucceeded {
		t.Fatalf("attempt 2: %+v", d)
	}
	// The webhook is disabled; job1's message comes back.
	w = f.webhook(t, wh.ID)
	w.Enabled = false
	if err := f.webhooks.Replace(ctx, w); err != nil {
		t.Fatal(err)
	}
	if err := f.handle(job1); err != nil {
		t.Fatal(err)
	}
	d = f.delivery(t, testDeliveryID)
	if d.Status != herald.StatusSucceeded || len(d.Attempts) != 2 {
		t.Errorf("a stale job rewrote a succeeded delivery: %s, %+v", d.Status, d.Attempts)
	}
}
