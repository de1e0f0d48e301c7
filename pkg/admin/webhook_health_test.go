package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestWebhookLimitsAndHealthFields creates and patches the per-webhook
// limits, shows their defaults, and shows the health the deliver function
// keeps; enabling a disabled webhook again starts its health afresh.
func TestWebhookLimitsAndHealthFields(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	plain := f.createWebhook(t, adminToken, map[string]any{})
	for field, want := range map[string]any{"timeout_seconds": nil, "unhealthy_after": 3.0, "disable_after": nil,
		"max_in_flight": 10.0, "consecutive_failures": 0.0, "unhealthy": false, "failing_since": nil, "disabled_reason": ""} {
		if plain[field] != want {
			t.Errorf("default %s = %v, want %v", field, plain[field], want)
		}
	}
	view := f.createWebhook(t, adminToken, map[string]any{"timeout_seconds": 5, "unhealthy_after": 7,
		"disable_after": "72h", "max_in_flight": 2})
	id := view["id"].(string)
	for field, want := range map[string]any{"timeout_seconds": 5.0, "unhealthy_after": 7.0, "disable_after": "72h", "max_in_flight": 2.0} {
		if view[field] != want {
			t.Errorf("created %s = %v, want %v", field, view[field], want)
		}
	}
	// The deliver function disables it after a run of failures.
	ctx := context.Background()
	failingSince := herald.Millis(t0)
	if err := f.webhooks.Update(ctx, &herald.Webhook{ID: id}, docstore.Mods{"enabled": false,
		"disabled_reason": "failing for 72h", "consecutive_failures": 9, "unhealthy": true, "failing_since_ms": failingSince}); err != nil {
		t.Fatal(err)
	}
	var read map[string]any
	f.do(t, adminToken, "GET", "/api/v1/admin/webhooks/"+id, nil, &read)
	if read["consecutive_failures"] != 9.0 || read["unhealthy"] != true || read["disabled_reason"] != "failing for 72h" ||
		read["failing_since"] != "2026-11-23T12:00:00Z" {
		t.Errorf("health shown = %v", read)
	}
	var patched map[string]any
	if status, raw := f.do(t, adminToken, "PATCH", "/api/v1/admin/webhooks/"+id,
		map[string]any{"enabled": true, "disable_after": "", "timeout_seconds": 30}, &patched); status != http.StatusOK {
		t.Fatalf("patch: %d %s", status, raw)
	}
	if patched["enabled"] != true || patched["disabled_reason"] != "" || patched["consecutive_failures"] != 0.0 ||
		patched["unhealthy"] != false || patched["failing_since"] != nil || patched["disable_after"] != nil ||
		patched["timeout_seconds"] != 30.0 {
		t.Errorf("enabled again = %v", patched)
	}
}

func TestWebhookLimitsValidated(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	for _, tc := range []struct {
		field string
		value any
	}{
		{"timeout_seconds", 0}, {"timeout_seconds", 31}, {"unhealthy_after", 0}, {"unhealthy_after", 101},
		{"max_in_flight", 0}, {"max_in_flight", 101}, {"disable_after", "30s"}, {"disable_after", "soon"},
		{"disable_after", "1000h"},
	} {
		body := map[string]any{"name": "x", "url": "http://127.0.0.1:9/hook", "validate": false, tc.field: tc.value}
		status, raw := f.do(t, adminToken, "POST", "/api/v1/admin/webhooks/", body, nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), tc.field) {
			t.Errorf("%s = %v: %d %s", tc.field, tc.value, status, raw)
		}
	}
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	if status, raw := f.do(t, adminToken, "PATCH", "/api/v1/admin/webhooks/"+id, map[string]any{"max_in_flight": 500}, nil); status != http.StatusUnprocessableEntity {
		t.Errorf("patch max_in_flight 500: %d %s", status, raw)
	}
}
