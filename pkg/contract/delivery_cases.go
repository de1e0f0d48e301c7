package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// scaiVaultEvent is the ScaiVault event envelope, with a field Herald
// does not know, which must arrive unchanged.
const scaiVaultEvent = `{"event_id":"evt_01HK7X9Z","event_type":"secret.rotated","timestamp":"2026-04-23T14:00:00.123456Z",` +
	`"tenant_id":"tnt_acme_prod","partner_id":"ptn_acme","identity_id":"system:rotation-scheduler",` +
	`"path":"environments/production/salesforce/oauth","data":{"old_version":3,"new_version":4},` +
	`"request_id":"req_abc123","x_custom":{"kept":true}}`

func testSignedDelivery(t *testing.T, b Backend) {
	_, api := start(t, b)
	r := NewReceiver(t, "X-Herald-")
	wh := api.CreateWebhook(r, map[string]any{"events": []string{"secret.*"},
		"headers": map[string]string{"Authorization": "Bearer receiver-token"}})

	eventID := api.Publish(json.RawMessage(scaiVaultEvent))
	if eventID != "evt_01HK7X9Z" {
		t.Fatalf("event_id = %q", eventID)
	}
	got := r.WaitFor(1, wait)[0]
	if !got.Verified || !got.HexOK {
		t.Fatalf("delivery does not verify: standard webhooks %v, hex %v; headers %v", got.Verified, got.HexOK, got.Header)
	}
	if !bytes.Equal(got.Body, []byte(scaiVaultEvent)) {
		t.Errorf("body changed in transit:\n got %s\nwant %s", got.Body, scaiVaultEvent)
	}
	for h, want := range map[string]string{
		"webhook-id": eventID, "X-Herald-Event": "secret.rotated",
		"Content-Type": "application/json", "Authorization": "Bearer receiver-token",
	} {
		if v := got.Header.Get(h); v != want {
			t.Errorf("header %s = %q, want %q", h, v, want)
		}
	}
	d := api.WaitDelivery(wh.ID, "succeeded", wait)
	if got.Header.Get("X-Herald-Delivery-Id") != strconv.FormatInt(d.ID, 10) {
		t.Errorf("Delivery-Id header %q, delivery id %d", got.Header.Get("X-Herald-Delivery-Id"), d.ID)
	}
	if len(d.Attempts) != 1 || d.Attempts[0].StatusCode != 200 || d.EventID != eventID {
		t.Errorf("delivery = %+v", d)
	}
	var one Delivery
	api.Do("GET", "/api/v1/admin/webhooks/"+wh.ID+"/deliveries/"+strconv.FormatInt(d.ID, 10), nil, &one)
	if !bytes.Equal(one.Payload, []byte(scaiVaultEvent)) {
		t.Errorf("delivery payload = %s", one.Payload)
	}
}

func testRetryUntilSuccess(t *testing.T, b Backend) {
	_, api := start(t, b)
	r := NewReceiver(t, "X-Herald-", 500, 503, 201)
	wh := api.CreateWebhook(r, map[string]any{"retry_schedule": []string{"1s", "2s"}})
	api.Publish(map[string]any{"event_type": "file.uploaded", "data": map[string]any{"n": 1}})

	got := r.WaitFor(3, wait)
	for i, g := range got {
		if !g.Verified || !g.HexOK {
			t.Errorf("attempt %d does not verify", i+1)
		}
		if g.Header.Get("webhook-id") != got[0].Header.Get("webhook-id") {
			t.Errorf("attempt %d webhook-id %q, first %q", i+1, g.Header.Get("webhook-id"), got[0].Header.Get("webhook-id"))
		}
	}
	// Never early; late by at most the queue's receive latency (SQS long
	// polls and gocloud's idle backoff add up to about two seconds; moto
	// under the race detector on two cores was seen 3.7 s late).
	for i, want := range []time.Duration{time.Second, 2 * time.Second} {
		if gap := got[i+1].At.Sub(got[i].At); gap < want-50*time.Millisecond || gap > want+5*time.Second {
			t.Errorf("gap before attempt %d = %s, want about %s", i+2, gap, want)
		}
	}
	d := api.WaitDelivery(wh.ID, "succeeded", wait)
	codes := []int{}
	for _, a := range d.Attempts {
		codes = append(codes, a.StatusCode)
	}
	if len(codes) != 3 || codes[0] != 500 || codes[1] != 503 || codes[2] != 201 {
		t.Errorf("attempt status codes = %v, want [500 503 201]", codes)
	}
}

