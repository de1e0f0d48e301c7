package ingest_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ingest"
)

// TestConcurrentFanOutsOfOneEventMakeOneDeliveryEach runs two handlers of
// one event at once, many times, on the real memdocstore: two processes
// whose fan-out leases do not hold each other off (each takes the other's
// lease for a gone process's and takes the fan-out over at once, as a
// handler does whose twin's lease ran out while it still works). Whatever
// the interleaving, each webhook gets exactly one delivery, since a
// delivery's id is derived from its event and webhook: the second create
// finds the first.
func TestConcurrentFanOutsOfOneEventMakeOneDeliveryEach(t *testing.T) {
	t.Parallel()
	for round := range 200 {
		f := newFixture(t, func(c *ingest.Config) { c.SoleOwner, c.Now = true, time.Now })
		twin, err := ingest.New(ingest.Config{Webhooks: f.webhooks, Events: f.events, Deliveries: f.deliveries,
			Enqueuer: f.enq, SoleOwner: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"wh_a", "wh_b", "wh_c"} {
			f.addWebhook(t, id, nil)
		}
		var wg sync.WaitGroup
		for _, h := range []*ingest.Handler{f.h, twin} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// One loses the race for the event's fanned_out mark
				// (its lease was taken over): an error, redelivered.
				if err := h.Handle(context.Background(), []byte(orderCreated)); herald.IsMalformed(err) {
					t.Errorf("round %d: Handle = %v", round, err)
				}
			}()
		}
		wg.Wait()
		if err := f.handle(orderCreated); err != nil {
			t.Fatalf("round %d: redelivered Handle = %v", round, err)
		}
		ds := f.allDeliveries(t)
		if got := webhookIDs(ds); !reflect.DeepEqual(got, []string{"wh_a", "wh_b", "wh_c"}) {
			t.Fatalf("round %d: deliveries for %v, want one each for wh_a, wh_b and wh_c", round, got)
		}
		jobs := map[int64]bool{}
		for _, e := range f.enq.Got() {
			jobs[e.Job.DeliveryID] = true
		}
		for _, d := range ds {
			if !jobs[d.ID] {
				t.Fatalf("round %d: delivery %d of %s never enqueued", round, d.ID, d.WebhookID)
			}
		}
	}
}
