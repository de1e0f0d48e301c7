package ingest_test

import (
	"fmt"
	"testing"
)

// TestFanOutToManyWebhooksMakesOneDeliveryEach fans one event out to
// enough webhooks that some of their derived delivery ids coincide (12 bits
// of hash per millisecond: 300 webhooks make about 11 such pairs): each
// webhook still gets exactly one delivery, at the first handling.
func TestFanOutToManyWebhooksMakesOneDeliveryEach(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const n = 300
	for i := range n {
		f.addWebhook(t, fmt.Sprintf("wh_%03d", i), nil)
	}
	if err := f.handle(orderCreated); err != nil {
		t.Fatalf("Handle = %v", err)
	}
	ds := f.allDeliveries(t)
	ids, hooks := map[int64]bool{}, map[string]bool{}
	for _, d := range ds {
		ids[d.ID], hooks[d.WebhookID] = true, true
	}
	if len(ds) != n || len(ids) != n || len(hooks) != n {
		t.Fatalf("%d deliveries with %d ids to %d webhooks, want %d of each", len(ds), len(ids), len(hooks), n)
	}
}
