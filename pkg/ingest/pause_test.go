package ingest_test

import (
	"fmt"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

func TestHandlePausedWebhookHoldsUpToLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addWebhook(t, "wh_live", nil)
	f.addWebhook(t, "wh_paused", func(w *herald.Webhook) { w.Paused, w.PauseQueueLimit = true, 2 })

	for i := 1; i <= 4; i++ {
		if err := f.handle(fmt.Sprintf(`{"event_id":"evt_%d","event_type":"order.created"}`, i)); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if ev := f.event(t, fmt.Sprintf("evt_%d", i)); ev == nil || !ev.FannedOut {
			t.Errorf("event %d = %+v, want it fanned out", i, ev)
		}
	}

	live := map[int64]bool{}
	var held []string
	dropped := 0
	for _, d := range f.allDeliveries(t) {
		switch d.WebhookID {
		case "wh_live":
			if d.Status != herald.StatusPending {
				t.Errorf("delivery of the live webhook = %+v", d)
			}
			live[d.ID] = true
		case "wh_paused":
			if d.Status == herald.StatusFailed {
				dropped++ // past the limit (see TestHandlePausedWebhookCountsOverflow)
				continue
			}
			if d.Status != herald.StatusPaused || d.NextAttemptMS != 0 {
				t.Errorf("delivery of the paused webhook = %+v, want paused with no due time", d)
			}
			held = append(held, d.EventID)
		}
	}
	if len(live) != 4 {
		t.Errorf("live webhook has %d deliveries, want 4", len(live))
	}
	// Past the limit of 2 the paused webhook's deliveries are dropped.
	if len(held) != 2 || dropped != 2 || held[0] == held[1] || (held[0] != "evt_1" && held[0] != "evt_2") ||
		(held[1] != "evt_1" && held[1] != "evt_2") {
		t.Errorf("paused webhook holds deliveries of %v, want evt_1 and evt_2", held)
	}
	got := f.enq.Got()
	if len(got) != 4 {
		t.Errorf("enqueued %d jobs, want 4 (the live webhook's only)", len(got))
	}
	for _, e := range got {
		if !live[e.Job.DeliveryID] {
			t.Errorf("enqueued %+v, which is not a delivery of the live webhook", e)
		}
	}
}
