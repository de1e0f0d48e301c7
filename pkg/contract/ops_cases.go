package contract

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// opsWebhook is the part of a webhook view the operations tests read.
type opsWebhook struct {
	ID                      string  `json:"id"`
	Secret                  string  `json:"secret"`
	Paused                  bool    `json:"paused"`
	PauseDropped            int64   `json:"pause_dropped"`
	Held                    *int    `json:"held"`
	PreviousSecretExpiresAt *string `json:"previous_secret_expires_at"`
}

// verifiesWith reports whether got verifies with secret alone, checked by
// the official Standard Webhooks library.
func verifiesWith(t *testing.T, secret string, got Received) bool {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatalf("secret: %v", err)
	}
	return wh.Verify(got.Body, got.Header) == nil
}

// hexWith reports whether the hex signature header of got is made with
// secret (crypto/hmac only).
func hexWith(secret string, got Received, prefix string) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(got.Body)
	return hmac.Equal([]byte(got.Header.Get(prefix+"Signature")), []byte("sha256="+hex.EncodeToString(mac.Sum(nil))))
}

// testSecretRotation rotates a webhook's secret and checks that a delivery
// made during the grace period verifies with the old secret and with the new
// one, each alone; after a rotation with no grace only the newest verifies.
func testSecretRotation(t *testing.T, b Backend) {
	_, api := start(t, b)
	r := NewReceiver(t, "X-Herald-")
	wh := api.CreateWebhook(r, map[string]any{"events": []string{"order.*"}})
	path := "/api/v1/admin/webhooks/" + wh.ID + "/rotate-secret"

	var rotated opsWebhook
	if status := api.Do("POST", path, nil, &rotated); status != http.StatusOK ||
		!strings.HasPrefix(rotated.Secret, "whsec_") || rotated.Secret == wh.Secret || rotated.PreviousSecretExpiresAt == nil {
		t.Fatalf("rotate: %d %+v", status, rotated)
	}
	r.SetSecret(rotated.Secret)
	api.Publish(map[string]any{"event_type": "order.created"})
	during := r.WaitFor(1, wait)[0]
	if !verifiesWith(t, wh.Secret, during) || !verifiesWith(t, rotated.Secret, during) {
		t.Errorf("during the grace period: old secret verifies %v, new %v; want both",
			verifiesWith(t, wh.Secret, during), verifiesWith(t, rotated.Secret, during))
	}
	if !hexWith(rotated.Secret, during, "X-Herald-") {
		t.Error("hex signature not made with the new secret")
	}

	var again opsWebhook
	if status := api.Do("POST", path, map[string]any{"grace_period": "0s"}, &again); status != http.StatusOK ||
		again.PreviousSecretExpiresAt != nil {
		t.Fatalf("rotate with no grace: %d %+v", status, again)
	}
	r.SetSecret(again.Secret)
	api.Publish(map[string]any{"event_type": "order.created"})
	after := r.WaitFor(2, wait)[1]
	if !verifiesWith(t, again.Secret, after) || verifiesWith(t, rotated.Secret, after) || verifiesWith(t, wh.Secret, after) {
		t.Errorf("after a rotation with no grace: newest verifies %v, previous %v, first %v; want the newest only",
			verifiesWith(t, again.Secret, after), verifiesWith(t, rotated.Secret, after), verifiesWith(t, wh.Secret, after))
	}
}

