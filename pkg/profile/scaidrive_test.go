package profile_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/signature"
)

// ScaiDrive audit events, as its documentation shows them: the same JSON
// the audit log holds, typed by action.
const (
	memberAdded = `{"event_id": "evt_01JSD0000000000000000001", "timestamp": "2026-05-12T14:23:01Z",
  "category": "SHARING", "action": "share.member_added", "user_id": "usr_alice",
  "resource_id": "shr_customers", "payload": { "principal_id": "usr_bob", "role": "contributor" }}`
	otherShare = `{"event_id": "evt_01JSD0000000000000000002", "timestamp": "2026-05-12T14:23:02Z",
  "category": "SHARING", "action": "share.member_added", "user_id": "usr_alice",
  "resource_id": "shr_internal", "payload": { "principal_id": "usr_carol", "role": "viewer" }}`
	uploaded = `{"event_id": "evt_01JSD0000000000000000003", "timestamp": "2026-05-12T14:23:03Z",
  "category": "FILE_MODIFICATION", "action": "file.uploaded", "user_id": "usr_alice",
  "resource_id": "shr_customers", "payload": { "file_id": "fil_1" }}`
	suspicious = `{"event_id": "evt_01JSD0000000000000000004", "timestamp": "2026-05-12T14:23:04Z",
  "category": "SECURITY", "action": "auth.suspicious_login", "user_id": "usr_mallory",
  "resource_id": "usr_mallory", "payload": { "ip": "203.0.113.7" }}`
	memberRemoved = `{"event_id": "evt_01JSD0000000000000000005", "timestamp": "2026-05-12T15:00:00Z",
  "category": "SHARING", "action": "share.member_removed", "user_id": "usr_alice",
  "resource_id": "shr_customers", "payload": { "principal_id": "usr_bob" }}`
)

// scaiDriveSignatureOK is the check ScaiDrive's documentation has its
// customers write, taken literally: X-ScaiDrive-Signature is "HMAC-SHA256
// over the body, using the webhook secret" — keyed with the secret exactly
// as shown to them, hex-encoded, nothing else.
func scaiDriveSignatureOK(secret string, body []byte, header string) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal([]byte(header), []byte(hex.EncodeToString(mac.Sum(nil))))
}

// scaiDriveVerifies reports whether g passes both checks a ScaiDrive
// customer may make: its documented hex header, and the Standard Webhooks
// headers with the official library (contract.Receiver's Verified).
func scaiDriveVerifies(secret string, g contract.Received) bool {
	return g.Verified && scaiDriveSignatureOK(secret, g.Body, g.Header.Get("X-ScaiDrive-Signature"))
}

// events returns what a receiver got, less validation calls.
func events(r *contract.Receiver, eventHeader string) []contract.Received {
	var out []contract.Received
	for _, g := range r.Got() {
		if g.Header.Get(eventHeader) != "webhook.validation" {
			out = append(out, g)
		}
	}
	return out
}

// waitEvents waits until r got n requests other than validation calls.
func waitEvents(t *testing.T, r *contract.Receiver, eventHeader string, n int) []contract.Received {
	t.Helper()
	var got []contract.Received
	for deadline := time.Now().Add(wait); ; {
		if got = events(r, eventHeader); len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("receiver got %d events, want %d", len(got), n)
		}
		r.WaitFor(len(r.Got())+1, time.Until(deadline))
	}
}

