package admin_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestValidationOriginIsConfigured: the validation call's body carries the
// deployment's origin (HERALD_VALIDATION_ORIGIN), which a receiver told to
// ignore validation calls by it reads.
func TestValidationOriginIsConfigured(t *testing.T) {
	t.Parallel()
	const origin = "scoopa - endpoint validation test"
	f := newFixture(t, admin.Config{ValidationOrigin: origin})
	r := newHookReceiver(t)
	view := f.createWebhook(t, adminToken, map[string]any{"url": r.URL, "validate": true})
	if status, raw := f.do(t, adminToken, "POST", hookPath(view["id"].(string), "/validate"), nil, nil); status != http.StatusOK {
		t.Fatalf("validate: %d %s", status, raw)
	}
	got := r.Got()
	if len(got) != 2 {
		t.Fatalf("receiver got %d calls, want 2 (create, validate)", len(got))
	}
	for _, h := range got {
		var call validationCall
		if err := json.Unmarshal(h.Body, &call); err != nil {
			t.Fatal(err)
		}
		if call.Origin != origin || call.EventType != herald.EventValidation {
			t.Errorf("validation call = %s", h.Body)
		}
	}
}

// TestTestAnswerShowsTheRequest: the test call's answer shows the request
// sent — its headers, the signature's and custom ones included, names as
// they went out, and its body — exactly as the receiver got it.
func TestTestAnswerShowsTheRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{HeaderPrefix: "X-ScaiDrive-"})
	r := newHookReceiver(t)
	view := f.createWebhook(t, adminToken, map[string]any{"url": r.URL,
		"headers": map[string]string{"X-Tenant-ID": "t1"}})
	var out struct {
		Success bool `json:"success"`
		Request struct {
			Headers map[string]string `json:"headers"`
			Body    json.RawMessage   `json:"body"`
		} `json:"request"`
	}
	if status, raw := f.do(t, adminToken, "POST", hookPath(view["id"].(string), "/test"), nil, &out); status != http.StatusOK || !out.Success {
		t.Fatalf("test: %d %s", status, raw)
	}
	got := r.Got()
	if len(got) != 1 {
		t.Fatalf("receiver got %d requests", len(got))
	}
	if string(out.Request.Body) != string(got[0].Body) {
		t.Errorf("answer's body %s, receiver got %s", out.Request.Body, got[0].Body)
	}
	h := out.Request.Headers
	for _, name := range []string{"X-ScaiDrive-Event", "X-ScaiDrive-Signature", "X-ScaiDrive-Delivery-Id",
		"Webhook-Id", "Webhook-Timestamp", "Webhook-Signature", "X-Tenant-ID", "Content-Type", "User-Agent"} {
		if h[name] == "" || h[name] != got[0].Header.Get(name) {
			t.Errorf("answer's %s = %q, receiver got %q (answer's headers %v)", name, h[name], got[0].Header.Get(name), h)
		}
	}
	if _, canonical := h["X-Scaidrive-Event"]; canonical {
		t.Errorf("answer shows a re-cased name: %v", h)
	}
}
