package admin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
)

func TestCreateSealsSecretAndEmitsAudit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	view := f.createWebhook(t, adminToken, map[string]any{"tenant_id": "tnt_a"})
	secret, _ := view["secret"].(string)
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("create returned secret %q", secret)
	}
	wh := &herald.Webhook{ID: view["id"].(string)}
	if err := f.webhooks.Get(context.Background(), wh); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(wh.SealedSecret, strings.TrimPrefix(secret, "whsec_")) {
		t.Fatal("the stored webhook holds the secret in the clear")
	}
	if got, err := f.sealer.Open(context.Background(), wh.SealedSecret); err != nil || got != secret {
		t.Fatalf("stored secret opens to %q, %v", got, err)
	}
	var read map[string]any
	if status, raw := f.do(t, adminToken, "GET", "/api/v1/admin/webhooks/"+wh.ID, nil, &read); status != http.StatusOK ||
		strings.Contains(string(raw), "whsec_") || strings.Contains(string(raw), "sealed:") {
		t.Fatalf("read: %d %s", status, raw)
	}
	ev := f.published(t)
	data, _ := ev["data"].(map[string]any)
	if ev["event_type"] != herald.EventEndpointCreated || ev["category"] != "ADMIN" || ev["tenant_id"] != "tnt_a" ||
		data["webhook_id"] != wh.ID || data["actor"] != "admin" {
		t.Fatalf("audit event = %v", ev)
	}
}

// TestNewURLIsValidatedAtOnce: a patch that changes the URL validates the
// new one at once (the old URL's validation is not kept); a failure shows
// on the webhook and announces webhook.endpoint.validation_failed.
func TestNewURLIsValidatedAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(ok.Close)
	view := f.createWebhook(t, adminToken, map[string]any{"url": ok.URL, "validate": true})
	if view["validated"] != true {
		t.Fatalf("created: %v", view)
	}
	id := view["id"].(string)
	f.clock.Advance(time.Minute)
	var patched map[string]any
	f.do(t, adminToken, "PATCH", "/api/v1/admin/webhooks/"+id, map[string]any{"url": ok.URL + "/elsewhere"}, &patched)
	if patched["validated"] != false || patched["validation_error"] != "HTTP 500" ||
		patched["validated_at"] != t0.Add(time.Minute).Format(time.RFC3339) {
		t.Fatalf("a new URL kept the old validation: %v", patched)
	}
	ev := f.publishedOfType(t, herald.EventEndpointValidationFailed)
	data, _ := ev["data"].(map[string]any)
	if ev["category"] != "SECURITY" || data["webhook_id"] != id || data["url"] != ok.URL+"/elsewhere" ||
		data["error"] != "HTTP 500" {
		t.Errorf("validation_failed event = %v", ev)
	}
	if wh := f.stored(t, id); wh.Validated || wh.ValidationFailingSinceMS == 0 {
		t.Errorf("stored: validated %v, failing since %d", wh.Validated, wh.ValidationFailingSinceMS)
	}
	// Back to a URL that answers: validated again, the run of failures over.
	f.do(t, adminToken, "PATCH", "/api/v1/admin/webhooks/"+id, map[string]any{"url": ok.URL + "/back"}, &patched)
	if patched["validated"] != true || patched["validation_error"] != "" {
		t.Fatalf("patched back: %v", patched)
	}
	if wh := f.stored(t, id); !wh.Validated || wh.ValidationFailingSinceMS != 0 {
		t.Errorf("stored: validated %v, failing since %d", wh.Validated, wh.ValidationFailingSinceMS)
	}
}

func TestFilterValueIsBounded(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	big := strings.Repeat("x", 5000)
	body := map[string]any{"name": "n", "url": "http://127.0.0.1:9/h", "validate": false,
		"filters": []map[string]any{{"field": "data.path", "op": "eq", "value": big}}}
	status, raw := f.do(t, adminToken, "POST", "/api/v1/admin/webhooks/", body, nil)
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), `["body","filters",0,"value"]`) {
		t.Fatalf("a 5 KB filter value: %d %s", status, raw)
	}
}
