package admin_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// validationCall is the part of a validation call the tests read.
type validationCall struct {
	EventType string `json:"event_type"`
	Origin    string `json:"origin"`
	Data      struct {
		WebhookID string `json:"webhook_id"`
		Challenge string `json:"challenge"`
	} `json:"data"`
}

func TestCreateValidatesEndpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	for _, tc := range []struct {
		name      string
		status    int
		validated bool
		reason    string
	}{
		{"accepted", http.StatusAccepted, true, ""},
		{"failing", http.StatusInternalServerError, false, "HTTP 500"},
	} {
		r := newHookReceiver(t, tc.status)
		view := f.createWebhook(t, adminToken, map[string]any{"url": r.URL, "validate": true})
		if view["validated"] != tc.validated || view["validation_error"] != tc.reason ||
			view["validated_at"] != t0.Format(time.RFC3339) {
			t.Errorf("%s: created view = %v", tc.name, view)
		}
		got := r.Got()
		if len(got) != 1 || !verifies(t, view["secret"].(string), got[0]) {
			t.Fatalf("%s: receiver got %d requests, want one signed validation call", tc.name, len(got))
		}
		var call validationCall
		if err := json.Unmarshal(got[0].Body, &call); err != nil {
			t.Fatal(err)
		}
		if call.EventType != herald.EventValidation || call.Origin != "validation" ||
			call.Data.WebhookID != view["id"] || len(call.Data.Challenge) < 16 {
			t.Errorf("%s: validation call = %s", tc.name, got[0].Body)
		}
		if wh := f.stored(t, view["id"].(string)); wh.Validated != tc.validated || wh.ValidationError != tc.reason {
			t.Errorf("%s: stored validated %v, error %q", tc.name, wh.Validated, wh.ValidationError)
		}
	}
	// Without "validate" the fixture's helper turns validation off; the
	// API's default is on.
	r := newHookReceiver(t)
	var view map[string]any
	if status, raw := f.do(t, adminToken, "POST", "/api/v1/admin/webhooks/", map[string]any{"name": "d", "url": r.URL}, &view); status != http.StatusCreated ||
		view["validated"] != true || len(r.Got()) != 1 {
		t.Errorf("create with the default: %d %s, %d calls", status, raw, len(r.Got()))
	}
	off := f.createWebhook(t, adminToken, map[string]any{"url": r.URL})
	if off["validated"] != false || off["validated_at"] != nil || len(r.Got()) != 1 {
		t.Errorf("create with validate false: %v, %d calls", off, len(r.Got()))
	}
}

func TestValidateRecordsEachOutcome(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	r := newHookReceiver(t, http.StatusNoContent, http.StatusGone)
	id := f.createWebhook(t, adminToken, map[string]any{"url": r.URL})["id"].(string)

	var view map[string]any
	if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/validate"), nil, &view); status != http.StatusOK ||
		view["validated"] != true || view["validation_error"] != "" || view["validated_at"] != t0.Format(time.RFC3339) {
		t.Fatalf("validate: %d %s", status, raw)
	}
	f.clock.Advance(time.Minute)
	if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/validate"), nil, &view); status != http.StatusOK ||
		view["validated"] != false || view["validation_error"] != "HTTP 410" ||
		view["validated_at"] != t0.Add(time.Minute).Format(time.RFC3339) {
		t.Fatalf("second validate: %d %s", status, raw)
	}
	if wh := f.stored(t, id); wh.Validated || wh.ValidationError != "HTTP 410" || !wh.ValidatedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("stored: validated %v, error %q, at %v", wh.Validated, wh.ValidationError, wh.ValidatedAt)
	}
	if n := heraldtest.Count(t, f.deliveries); n != 0 {
		t.Errorf("validation stored %d deliveries", n)
	}
}