func TestScaiDrive(t *testing.T) {
	t.Parallel()
	p := readProduct(t, "ScaiDrive")
	d := start(t, p, nil, nil)
	const ev = "X-ScaiDrive-Event"

	// A ScaiDrive customer's receiver checks X-ScaiDrive-Signature as
	// ScaiDrive's documentation says (scaiDriveSignatureOK: the secret as
	// shown, whsec_ and all, which HERALD_HEX_SIGNATURE=plain signs with),
	// and may verify the Standard Webhooks headers too. ScaiDrive's admins
	// set each webhook's secret ("Shared HMAC key").
	crm := contract.NewReceiver(t, "X-ScaiDrive-")
	crmBody := p.webhook(t, "crm-sharing", crm.URL)
	crmSecret := signature.NewSecret()
	crmBody["secret"] = crmSecret
	crmHook := d.create(t, crmBody)
	crm.SetSecret(crmSecret)
	if crmHook.PayloadFormat != "as_published" || crmHook.PauseLimit != 1000 ||
		strings.Join(crmHook.RetrySchedule, ",") != p.env["HERALD_RETRY_SCHEDULE"] || !crmHook.Validated {
		t.Fatalf("crm webhook = %+v, want as_published, a 1000-event pause queue, ScaiDrive's schedule, validated", crmHook)
	}
	// The incident-response platform fails its first event.
	ir := contract.NewReceiver(t, "X-ScaiDrive-", http.StatusOK, http.StatusInternalServerError, http.StatusOK)
	irBody := p.webhook(t, "incident-response", ir.URL)
	irSecret := signature.NewSecret()
	irBody["secret"] = irSecret
	irHook := d.create(t, irBody)
	ir.SetSecret(irSecret)

	// A SECURITY audit event pages incident response; its endpoint answers
	// 500, and the next attempt is ScaiDrive's first step, 30 s, later.
	d.publish(t, suspicious)
	waitEvents(t, ir, ev, 1)
	pending := d.waitDeliveries(t, irHook.ID, "a failed first attempt", func(ds []contract.Delivery) bool {
		return len(ds) == 1 && len(ds[0].Attempts) == 1 && ds[0].NextAttemptAt != nil
	})[0]
	if a := pending.Attempts[0]; pending.Status != "pending" || a.StatusCode != 500 || a.Error != "HTTP 500" ||
		!nextAfter(pending, 30*time.Second) {
		t.Errorf("after a 500: %s, attempt %+v, next at %v: want pending, retried 30s later", pending.Status, a, pending.NextAttemptAt)
	}

	// Another share and another category are not the CRM's; the share
	// event is, delivered as the audit log holds it, byte for byte.
	d.publish(t, otherShare)
	d.publish(t, uploaded)
	d.publish(t, memberAdded)
	got := waitEvents(t, crm, ev, 1)[0]
	if !bytes.Equal(got.Body, []byte(memberAdded)) {
		t.Errorf("CRM got\n%s\nwant the audit event as published\n%s", got.Body, memberAdded)
	}
	if !scaiDriveVerifies(crmSecret, got) {
		t.Errorf("X-ScaiDrive-Signature %q does not verify as ScaiDrive documents it (standard webhooks: %v)",
			got.Header.Get("X-ScaiDrive-Signature"), got.Verified)
	}
	ds := d.deliveries(t, crmHook.ID)
	if len(ds) != 1 {
		t.Fatalf("CRM has %d deliveries, want the one of its share and category", len(ds))
	}
	if got.Header.Get(ev) != "share.member_added" || got.Header.Get("X-ScaiDrive-Delivery-Id") != strconv.FormatInt(ds[0].ID, 10) ||
		got.Header.Get("Authorization") != "Bearer crm-token" || got.Header.Get("webhook-id") != "evt_01JSD0000000000000000001" {
		t.Errorf("CRM headers: event %q, delivery %q (log: %d), authorization %q, webhook-id %q", got.Header.Get(ev),
			got.Header.Get("X-ScaiDrive-Delivery-Id"), ds[0].ID, got.Header.Get("Authorization"), got.Header.Get("webhook-id"))
	}
	// The delivery log: success and the response code.
	d.waitDeliveries(t, crmHook.ID, "a recorded success", func(ds []contract.Delivery) bool {
		return len(ds) == 1 && ds[0].Status == "succeeded" && len(ds[0].Attempts) == 1 && ds[0].Attempts[0].StatusCode == 200
	})

	// Header names go out as ScaiDrive writes them: the test call shows the
	// request sent, its signature as the receiver got it and checks it.
	var probe struct {
		StatusCode int `json:"status_code"`
		Request    struct {
			Headers map[string]string `json:"headers"`
			Body    json.RawMessage   `json:"body"`
		} `json:"request"`
	}
	if status := d.Do("POST", webhooksPath+crmHook.ID+"/test", nil, &probe); status != http.StatusOK || probe.StatusCode != 200 {
		t.Fatalf("test call: %d, %+v", status, probe)
	}
	for _, name := range []string{"X-ScaiDrive-Event", "X-ScaiDrive-Signature"} {
		if _, ok := probe.Request.Headers[name]; !ok {
			t.Errorf("test call sent no %s header as written: %v", name, probe.Request.Headers)
		}
	}
	testCall := crm.Got()[len(crm.Got())-1]
	if shown := probe.Request.Headers["X-ScaiDrive-Signature"]; shown != testCall.Header.Get("X-ScaiDrive-Signature") ||
		!scaiDriveSignatureOK(crmSecret, probe.Request.Body, shown) || !scaiDriveVerifies(crmSecret, testCall) {
		t.Errorf("test call's answer shows X-ScaiDrive-Signature %q, the receiver got %q (verifies as documented: %v)",
			shown, testCall.Header.Get("X-ScaiDrive-Signature"), scaiDriveVerifies(crmSecret, testCall))
	}

	// Paused for maintenance, the webhook queues; resume catches up.
	if status := d.Do("POST", webhooksPath+crmHook.ID+"/pause", nil, nil); status != http.StatusOK {
		t.Fatalf("pause: %d", status)
	}
	d.publish(t, memberRemoved)
	d.waitDeliveries(t, crmHook.ID, "a held delivery", func(ds []contract.Delivery) bool {
		return len(ds) == 2 && ds[0].Status == "paused"
	})
	if n := len(events(crm, ev)); n != 2 { // the event and the test call
		t.Fatalf("paused webhook's receiver got %d requests, want 2", n)
	}
	if status := d.Do("POST", webhooksPath+crmHook.ID+"/resume", nil, nil); status != http.StatusOK {
		t.Fatalf("resume: %d", status)
	}
	if got := waitEvents(t, crm, ev, 3)[2]; !bytes.Equal(got.Body, []byte(memberRemoved)) || !scaiDriveVerifies(crmSecret, got) {
		t.Errorf("after resume the CRM got %s", got.Body)
	}

	// A delivery given up is dropped and logged as a SECURITY event, which
	// pages incident response. (ScaiDrive gives up after 24 h; this webhook
	// has a 1 s schedule so the test need not wait.)
	down := contract.NewReceiver(t, "X-ScaiDrive-", http.StatusServiceUnavailable)
	downBody := p.webhook(t, "crm-sharing", down.URL)
	downBody["name"], downBody["retry_schedule"], downBody["validate"] = "crm-down", []string{"1s"}, false
	downHook := d.create(t, downBody)
	d.publish(t, strings.Replace(memberAdded, "000001", "000006", 1))
	d.waitDeliveries(t, downHook.ID, "a delivery given up", func(ds []contract.Delivery) bool {
		return len(ds) == 1 && ds[0].Status == "failed"
	})
	var dropped map[string]any
	for _, g := range waitEvents(t, ir, ev, 2) {
		if g.Header.Get(ev) == "webhook.delivery.dropped" {
			if err := json.Unmarshal(g.Body, &dropped); err != nil || !scaiDriveVerifies(irSecret, g) {
				t.Fatalf("dropped event %s does not verify (%v)", g.Body, err)
			}
		}
	}
	if dropped == nil || dropped["category"] != "SECURITY" {
		t.Fatalf("incident response got %d events, none a SECURITY webhook.delivery.dropped (%v)", len(events(ir, ev)), dropped)
	}
}

