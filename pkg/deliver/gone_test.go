package deliver_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestHandleGoneDisablesEndpoint: a 410 fails the delivery at once (no retry
// though the schedule has some), disables the webhook and announces
// webhook.endpoint.disabled; a second worker that loaded the same webhook
// announces under the same event_id.
func TestHandleGoneDisablesEndpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, status(http.StatusGone))
	wh := newWebhook(r.URL)
	wh.UpdatedAt = t0.Add(-time.Hour)
	f.seed(t, wh, newDelivery())

	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	d := f.delivery(t, testDeliveryID)
	if d.Status != herald.StatusFailed || len(d.Attempts) != 1 || d.Attempts[0].StatusCode != http.StatusGone ||
		d.Attempts[0].Error != "HTTP 410" {
		t.Errorf("delivery status %q, attempts %+v; want failed after one 410", d.Status, d.Attempts)
	}
	if e := f.enq.Got(); len(e) != 0 {
		t.Errorf("a 410 was retried: %+v", e)
	}
	stored := f.webhook(t, wh.ID)
	if stored.Enabled || stored.DisabledReason != "410 Gone" {
		t.Errorf("webhook enabled %v, reason %q; want disabled for 410 Gone", stored.Enabled, stored.DisabledReason)
	}
	evs := f.drain(t)
	disabled := ofType(evs, herald.EventEndpointDisabled)
	wantID := "evt_disabled_wh_1_" + strconv.FormatInt(herald.Millis(wh.UpdatedAt), 10)
	if len(disabled) != 1 || disabled[0].EventID != wantID || disabled[0].Category != "SECURITY" ||
		disabled[0].TenantID != "tnt_acme" || disabled[0].Data["webhook_id"] != "wh_1" ||
		disabled[0].Data["webhook_name"] != "acme" || disabled[0].Data["reason"] != "410 Gone" ||
		disabled[0].Data["last_status_code"] != 410.0 {
		t.Errorf("disabled events = %+v, want one with id %s", disabled, wantID)
	}
	if len(ofType(evs, herald.EventDeliveryDropped)) != 1 {
		t.Errorf("events = %+v, want the delivery's dropped event too", evs)
	}

	// Another worker loaded the webhook before it was disabled.
	wh.DocstoreRevision = nil
	if err := f.webhooks.Put(context.Background(), wh); err != nil {
		t.Fatal(err)
	}
	f.addDelivery(t, 2, wh.ID)
	if err := f.handle(herald.Job{DeliveryID: 2, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	if again := ofType(f.drain(t), herald.EventEndpointDisabled); len(again) != 1 || again[0].EventID != wantID {
		t.Errorf("second announcement = %+v, want the same event_id %s", again, wantID)
	}
}

// TestHandleGoneOnDisabledWebhookSendsNothing: deliveries still queued for a
// webhook that went away are not sent.
func TestHandleGoneOnDisabledWebhookSendsNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, status(http.StatusGone))
	f.seed(t, newWebhook(r.URL), newDelivery())
	f.addDelivery(t, 2, "wh_1")
	for _, id := range []int64{testDeliveryID, 2} {
		if err := f.handle(herald.Job{DeliveryID: id, Attempt: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if n := r.hits.Load(); n != 1 {
		t.Errorf("receiver got %d requests, want 1", n)
	}
	if d := f.delivery(t, 2); d.Status != herald.StatusFailed || d.Attempts[0].Error != "not sent: webhook disabled" {
		t.Errorf("second delivery = %+v", d)
	}
}
