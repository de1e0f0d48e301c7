package ingest_test

import (
	"context"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/store"
)

// TestPreclaimHeldAsSoonAsWritten: the fan-out writes wh_b's delivery
// preclaimed, then fails (the job of wh_a's delivery, made by another
// handler of the event, fails to enqueue) before it enqueues wh_b's job.
// The preclaim was held as soon as the delivery was written, so when the
// message comes again wh_b's delivery, claimed but waiting for its job,
// gets it.
func TestPreclaimHeldAsSoonAsWritten(t *testing.T) {
	t.Parallel()
	p := store.NewPreclaims(10 * time.Second)
	f := newFixture(t, func(c *ingest.Config) { c.Preclaims = p })
	f.addWebhook(t, "wh_a", nil)
	f.addWebhook(t, "wh_b", nil)
	// Another handler of evt_1 made its delivery to wh_a (not enqueued yet).
	a := &herald.Delivery{ID: herald.DeliveryIDFor(evt1Key, "wh_a", t0, 0), WebhookID: "wh_a", EventID: "evt_1",
		EventKey: evt1Key, EventType: "order.created", TenantID: "tnt_1", Status: herald.StatusPending,
		NextAttemptMS: herald.Millis(t0)}
	if err := f.deliveries.Create(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	f.enq.setFailAfter(0)
	if err := f.handle(orderCreated); err == nil {
		t.Fatal("want the enqueue error")
	}
	f.enq.setFailAfter(-1)
	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}
	var b *herald.Delivery
	for _, d := range f.allDeliveries(t) {
		if d.WebhookID == "wh_b" {
			b = d
		}
	}
	if b == nil {
		t.Fatal("no delivery to wh_b")
	}
	enqueued := false
	for _, e := range f.enq.Got() {
		if e.Job.DeliveryID == b.ID {
			enqueued = true
		}
	}
	if !enqueued || !p.Holds(b.ID) {
		t.Errorf("wh_b's delivery: job enqueued %v, preclaim held %v; want both (else it waits for its lease and the sweep)", enqueued, p.Holds(b.ID))
	}
}
