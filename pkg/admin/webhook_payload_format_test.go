package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
)

func TestPayloadFormat(t *testing.T) {
	t.Parallel()
	f := newConformingFixture(t, admin.Config{})
	plain := f.createWebhook(t, adminToken, map[string]any{})
	if plain["payload_format"] != "envelope" {
		t.Fatalf("default payload_format = %v", plain["payload_format"])
	}
	view := f.createWebhook(t, adminToken, map[string]any{"payload_format": "as_published"})
	id := view["id"].(string)
	if view["payload_format"] != "as_published" || f.stored(t, id).PayloadFormat != "as_published" {
		t.Fatalf("created payload_format = %v", view["payload_format"])
	}
	var read map[string]any
	f.do(t, adminToken, "GET", hookPath(id, ""), nil, &read)
	if read["payload_format"] != "as_published" {
		t.Fatalf("read payload_format = %v", read["payload_format"])
	}
	var patched map[string]any
	if status, raw := f.do(t, adminToken, "PATCH", hookPath(id, ""), map[string]any{"payload_format": "envelope"}, &patched); status != http.StatusOK ||
		patched["payload_format"] != "envelope" {
		t.Fatalf("patch: %d %s", status, raw)
	}
	for _, bad := range []any{"raw", "", "AS_PUBLISHED", 1} {
		status, raw := f.do(t, adminToken, "PATCH", hookPath(id, ""), map[string]any{"payload_format": bad}, nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), `["body","payload_format"]`) {
			t.Errorf("payload_format %v on patch: %d %s", bad, status, raw)
		}
		body := map[string]any{"name": "n", "url": "http://127.0.0.1:9/h", "validate": false, "payload_format": bad}
		if status, raw := f.do(t, adminToken, "POST", "/api/v1/admin/webhooks/", body, nil); status != http.StatusUnprocessableEntity ||
			!strings.Contains(string(raw), `["body","payload_format"]`) {
			t.Errorf("payload_format %v on create: %d %s", bad, status, raw)
		}
	}
}
