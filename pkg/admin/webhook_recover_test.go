package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// TestRecoverWritesTheRecovery: POST …/recover counts the failed deliveries
// of the window (not those of other statuses, other webhooks or outside
// it), answers 202 with the count, writes the recovery for the
// retry-scheduler with the webhook's max_in_flight, and refuses a second
// one while it runs.
func TestRecoverWritesTheRecovery(t *testing.T) {
	t.Parallel()
	f := newConformingFixture(t, admin.Config{})
	f.clock.Set(t0.Add(time.Hour))
	id := f.createWebhook(t, adminToken, map[string]any{"max_in_flight": 3})["id"].(string)
	other := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	put := func(wh string, at time.Time, n int, status herald.Status) {
		d := &herald.Delivery{ID: herald.DeliveryIDAt(at) + int64(n), WebhookID: wh, EventID: "evt_1",
			Status: status, CreatedMS: herald.Millis(at)}
		if err := f.deliveries.Create(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	put(id, t0.Add(-time.Second), 1, herald.StatusFailed) // before the window
	put(id, t0, 2, herald.StatusFailed)
	put(id, t0.Add(10*time.Minute), 3, herald.StatusFailed)
	put(id, t0.Add(20*time.Minute), 4, herald.StatusSucceeded)
	put(id, t0.Add(30*time.Minute), 5, herald.StatusFailed) // at until, to the millisecond
	put(id, t0.Add(30*time.Minute+time.Millisecond), 6, herald.StatusFailed)
	put(other, t0.Add(10*time.Minute), 7, herald.StatusFailed)

	path := hooksPath + id + "/recover"
	body := map[string]any{"since": t0.Format(time.RFC3339), "until": t0.Add(30 * time.Minute).Format(time.RFC3339)}
	var got map[string]int
	if s, raw := f.do(t, adminToken, "POST", path, body, &got); s != http.StatusAccepted || got["recovering"] != 3 {
		t.Fatalf("recover: %d %s, want 202 recovering 3", s, raw)
	}
	var rec store.Recovery
	iter := f.schedule.Query().Get(context.Background())
	defer iter.Stop()
	if err := iter.Next(context.Background(), &rec); err != nil {
		t.Fatalf("no recovery written: %v", err)
	}
	if rec.WebhookID != id || rec.MaxInFlight != 3 || rec.DueMS != herald.Millis(f.clock.Now()) {
		t.Errorf("recovery written: %+v", rec)
	}
	var refused map[string]string
	if s, raw := f.do(t, adminToken, "POST", path, body, &refused); s != http.StatusConflict || !strings.Contains(refused["detail"], "in progress") {
		t.Errorf("a second recover: %d %s, want 409", s, raw)
	}
}

// TestRecoverInputIsValidated: since is required, an RFC 3339 time, not in
// the future, and until after it and not in the future; each problem is 422
// with its field. A read-only token is 403.
func TestRecoverInputIsValidated(t *testing.T) {
	t.Parallel()
	f := newConformingFixture(t, admin.Config{})
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	path := hooksPath + id + "/recover"
	past, future := t0.Add(-time.Hour).Format(time.RFC3339), t0.Add(time.Hour).Format(time.RFC3339)
	for _, tc := range []struct {
		body  any
		field string
	}{
		{map[string]any{}, "since"},
		{nil, "body"},
		{map[string]any{"since": "yesterday"}, "since"},
		{map[string]any{"since": future}, "since"},
		{map[string]any{"since": past, "until": future}, "until"},
		{map[string]any{"since": past, "until": past}, "until"},
		{map[string]any{"since": t0.Add(-time.Minute).Format(time.RFC3339), "until": past}, "until"},
		{map[string]any{"since": past, "extra": 1}, "extra"},
	} {
		var got struct {
			Detail []struct {
				Loc []any `json:"loc"`
			} `json:"detail"`
		}
		s, raw := f.do(t, adminToken, "POST", path, tc.body, &got)
		if s != http.StatusUnprocessableEntity || len(got.Detail) == 0 || got.Detail[0].Loc[len(got.Detail[0].Loc)-1] != tc.field {
			t.Errorf("recover with %v: %d %s, want 422 on %s", tc.body, s, raw, tc.field)
		}
	}
	if n := len(f.enq.Got()); n != 0 {
		t.Errorf("refused recoveries enqueued %d jobs", n)
	}
}
