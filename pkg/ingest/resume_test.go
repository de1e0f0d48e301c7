package ingest_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/store"
)

func TestHandleResumesInterruptedFanOut(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addWebhook(t, "wh_a", nil)
	f.addWebhook(t, "wh_b", nil)
	ctx := context.Background()
	// An earlier Handle stored the event and A's delivery, then stopped.
	if err := f.events.Create(ctx, &herald.Event{ID: evt1Key, EventID: "evt_1", Type: "order.created", TenantID: "tnt_1",
		Payload: orderCreated, CreatedMS: herald.Millis(t0)}); err != nil {
		t.Fatal(err)
	}
	existing := &herald.Delivery{ID: 1, WebhookID: "wh_a", EventID: "evt_1", EventKey: evt1Key, EventType: "order.created",
		TenantID: "tnt_1", Status: herald.StatusPending, NextAttemptMS: herald.Millis(t0)}
	if err := f.deliveries.Create(ctx, existing); err != nil {
		t.Fatal(err)
	}

	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}

	ds := f.allDeliveries(t)
	if got, want := webhookIDs(ds), []string{"wh_a", "wh_b"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("deliveries for %v, want %v", got, want)
	}
	if ds[0].ID != existing.ID {
		t.Errorf("A's delivery was replaced: id %d, want %d", ds[0].ID, existing.ID)
	}
	b := ds[1]
	if b.EventID != "evt_1" || b.Status != herald.StatusPending {
		t.Errorf("B's delivery = %+v", b)
	}
	// B's new delivery is enqueued, and A's again: nothing says its first
	// job was ever published (a second job for it is harmless).
	got := map[herald.Job]bool{}
	for _, e := range f.enq.Got() {
		got[e.Job] = e.Due.Equal(t0)
	}
	wantJobs := map[herald.Job]bool{{DeliveryID: b.ID, Attempt: 1}: true, {DeliveryID: existing.ID, Attempt: 1}: true}
	if !reflect.DeepEqual(got, wantJobs) {
		t.Errorf("enqueued %+v, want %+v due %v", f.enq.Got(), wantJobs, t0)
	}
	if ev := f.event(t, evt1Key); ev == nil || !ev.FannedOut {
		t.Errorf("event = %+v, want it marked fanned out", ev)
	}
}

func TestHandleEnqueueFailureIsRetriedWithoutDuplicates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addWebhook(t, "wh_a", nil)
	f.addWebhook(t, "wh_b", nil)
	f.enq.setFailAfter(1) // the deliver topic goes down after one job

	err := f.handle(orderCreated)
	if err == nil || herald.IsMalformed(err) || !errors.Is(err, errQueueDown) {
		t.Fatalf("Handle = %v, want the Enqueuer's error, not malformed (the message must be redelivered)", err)
	}
	first := f.allDeliveries(t)
	if len(first) != 2 {
		t.Fatalf("%d deliveries after the failed Handle, want 2", len(first))
	}
	if ev := f.event(t, evt1Key); ev == nil || ev.FannedOut {
		t.Errorf("event = %+v, want it stored and not marked fanned out", ev)
	}

	f.enq.setFailAfter(-1) // the redelivered message finds the topic back
	if err := f.handle(orderCreated); err != nil {
		t.Fatalf("Handle again = %v", err)
	}
	again := f.allDeliveries(t)
	if len(again) != 2 || again[0].ID != first[0].ID || again[1].ID != first[1].ID {
		t.Errorf("deliveries after redelivery = %v (ids %d, %d), want the same two",
			webhookIDs(again), again[0].ID, again[1].ID)
	}
	if ev := f.event(t, evt1Key); ev == nil || !ev.FannedOut {
		t.Errorf("event = %+v, want it marked fanned out", ev)
	}
}

// TestEnqueueFailureWithPreclaims: deliveries written with their first
// attempt preclaimed (store.Preclaims) whose jobs failed to enqueue get
// them when the message comes again, although their attempt count says
// claimed.
func TestEnqueueFailureWithPreclaims(t *testing.T) {
	t.Parallel()
	p := store.NewPreclaims(10 * time.Second)
	f := newFixture(t, func(c *ingest.Config) { c.Preclaims = p })
	f.addWebhook(t, "wh_a", nil)
	f.addWebhook(t, "wh_b", nil)
	f.enq.setFailAfter(1)
	if err := f.handle(orderCreated); err == nil {
		t.Fatal("a failed enqueue was not returned")
	}
	ds := f.allDeliveries(t)
	if len(ds) != 2 || ds[0].AttemptCount != 1 || ds[1].AttemptCount != 1 {
		t.Fatalf("deliveries = %+v, want two with their first attempt preclaimed", ds)
	}
	f.enq.setFailAfter(-1)
	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}
	jobs := map[int64]bool{}
	for _, e := range f.enq.Got() {
		jobs[e.Job.DeliveryID] = e.Job.Attempt == 1
	}
	for _, d := range ds {
		if !jobs[d.ID] || !p.Holds(d.ID) {
			t.Errorf("delivery %d: job of attempt 1 enqueued %v, preclaim held %v; want both", d.ID, jobs[d.ID], p.Holds(d.ID))
		}
	}
}

