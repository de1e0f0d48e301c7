package ingest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

func TestHandlePausedWebhookCountsOverflow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addWebhook(t, "wh_paused", func(w *herald.Webhook) { w.Paused, w.PauseQueueLimit = true, 2 })

	for i := 1; i <= 5; i++ {
		if err := f.handle(fmt.Sprintf(`{"event_id":"evt_%d","event_type":"order.created"}`, i)); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	var held []string
	for _, d := range f.allDeliveries(t) {
		if d.Status != herald.StatusPaused {
			t.Errorf("delivery %+v, want it held", d)
		}
		held = append(held, d.EventID)
	}
	if len(held) != 2 || held[0] != "evt_1" || held[1] != "evt_2" {
		t.Errorf("held deliveries of %v, want evt_1 and evt_2", held)
	}
	w := &herald.Webhook{ID: "wh_paused"}
	if err := f.webhooks.Get(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	if w.PauseDropped != 3 {
		t.Errorf("pause_dropped = %d, want 3", w.PauseDropped)
	}
	if !w.Paused || w.PauseQueueLimit != 2 || w.Name != "wh_paused" {
		t.Errorf("counting changed the rest of the webhook: %+v", w)
	}
	if n := len(f.enq.Got()); n != 0 {
		t.Errorf("enqueued %d jobs for a paused webhook", n)
	}
}
