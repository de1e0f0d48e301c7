package deliver_test

import (
	"context"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// TestPreclaimedJobAfterTheSweepSendsOnce: a preclaimed job that waited in
// the queue past its lease and the sweep's grace. The sweep takes the
// untaken preclaim and re-arms the delivery unclaimed for attempt 1 (as
// schedule's TestSweepUnclaimsAnUntakenPreclaim shows); of the late job
// and the sweep's copy, one sends attempt 1 and the other finds it
// claimed: one attempt in all, none made up as interrupted.
func TestPreclaimedJobAfterTheSweepSendsOnce(t *testing.T) {
	t.Parallel()
	f, p := newPreclaimFixture(t)
	r := newReceiver(t, nil)
	f.seedPreclaimed(t, p, newWebhook(r.URL))
	f.clock.Advance(2 * time.Minute) // a backlog in the deliver queue
	// What the sweep does (schedule.Scheduler.rearmOverdue).
	d := f.delivery(t, testDeliveryID)
	if !store.Preclaimed(d) || p.Take(d.ID) == nil {
		t.Fatal("no preclaim for the sweep to take")
	}
	d.AttemptCount = 0
	if err := (store.Lifecycle{Deliveries: f.deliveries}).Reschedule(context.Background(), d, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	job := herald.Job{DeliveryID: testDeliveryID, Attempt: 1}
	for range 2 { // the late job, then the sweep's copy
		if err := f.handle(job); err != nil {
			t.Fatal(err)
		}
	}
	d = f.delivery(t, testDeliveryID)
	if r.hits.Load() != 1 || len(d.Attempts) != 1 || d.Attempts[0].Attempt != 1 || d.Status != herald.StatusSucceeded {
		t.Errorf("hits %d, attempts %+v; want attempt 1 sent once", r.hits.Load(), d.Attempts)
	}
}