// testTestNotLogged sends a test event: the receiver gets it signed and the
// API answers with the receiver's answer, but no delivery is recorded. An
// event published afterwards shows the ingest path was quiet: the receiver
// then has exactly two requests and the webhook exactly one delivery.
func testTestNotLogged(t *testing.T, b Backend) {
	_, api := start(t, b)
	r := NewReceiver(t, "X-Herald-", 202)
	wh := api.CreateWebhook(r, map[string]any{"events": []string{"order.*"}})
	var out struct {
		Success    bool   `json:"success"`
		StatusCode int    `json:"status_code"`
		Body       string `json:"response_body"`
	}
	if status := api.Do("POST", "/api/v1/admin/webhooks/"+wh.ID+"/test", nil, &out); status != http.StatusOK ||
		!out.Success || out.StatusCode != 202 || out.Body != `{"received":true}` {
		t.Fatalf("test: %d %+v", status, out)
	}
	got := r.Got()
	if len(got) != 1 || !got[0].Verified || !got[0].HexOK || got[0].Header.Get("X-Herald-Event") != "webhook.test" {
		t.Fatalf("receiver got %+v", got)
	}
	var ev struct {
		EventType string `json:"event_type"`
	}
	if err := json.Unmarshal(got[0].Body, &ev); err != nil || ev.EventType != "webhook.test" {
		t.Errorf("test body = %s", got[0].Body)
	}
	if l := api.Deliveries(wh.ID, ""); l.Total != 0 {
		t.Errorf("a test made %d deliveries", l.Total)
	}
	eventID := api.Publish(map[string]any{"event_type": "order.created"})
	d := api.WaitDelivery(wh.ID, "succeeded", wait)
	if l := api.Deliveries(wh.ID, ""); l.Total != 1 || d.EventID != eventID {
		t.Errorf("deliveries after one published event: %+v", l)
	}
	if n := len(r.Got()); n != 2 {
		t.Errorf("receiver got %d requests, want the test and the event", n)
	}
}

// testPauseOverflow pauses a webhook with a queue of 2 and publishes 5
// events one by one: 2 are held, 3 dropped (failed, not sent) and counted;
// resuming sends the 2 held ones.
func testPauseOverflow(t *testing.T, b Backend) {
	_, api := start(t, b)
	r := NewReceiver(t, "X-Herald-")
	wh := api.CreateWebhook(r, map[string]any{"events": []string{"order.*"}, "pause_queue_limit": 2})
	hook := "/api/v1/admin/webhooks/" + wh.ID
	var view opsWebhook
	if status := api.Do("POST", hook+"/pause", nil, &view); status != http.StatusOK || !view.Paused {
		t.Fatalf("pause: %d %+v", status, view)
	}
	read := func() opsWebhook {
		var v opsWebhook
		if status := api.Do("GET", hook, nil, &v); status != http.StatusOK {
			t.Fatalf("read webhook: %d", status)
		}
		return v
	}
	var ids []string
	for i := 1; i <= 5; i++ {
		ids = append(ids, api.Publish(map[string]any{"event_type": "order.created"}))
		// One at a time, so "the first two" is well defined.
		waitCount(t, func() bool {
			return api.Deliveries(wh.ID, "?status=paused").Total+int(read().PauseDropped) == i
		})
	}
	if held, dropped := api.Deliveries(wh.ID, "?status=paused").Total, read().PauseDropped; held != 2 || dropped != 3 {
		t.Fatalf("held %d, dropped %d; want 2 and 3", held, dropped)
	}
	if n := len(r.Got()); n != 0 {
		t.Fatalf("paused webhook got %d requests", n)
	}
	if status := api.Do("POST", hook+"/resume", nil, &view); status != http.StatusOK || view.Paused {
		t.Fatalf("resume: %d %+v", status, view)
	}
	got := r.WaitFor(2, wait)
	sent := map[string]bool{got[0].Header.Get("webhook-id"): true, got[1].Header.Get("webhook-id"): true}
	if !sent[ids[0]] || !sent[ids[1]] {
		t.Errorf("resume sent %v, want the first two events %v", sent, ids[:2])
	}
	waitCount(t, func() bool { return api.Deliveries(wh.ID, "?status=succeeded").Total == 2 })
	// The dropped ones are kept, failed as not sent, and stay so.
	if l, failed := api.Deliveries(wh.ID, ""), api.Deliveries(wh.ID, "?status=failed"); l.Total != 5 || failed.Total != 3 {
		t.Errorf("%d deliveries, %d failed; want the 2 held ones sent and the 3 dropped failed", l.Total, failed.Total)
	}
}
