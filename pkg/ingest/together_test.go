package ingest_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/store"
	"github.com/heraldhq/herald/pkg/store/storetest"
)

// newBoltFixture is newFixture on bolt:// collections of one file, local
// mode's store, where an event and its deliveries are written in one
// transaction.
func newBoltFixture(t *testing.T) *fixture {
	t.Helper()
	file := filepath.Join(t.TempDir(), "herald.db")
	webhooks, events := storetest.Bolt(t, file, store.Webhooks), storetest.Bolt(t, file, store.Events)
	deliveries := storetest.Bolt(t, file, store.Deliveries)
	f := newFixture(t, func(c *ingest.Config) { c.Webhooks, c.Events, c.Deliveries = webhooks, events, deliveries })
	f.webhooks, f.events, f.deliveries = webhooks, events, deliveries
	return f
}

// TestEventAndDeliveriesWrittenTogether: on local mode's store a new event
// is stored already fanned out, with no fan-out lease (it never needed one),
// together with its deliveries, whose first attempts are enqueued; the same
// event again creates nothing.
func TestEventAndDeliveriesWrittenTogether(t *testing.T) {
	t.Parallel()
	f := newBoltFixture(t)
	f.addWebhook(t, "wh_a", nil)
	f.addWebhook(t, "wh_b", nil)
	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}
	ev := f.event(t, evt1Key)
	if ev == nil || !ev.FannedOut || ev.FanOutOwner != "" || ev.FanOutLeaseMS != 0 {
		t.Fatalf("event = %+v, want fanned out, written without a lease", ev)
	}
	ds := f.allDeliveries(t)
	if len(ds) != 2 || len(f.enq.Got()) != 2 {
		t.Fatalf("deliveries %v, jobs %+v: want 2 and 2", webhookIDs(ds), f.enq.Got())
	}
	for _, d := range ds {
		if d.Status != herald.StatusPending || d.NextAttemptMS != herald.Millis(t0) {
			t.Errorf("delivery = %+v", d)
		}
	}
	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}
	if n, jobs := len(f.allDeliveries(t)), len(f.enq.Got()); n != 2 || jobs != 2 {
		t.Fatalf("a duplicate made deliveries (%d) or jobs (%d)", n, jobs)
	}
}

// TestDeliveriesWrittenWithTheirFirstAttemptClaimed: with Preclaims (local
// mode's deliver in the same process), each delivery is written with its
// first attempt claimed, leased for its webhook's timeout and the margin,
// and the claim is held for the job enqueued after the write.
func TestDeliveriesWrittenWithTheirFirstAttemptClaimed(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "herald.db")
	webhooks, events := storetest.Bolt(t, file, store.Webhooks), storetest.Bolt(t, file, store.Events)
	deliveries := storetest.Bolt(t, file, store.Deliveries)
	p := store.NewPreclaims(10 * time.Second)
	f := newFixture(t, func(c *ingest.Config) {
		c.Webhooks, c.Events, c.Deliveries, c.Preclaims = webhooks, events, deliveries, p
	})
	f.webhooks, f.events, f.deliveries = webhooks, events, deliveries
	f.addWebhook(t, "wh_a", nil)
	f.addWebhook(t, "wh_b", func(w *herald.Webhook) { w.TimeoutSeconds = 3 })
	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}
	ds := f.allDeliveries(t)
	if len(ds) != 2 || len(f.enq.Got()) != 2 {
		t.Fatalf("deliveries %v, jobs %+v: want 2 and 2", webhookIDs(ds), f.enq.Got())
	}
	for _, d := range ds {
		timeout := 10 * time.Second
		if d.WebhookID == "wh_b" {
			timeout = 3 * time.Second
		}
		want := herald.Millis(t0.Add(timeout + store.LeaseMargin))
		if d.Status != herald.StatusPending || d.AttemptCount != 1 || d.LeaseUntilMS != want || len(d.Attempts) != 0 {
			t.Errorf("delivery = %+v, want attempt 1 claimed until %d", d, want)
		}
		if held := p.Take(d.ID); held == nil || held.LeaseUntilMS != d.LeaseUntilMS || held.DocstoreRevision == nil {
			t.Errorf("preclaim of %d = %+v; want it held, as written", d.ID, held)
		}
	}
}

// TestPausedWebhookTakesTheStepwisePath: a paused webhook's held delivery
// takes a slot of its queue first, so the event goes the way of one write
// at a time (with its fan-out lease) and the delivery is held.
func TestPausedWebhookTakesTheStepwisePath(t *testing.T) {
	t.Parallel()
	f := newBoltFixture(t)
	f.addWebhook(t, "wh_a", func(w *herald.Webhook) { w.Paused = true })
	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}
	ev := f.event(t, evt1Key)
	if ev == nil || !ev.FannedOut || ev.FanOutOwner == "" {
		t.Fatalf("event = %+v, want fanned out under a lease", ev)
	}
	if ds := f.allDeliveries(t); len(ds) != 1 || ds[0].Status != herald.StatusPaused || len(f.enq.Got()) != 0 {
		t.Fatalf("deliveries %+v, jobs %+v: want one held, none enqueued", ds, f.enq.Got())
	}
}

// TestEnqueueFailureAfterTheWrite: the jobs fail to enqueue after the event
// and its deliveries are written; the message's redelivery finds the event
// fanned out and makes nothing twice, and the deliveries wait, pending, for
// the sweep (or the next start) to enqueue them.
func TestEnqueueFailureAfterTheWrite(t *testing.T) {
	t.Parallel()
	f := newBoltFixture(t)
	f.addWebhook(t, "wh_a", nil)
	f.enq.setFailAfter(0)
	if err := f.handle(orderCreated); err == nil {
		t.Fatal("a failed enqueue was not returned")
	}
	f.enq.setFailAfter(-1)
	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}
	ds := f.allDeliveries(t)
	if len(ds) != 1 || ds[0].Status != herald.StatusPending || ds[0].AttemptCount != 0 {
		t.Fatalf("deliveries = %+v, want one pending", ds)
	}
	due, err := store.All[herald.Delivery](context.Background(), store.Overdue(f.deliveries, ds[0].DueShard, herald.Millis(t0)+1).Get(context.Background()))
	if err != nil || len(due) != 1 {
		t.Fatalf("the sweep's index has %d deliveries (%v), want the pending one", len(due), err)
	}
}

// TestDuplicatesAtOnceOnBolt: eight copies of one event handled at once on
// local mode's store make one delivery per webhook, and each is enqueued.
func TestDuplicatesAtOnceOnBolt(t *testing.T) {
	t.Parallel()
	f := newBoltFixture(t)
	for _, id := range []string{"wh_a", "wh_b", "wh_c"} {
		f.addWebhook(t, id, nil)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() { errs <- f.handle(orderCreated) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("handle: %v", err)
		}
	}
	ds := f.allDeliveries(t)
	if got := webhookIDs(ds); len(got) != 3 || got[0] != "wh_a" || got[1] != "wh_b" || got[2] != "wh_c" {
		t.Fatalf("deliveries for %v, want one per webhook", got)
	}
	enqueued := map[int64]bool{}
	for _, e := range f.enq.Got() {
		enqueued[e.Job.DeliveryID] = true
	}
	for _, d := range ds {
		if !enqueued[d.ID] {
			t.Errorf("delivery %d never enqueued", d.ID)
		}
	}
}
