package contract

import (
	"net/http"
	"sync"
	"testing"
)

// testPause checks that a paused webhook holds deliveries and that resuming
// sends them (enqueued oldest first; with concurrent consumers the arrival
// order is not guaranteed, so only the set is checked).
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

// testResumeUnderLoad resumes a webhook while events for it are being
// ingested: every delivery must end up sent, none left held. Each publisher
// sends half its events and waits; the resume starts once some of them are
// held, and the publishers send the rest while it runs. (The race of a hold
// with a resume is too narrow to hit reliably here; store.Lifecycle.Settle,
// which closes it, is tested through the expiry-notifier's backstop.)
func testResumeUnderLoad(t *testing.T, b Backend) {
	_, api := start(t, b)
	r := NewReceiver(t, "X-Herald-")
	wh := api.CreateWebhook(r, map[string]any{"paused": true})
	const publishers, each = 4, 40
	var firstHalves, wg sync.WaitGroup
	defer wg.Wait()
	resuming := make(chan struct{})
	resume := sync.OnceFunc(func() { close(resuming) })
	defer resume() // on a failure too: no publisher is left waiting
	for range publishers {
		firstHalves.Add(1)
		wg.Go(func() {
			halfSent := sync.OnceFunc(firstHalves.Done)
			defer halfSent()
			for i := range each {
				if i == each/2 {
					halfSent()
					<-resuming
				}
				api.Publish(map[string]any{"event_type": "order.created"})
			}
		})
	}
	firstHalves.Wait()
	waitCount(t, func() bool { return api.Deliveries(wh.ID, "?status=paused&per_page=1").Total > 0 })
	resume()
	if status := api.Do("PATCH", "/api/v1/admin/webhooks/"+wh.ID, map[string]any{"paused": false}, nil); status != http.StatusOK {
		t.Fatalf("resume: %d", status)
	}
	wg.Wait()
	waitCount(t, func() bool { return api.Deliveries(wh.ID, "?status=succeeded&per_page=1").Total == publishers*each })
	if held := api.Deliveries(wh.ID, "?status=paused").Total; held != 0 {
		t.Errorf("%d deliveries still held after resume", held)
	}
}
