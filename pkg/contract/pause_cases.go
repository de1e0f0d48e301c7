package contract

import (
	"net/http"
	"testing"
)

// testPause checks that a paused webhook holds deliveries and that resuming
// sends them, oldest first.
func testPause(t *testing.T, b Backend) {
	_, api := start(t, b)
	r := NewReceiver(t, "X-Herald-")
	wh := api.CreateWebhook(r, map[string]any{"paused": true})
	first := api.Publish(map[string]any{"event_type": "order.created"})
	second := api.Publish(map[string]any{"event_type": "order.created"})
	waitCount(t, func() bool { return api.Deliveries(wh.ID, "?status=paused").Total == 2 })
	if n := len(r.Got()); n != 0 {
		t.Fatalf("paused webhook got %d requests", n)
	}
	if status := api.Do("PATCH", "/api/v1/admin/webhooks/"+wh.ID, map[string]any{"paused": false}, nil); status != http.StatusOK {
		t.Fatalf("resume: %d", status)
	}
	got := r.WaitFor(2, wait)
	ids := []string{got[0].Header.Get("webhook-id"), got[1].Header.Get("webhook-id")}
	if !(ids[0] == first && ids[1] == second) && !(ids[0] == second && ids[1] == first) {
		t.Errorf("resumed deliveries carry %v, want %s and %s", ids, first, second)
	}
	waitCount(t, func() bool { return api.Deliveries(wh.ID, "?status=succeeded").Total == 2 })
}
