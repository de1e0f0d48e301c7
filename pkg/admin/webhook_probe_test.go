package admin_test

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/outbound"
)

// testAnswer is the answer of POST …/test.
type testAnswer struct {
	Success      bool   `json:"success"`
	StatusCode   *int   `json:"status_code"`
	DurationMS   int64  `json:"duration_ms"`
	ResponseBody string `json:"response_body"`
	Error        string `json:"error"`
}

// TestTestSendsSignedEventAndStoresNothing sends the default test event and
// checks the receiver got a signed webhook.test envelope, the answer is the
// receiver's, and no event, delivery or job exists afterwards.
func TestTestSendsSignedEventAndStoresNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	r := newHookReceiver(t)
	view := f.createWebhook(t, adminToken, map[string]any{"url": r.URL,
		"headers": map[string]string{"Authorization": "Bearer r"}})
	id, secret := view["id"].(string), view["secret"].(string)

	var out testAnswer
	if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/test"), nil, &out); status != http.StatusOK ||
		!out.Success || out.StatusCode == nil || *out.StatusCode != 200 || out.ResponseBody != `{"ok":true}` || out.Error != "" {
		t.Fatalf("test: %d %s", status, raw)
	}
	got := r.Got()
	if len(got) != 1 || !verifies(t, secret, got[0]) {
		t.Fatalf("receiver got %d requests, verifying: %v", len(got), len(got) == 1 && verifies(t, secret, got[0]))
	}
	var ev struct {
		EventID   string `json:"event_id"`
		EventType string `json:"event_type"`
		Timestamp string `json:"timestamp"`
		Data      struct {
			WebhookID string `json:"webhook_id"`
			Message   string `json:"message"`
		} `json:"data"`
	}
	if err := json.Unmarshal(got[0].Body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.EventType != herald.EventTest || !strings.HasPrefix(ev.EventID, "evt_") || ev.Timestamp == "" ||
		ev.Data.WebhookID != id || ev.Data.Message != "Test event from Herald" {
		t.Errorf("test event = %s", got[0].Body)
	}
	if got[0].Header.Get("webhook-id") != ev.EventID || got[0].Header.Get("X-Herald-Event") != herald.EventTest ||
		got[0].Header.Get("Authorization") != "Bearer r" {
		t.Errorf("headers = %v", got[0].Header)
	}

	var list struct {
		Total int `json:"total"`
	}
	f.do(t, adminToken, "GET", hookPath(id, "/deliveries"), nil, &list)
	if list.Total != 0 || len(f.enq.Got()) != 0 {
		t.Errorf("after a test: %d deliveries, %d jobs; want none", list.Total, len(f.enq.Got()))
	}
	if n := heraldtest.Count(t, f.events); n != 0 {
		t.Errorf("after a test: %d stored events, want none", n)
	}
}

func TestTestReportsReceiverFailures(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	failing := newHookReceiver(t, http.StatusInternalServerError)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	_ = l.Close()
	for _, tc := range []struct {
		url        string
		wantStatus int
		wantError  string
	}{
		{failing.URL, 500, "HTTP 500"},
		{closed, 0, "connection refused"},
	} {
		id := f.createWebhook(t, adminToken, map[string]any{"url": tc.url})["id"].(string)
		var out testAnswer
		status, raw := f.do(t, adminToken, "POST", hookPath(id, "/test"), nil, &out)
		gotStatus := 0
		if out.StatusCode != nil {
			gotStatus = *out.StatusCode
		}
		if status != http.StatusOK || out.Success || gotStatus != tc.wantStatus || out.Error != tc.wantError {
			t.Errorf("%s: %d %s, want success false, status %d, error %q", tc.url, status, raw, tc.wantStatus, tc.wantError)
		}
	}
}

// TestTestRefusesPrivateTargets checks the SSRF guard: with the default
// client (private targets not allowed) a loopback receiver is not reached.
func TestTestRefusesPrivateTargets(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{Client: outbound.NewClient(outbound.ClientConfig{})})
	r := newHookReceiver(t)
	id := f.createWebhook(t, adminToken, map[string]any{"url": r.URL})["id"].(string)
	var out testAnswer
	if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/test"), nil, &out); status != http.StatusOK ||
		out.Success || out.StatusCode != nil || !strings.HasPrefix(out.Error, "refused") {
		t.Errorf("test to a loopback target: %d %s", status, raw)
	}
	if n := len(r.Got()); n != 0 {
		t.Errorf("the loopback receiver got %d requests", n)
	}
}

func TestTestCustomEvent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	r := newHookReceiver(t)
	id := f.createWebhook(t, adminToken, map[string]any{"url": r.URL})["id"].(string)
	body := map[string]any{"event_type": "webhook.test", "data": map[string]any{"path": "a/b", "new_version": 4}}
	if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/test"), body, nil); status != http.StatusOK {
		t.Fatalf("custom test: %d %s", status, raw)
	}
	var ev struct {
		EventType string         `json:"event_type"`
		Origin    string         `json:"origin"`
		Data      map[string]any `json:"data"`
	}
	if err := json.Unmarshal(r.Got()[0].Body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.EventType != "webhook.test" || ev.Origin != "test" || ev.Data["path"] != "a/b" || ev.Data["new_version"] != float64(4) {
		t.Errorf("custom test event = %s", r.Got()[0].Body)
	}

	for _, tc := range []struct {
		body any
		loc  string
	}{
		{map[string]any{"event_type": "Not Valid"}, "body.event_type"},
		// Signing an event of another type would be publishing without
		// events:publish, and forging Herald's own events.
		{map[string]any{"event_type": "secret.rotated"}, "body.event_type"},
		{map[string]any{"event_type": "webhook.secret.rotated"}, "body.event_type"},
		{map[string]any{"event_type": ""}, "body.event_type"},
		{map[string]any{"data": []int{1}}, "body.data"},
		{map[string]any{"other": 1}, "body.other"},
	} {
		var out struct {
			Detail []struct {
				Loc []any `json:"loc"`
			} `json:"detail"`
		}
		status, raw := f.do(t, adminToken, "POST", hookPath(id, "/test"), tc.body, &out)
		if status != http.StatusUnprocessableEntity || len(out.Detail) == 0 || locString(out.Detail[0].Loc) != tc.loc {
			t.Errorf("body %v: %d %s, want 422 at %s", tc.body, status, raw, tc.loc)
		}
	}
	if n := len(r.Got()); n != 1 {
		t.Errorf("receiver got %d requests, want only the valid one", n)
	}
}