func testGiveUpEmitsDropped(t *testing.T, b Backend) {
	_, api := start(t, b, time.Second)
	failing := NewReceiver(t, "X-Herald-", 500)
	wh := api.CreateWebhook(failing, map[string]any{"events": []string{"invoice.*"}})
	// webhook.delivery.dropped has three segments: "*" matches one, so an
	// admin subscribes to it with "webhook.delivery.**" ("webhook.**" would
	// bring the audit events of creating these webhooks too).
	alerts := NewReceiver(t, "X-Herald-")
	api.CreateWebhook(alerts, map[string]any{"events": []string{"webhook.delivery.**"}})

	api.Publish(map[string]any{"event_type": "invoice.paid", "tenant_id": "tnt_1"})
	failing.WaitFor(2, wait)
	d := api.WaitDelivery(wh.ID, "failed", wait)
	if len(d.Attempts) != 2 {
		t.Errorf("failed delivery has %d attempts, want 2 (schedule of one retry)", len(d.Attempts))
	}
	got := alerts.WaitFor(1, wait)[0]
	if !got.Verified {
		t.Error("dropped event does not verify")
	}
	var ev struct {
		EventType string `json:"event_type"`
		Category  string `json:"category"`
		Data      struct {
			DeliveryID int64  `json:"delivery_id"`
			WebhookID  string `json:"webhook_id"`
			Attempts   int    `json:"attempts"`
		} `json:"data"`
	}
	if err := json.Unmarshal(got.Body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.EventType != "webhook.delivery.dropped" || ev.Category != "SECURITY" ||
		ev.Data.DeliveryID != d.ID || ev.Data.WebhookID != wh.ID || ev.Data.Attempts != 2 {
		t.Errorf("dropped event = %s", got.Body)
	}
	// The failing endpoint is not subscribed to webhook.**: nothing more.
	if n := len(failing.Got()); n != 2 {
		t.Errorf("failing receiver got %d requests, want 2", n)
	}
}

func testDuplicateEventID(t *testing.T, b Backend) {
	sys, api := start(t, b)
	r := NewReceiver(t, "X-Herald-")
	wh := api.CreateWebhook(r, map[string]any{})
	ev := map[string]any{"event_id": "evt_dup_1", "event_type": "order.created"}
	api.Publish(ev)
	api.Publish(ev)
	if err := sys.Publish(context.Background(), []byte(`{"event_id":"evt_dup_1","event_type":"order.created"}`)); err != nil {
		t.Fatal(err)
	}
	waitCount(t, func() bool { done, _ := sys.IngestCounts(); return done >= 3 })
	r.WaitFor(1, wait)
	api.WaitDelivery(wh.ID, "succeeded", wait)
	if l := api.Deliveries(wh.ID, ""); l.Total != 1 {
		t.Errorf("deliveries = %d, want 1", l.Total)
	}
	if n := len(r.Got()); n != 1 {
		t.Errorf("receiver got %d requests, want 1", n)
	}
}

func testManualRetry(t *testing.T, b Backend) {
	_, api := start(t, b, time.Second)
	r := NewReceiver(t, "X-Herald-", 500, 500, 200)
	wh := api.CreateWebhook(r, map[string]any{"events": []string{"order.*"}})
	api.Publish(map[string]any{"event_type": "order.created"})
	d := api.WaitDelivery(wh.ID, "failed", wait)
	path := "/api/v1/admin/webhooks/" + wh.ID + "/deliveries/" + strconv.FormatInt(d.ID, 10)
	var retried Delivery
	if status := api.Do("POST", path+"/retry", nil, &retried); status != http.StatusOK || retried.Status != "pending" {
		t.Fatalf("retry: %d %+v", status, retried)
	}
	after := api.WaitDelivery(wh.ID, "succeeded", wait)
	if len(after.Attempts) != 3 || after.Attempts[2].StatusCode != 200 {
		t.Errorf("after manual retry: %+v", after.Attempts)
	}
	if got := r.WaitFor(3, wait); got[2].Header.Get("webhook-id") != got[0].Header.Get("webhook-id") {
		t.Error("manual retry changed webhook-id")
	}
}

// testRecover: POST …/recover attempts a failed delivery again, through
// the retry-scheduler, and it succeeds as a new attempt.
func testRecover(t *testing.T, b Backend) {
	_, api := start(t, b, time.Second)
	r := NewReceiver(t, "X-Herald-", 500, 500, 200)
	wh := api.CreateWebhook(r, map[string]any{"events": []string{"order.*"}})
	since := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	api.Publish(map[string]any{"event_type": "order.created"})
	d := api.WaitDelivery(wh.ID, "failed", wait)
	var accepted struct {
		Recovering int `json:"recovering"`
	}
	path := "/api/v1/admin/webhooks/" + wh.ID + "/recover"
	if status := api.Do("POST", path, map[string]any{"since": since}, &accepted); status != http.StatusAccepted || accepted.Recovering != 1 {
		t.Fatalf("recover: %d %+v, want 202 recovering 1", status, accepted)
	}
	after := api.WaitDelivery(wh.ID, "succeeded", wait)
	if after.ID != d.ID || len(after.Attempts) != 3 || after.Attempts[2].StatusCode != 200 {
		t.Errorf("after the recovery: %+v", after)
	}
}

func testMalformedIngestMessage(t *testing.T, b Backend) {
	sys, api := start(t, b)
	r := NewReceiver(t, "X-Herald-")
	wh := api.CreateWebhook(r, map[string]any{})
	ctx := context.Background()
	for _, bad := range []string{"not json", `{"event_type":"Not.Valid"}`, `[]`, `{"event_type":"a.b","tenant_id":5}`} {
		if err := sys.Publish(ctx, []byte(bad)); err != nil {
			t.Fatal(err)
		}
	}
	waitCount(t, func() bool { _, m := sys.IngestCounts(); return m >= 4 })
	// The function keeps working.
	if err := sys.Publish(ctx, []byte(`{"event_type":"still.working"}`)); err != nil {
		t.Fatal(err)
	}
	if got := r.WaitFor(1, wait)[0]; !got.Verified {
		t.Error("delivery after malformed messages does not verify")
	}
	api.WaitDelivery(wh.ID, "succeeded", wait)
	if _, m := sys.IngestCounts(); m != 4 {
		t.Errorf("malformed count = %d, want 4", m)
	}
}

// waitCount polls cond until it holds.
func waitCount(t *testing.T, cond func() bool) {
	t.Helper()
	heraldtest.Eventually(t, wait, cond, "condition not reached")
}
