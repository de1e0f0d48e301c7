package ingest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
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
	// Each event has its delivery: held, or failed as not sent (kept under
	// the id of its event and webhook, so a copy of the event does not
	// count its drop again).
	held, dropped := map[string]bool{}, map[string]bool{}
	for _, d := range f.allDeliveries(t) {
		switch {
		case d.Status == herald.StatusPaused:
			held[d.EventID] = true
		case d.Status == herald.StatusFailed && len(d.Attempts) == 1 &&
			d.Attempts[0].Error == "not sent: "+store.PauseFullReason:
			dropped[d.EventID] = true
		default:
			t.Errorf("delivery %+v, want it held or dropped", d)
		}
	}
	if len(held) != 2 || !held["evt_1"] || !held["evt_2"] || len(dropped) != 3 {
		t.Errorf("held deliveries of %v and dropped of %v, want evt_1 and evt_2 held, the other three dropped", held, dropped)
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