func TestHandleReplacesTakenDeliveryID(t *testing.T) {
	t.Parallel()
	// The id of evt_1's delivery to wh_a is held by another event's.
	x := herald.DeliveryIDFor(evt1Key, "wh_a", t0, 0)
	f := newFixture(t)
	f.addWebhook(t, "wh_a", nil)
	taken := &herald.Delivery{ID: x, WebhookID: "wh_other", EventID: "evt_old", Status: herald.StatusSucceeded}
	if err := f.deliveries.Create(context.Background(), taken); err != nil {
		t.Fatal(err)
	}

	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}
	ds := f.allDeliveries(t)
	if got, want := webhookIDs(ds), []string{"wh_a", "wh_other"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("deliveries for %v, want %v", got, want)
	}
	if want := herald.DeliveryIDFor(evt1Key, "wh_a", t0, 1); ds[0].ID != want || ds[0].EventID != "evt_1" {
		t.Errorf("new delivery = %+v, want it under the next probe's id %d", ds[0], want)
	}
	if ds[1].ID != x || ds[1].EventID != "evt_old" {
		t.Errorf("the delivery holding the id was changed: %+v", ds[1])
	}
	if got := f.enq.Got(); len(got) != 1 || got[0].Job != (herald.Job{DeliveryID: ds[0].ID, Attempt: 1}) {
		t.Errorf("enqueued %+v, want attempt 1 of delivery %d", got, ds[0].ID)
	}
}

// TestHandleConcurrentDuplicatesCreateOneDeliveryEach handles the same
// envelope in several goroutines at once: the fan-out lease lets one of them
// create the deliveries; the others create none and return an error (so
// their messages come back later and find the event fanned out) or nil.
func TestHandleConcurrentDuplicatesCreateOneDeliveryEach(t *testing.T) {
	t.Parallel()
	for round := range 20 {
		// Half the rounds as local mode's SoleOwner, whose own live lease
		// must hold off its own duplicates as well.
		f := newFixture(t, func(c *ingest.Config) { c.SoleOwner = round%2 == 1 })
		f.addWebhook(t, "wh_a", nil)
		f.addWebhook(t, "wh_b", nil)
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := f.handle(orderCreated); err != nil && herald.IsMalformed(err) {
					t.Errorf("round %d: Handle = %v", round, err)
				}
			}()
		}
		wg.Wait()
		// The messages that stepped aside come back and are duplicates.
		if err := f.handle(orderCreated); err != nil {
			t.Fatalf("round %d: redelivered Handle = %v", round, err)
		}
		if got := webhookIDs(f.allDeliveries(t)); !reflect.DeepEqual(got, []string{"wh_a", "wh_b"}) {
			t.Fatalf("round %d: deliveries for %v, want one each for wh_a and wh_b", round, got)
		}
	}
}

// A process that died mid fan-out left a live lease on its event. A
// SoleOwner (local mode restarted on its data dir) takes the fan-out over at
// once, as the lease is another owner's; otherwise the event waits for the
// lease, as another live process may hold it. (A SoleOwner's own live lease
// is waited for: see TestHandleConcurrentDuplicatesCreateOneDeliveryEach.)
func TestHandleTakesOverLeaseOfAGoneProcess(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		soleOwner bool
		wantErr   bool
	}{
		{"lease of a gone process", true, false},
		{"lease that may be live", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, func(c *ingest.Config) { c.SoleOwner = tc.soleOwner })
			f.addWebhook(t, "wh_a", nil)
			ctx := context.Background()
			// Taken 30 s before t0 by another process; a lease lasts 2 min.
			if err := f.events.Create(ctx, &herald.Event{ID: evt1Key, EventID: "evt_1", Type: "order.created", TenantID: "tnt_1",
				Payload: orderCreated, CreatedMS: herald.Millis(t0.Add(-30 * time.Second)),
				FanOutLeaseMS: herald.Millis(t0.Add(90 * time.Second)), FanOutOwner: "a-gone-process"}); err != nil {
				t.Fatal(err)
			}
			// A handler that waits for a live lease waits up to two seconds
			// of real time for its holder; the test need not.
			hctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			defer cancel()
			err := f.h.Handle(hctx, []byte(orderCreated))
			if tc.wantErr {
				if err == nil || len(f.allDeliveries(t)) != 0 {
					t.Fatalf("handle = %v with %d deliveries, want it to wait for the lease", err, len(f.allDeliveries(t)))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ds := f.allDeliveries(t); len(ds) != 1 || !f.event(t, evt1Key).FannedOut {
				t.Errorf("%d deliveries, event %+v; want the fan-out taken over", len(ds), f.event(t, evt1Key))
			}
		})
	}
}
