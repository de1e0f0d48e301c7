package admin_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
)

// statsAnswer is the answer of GET …/stats.
type statsAnswer struct {
	WebhookID string `json:"webhook_id"`
	Window    struct {
		Deliveries int        `json:"deliveries"`
		From       *time.Time `json:"from"`
		To         *time.Time `json:"to"`
	} `json:"window"`
	Counts      map[string]int `json:"counts"`
	SuccessRate *float64       `json:"success_rate"`
	Attempts    int            `json:"attempts"`
	LatencyMS   *struct {
		P50 int64 `json:"p50"`
		P95 int64 `json:"p95"`
	} `json:"latency_ms"`
	LastSuccessAt       *time.Time `json:"last_success_at"`
	LastFailureAt       *time.Time `json:"last_failure_at"`
	ConsecutiveFailures int        `json:"consecutive_failures"`
}

func TestStatsSummariseRecentDeliveries(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	other := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	at := func(min int) int64 { return herald.Millis(t0.Add(time.Duration(min) * time.Minute)) }
	ok := func(min int, ms int64) herald.Attempt {
		return herald.Attempt{AtMS: at(min), StatusCode: 200, DurationMS: ms}
	}
	bad := func(min int, ms int64) herald.Attempt {
		return herald.Attempt{AtMS: at(min), StatusCode: 500, DurationMS: ms, Error: "HTTP 500"}
	}
	for _, d := range []*herald.Delivery{
		{ID: 100, WebhookID: id, Status: herald.StatusSucceeded, CreatedMS: at(0), Attempts: []herald.Attempt{bad(0, 10), ok(1, 20)}},
		{ID: 200, WebhookID: id, Status: herald.StatusFailed, CreatedMS: at(2), Attempts: []herald.Attempt{bad(2, 30), bad(3, 40)}},
		{ID: 300, WebhookID: id, Status: herald.StatusSucceeded, CreatedMS: at(4), Attempts: []herald.Attempt{ok(4, 50)}},
		{ID: 400, WebhookID: id, Status: herald.StatusPending, CreatedMS: at(5), Attempts: []herald.Attempt{bad(5, 1000), bad(6, 60)}},
		{ID: 500, WebhookID: id, Status: herald.StatusPaused, CreatedMS: at(7)},
		{ID: 600, WebhookID: other, Status: herald.StatusFailed, CreatedMS: at(8), Attempts: []herald.Attempt{bad(8, 5)}},
	} {
		d.EventID, d.EventType = "evt_x", "order.created"
		if err := f.deliveries.Create(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	var s statsAnswer
	if status, raw := f.do(t, adminToken, "GET", hookPath(id, "/stats"), nil, &s); status != http.StatusOK {
		t.Fatalf("stats: %d %s", status, raw)
	}
	if s.WebhookID != id || s.Window.Deliveries != 5 || !s.Window.From.Equal(t0) || !s.Window.To.Equal(t0.Add(7*time.Minute)) {
		t.Errorf("window = %+v", s.Window)
	}
	if s.Counts["succeeded"] != 2 || s.Counts["failed"] != 1 || s.Counts["pending"] != 1 || s.Counts["paused"] != 1 {
		t.Errorf("counts = %v", s.Counts)
	}
	if s.SuccessRate == nil || *s.SuccessRate != 2.0/3.0 {
		t.Errorf("success_rate = %v, want 2/3", s.SuccessRate)
	}
	// Durations 10 20 30 40 50 60 1000: nearest-rank p50 is 40, p95 1000.
	if s.Attempts != 7 || s.LatencyMS == nil || s.LatencyMS.P50 != 40 || s.LatencyMS.P95 != 1000 {
		t.Errorf("attempts %d, latency %+v", s.Attempts, s.LatencyMS)
	}
	if s.LastSuccessAt == nil || !s.LastSuccessAt.Equal(t0.Add(4*time.Minute)) ||
		s.LastFailureAt == nil || !s.LastFailureAt.Equal(t0.Add(6*time.Minute)) {
		t.Errorf("last success %v, last failure %v", s.LastSuccessAt, s.LastFailureAt)
	}
	if s.ConsecutiveFailures != 2 {
		t.Errorf("consecutive_failures = %d, want 2", s.ConsecutiveFailures)
	}
}

func TestStatsOfWebhookWithoutDeliveries(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	var raw map[string]any
	if status, body := f.do(t, adminToken, "GET", hookPath(id, "/stats"), nil, &raw); status != http.StatusOK {
		t.Fatalf("stats: %d %s", status, body)
	}
	for _, k := range []string{"success_rate", "latency_ms", "last_success_at", "last_failure_at"} {
		if v, present := raw[k]; !present || v != nil {
			t.Errorf("%s = %v, want null", k, v)
		}
	}
	if w := raw["window"].(map[string]any); w["deliveries"] != float64(0) || w["from"] != nil {
		t.Errorf("window = %v", w)
	}
	if c := raw["counts"].(map[string]any); len(c) != 4 || c["pending"] != float64(0) {
		t.Errorf("counts = %v", c)
	}
}