// TestScaiDriveApplications: an application gets tokens with its client
// credentials, for its token lifetime (1 h by default); narrowing its
// scopes applies to them at once; a rotated secret keeps working for the
// 24 h grace period.
func TestScaiDriveApplications(t *testing.T) {
	t.Parallel()
	p := readProduct(t, "ScaiDrive")
	d := start(t, p, nil, nil)
	base := d.sys.URL
	var app struct {
		ID            string `json:"id"`
		ClientID      string `json:"client_id"`
		ClientSecret  string `json:"client_secret"`
		TokenLifetime int    `json:"token_lifetime"`
	}
	if status := d.Do("POST", applicationsPath, p.body(t, applicationsPath, "ci-pipeline"), &app); status != http.StatusCreated ||
		app.ClientSecret == "" || app.TokenLifetime != 3600 {
		t.Fatalf("create application: %d %+v, want a client secret and a 1 h token lifetime", status, app)
	}
	ci := contract.NewAPI(t, base, bearerJWT(t, base, app.ClientID, app.ClientSecret))
	if status := ci.Do("GET", webhooksPath, nil, nil); status != http.StatusOK {
		t.Errorf("list webhooks with webhooks:read: %d", status)
	}
	ci.Publish(map[string]any{"event_type": "build.finished", "category": "ADMIN"})

	// Tighten the scope: the token already issued loses it at once.
	if status := d.Do("PATCH", applicationsPath+app.ID, map[string]any{"scopes": []string{"webhooks:read"}}, nil); status != http.StatusOK {
		t.Fatalf("edit scopes: %d", status)
	}
	if status := ci.Do("POST", "/api/v1/events", map[string]any{"event_type": "build.finished"}, nil); status != http.StatusForbidden {
		t.Errorf("publish after the scope was removed: %d, want 403", status)
	}

	// Rotate the secret: the old one still works during the grace period
	// (each check costs an argon2id hash: the new one is left to the admin
	// package's tests).
	var rotated struct {
		ClientSecret string `json:"client_secret"`
	}
	if status := d.Do("POST", applicationsPath+app.ID+"/rotate-secret", map[string]any{"grace_period": "24h"}, &rotated); status != http.StatusOK ||
		rotated.ClientSecret == "" || rotated.ClientSecret == app.ClientSecret {
		t.Fatalf("rotate secret: %d", status)
	}
	bearerJWT(t, base, app.ClientID, app.ClientSecret)
}
