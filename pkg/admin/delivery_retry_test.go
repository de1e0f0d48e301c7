package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
)

// putDeliveryIn stores delivery number n of a stored event for webhookID,
// in status with one attempt made, and returns its path.
func putDeliveryIn(t *testing.T, f *fixture, webhookID string, n int, status herald.Status) string {
	t.Helper()
	ctx := context.Background()
	ms := herald.Millis(t0)
	ev := &herald.Event{ID: fmt.Sprint("evt_retry_", n), Type: "a.b", Payload: `{"event_type":"a.b"}`, CreatedMS: ms}
	d := &herald.Delivery{ID: ms<<10 | int64(n), WebhookID: webhookID, EventID: ev.ID, EventType: ev.Type,
		Status: status, AttemptCount: 1, Attempts: []herald.Attempt{{Attempt: 1, AtMS: ms, StatusCode: 500}},
		CreatedMS: ms, UpdatedMS: ms}
	if status == herald.StatusPending {
		d.NextAttemptMS = herald.Millis(t0.Add(time.Hour))
	}
	if err := f.events.Create(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if err := f.deliveries.Create(ctx, d); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s%s/deliveries/%d", hooksPath, webhookID, d.ID)
}

// TestRetryAnswersWhatItDid: the retry of a pending, a failed and a
// (forced) succeeded delivery each says what it did and enqueues attempt 2
// now; a succeeded one without force is 409 naming why, and sends nothing.
func TestRetryAnswersWhatItDid(t *testing.T) {
	t.Parallel()
	f := newConformingFixture(t, admin.Config{})
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	pending := putDeliveryIn(t, f, id, 1, herald.StatusPending)
	failed := putDeliveryIn(t, f, id, 2, herald.StatusFailed)
	succeeded := putDeliveryIn(t, f, id, 3, herald.StatusSucceeded)

	var refused map[string]string
	if s, raw := f.do(t, adminToken, "POST", succeeded+"/retry", nil, &refused); s != http.StatusConflict ||
		!strings.Contains(refused["detail"], "succeeded") || !strings.Contains(refused["detail"], "force") {
		t.Errorf("retry of a succeeded delivery: %d %s, want 409 naming why", s, raw)
	}
	if s, raw := f.do(t, adminToken, "POST", succeeded+"/retry", map[string]any{"force": false}, nil); s != http.StatusConflict {
		t.Errorf("retry of a succeeded delivery with force false: %d %s, want 409", s, raw)
	}
	if n := len(f.enq.Got()); n != 0 {
		t.Fatalf("a refused retry enqueued %v", f.enq.Got())
	}
	for _, tc := range []struct {
		path string
		body any
		want string
	}{
		{pending, nil, "next_attempt_now"},
		{failed, "", "manual_attempt"},
		{succeeded, map[string]any{"force": true}, "forced_resend"},
	} {
		var got struct {
			Status        herald.Status `json:"status"`
			Retry         string        `json:"retry"`
			NextAttemptAt *time.Time    `json:"next_attempt_at"`
		}
		before := len(f.enq.Got())
		if s, raw := f.do(t, adminToken, "POST", tc.path+"/retry", tc.body, &got); s != http.StatusOK ||
			got.Retry != tc.want || got.Status != herald.StatusPending || got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(t0) {
			t.Errorf("retry %s: %d %s, want 200 pending now with retry %q", tc.path, s, raw, tc.want)
		}
		if e := f.enq.Got(); len(e) != before+1 || e[before].Job.Attempt != 2 || !e[before].Due.Equal(t0) {
			t.Errorf("retry %s enqueued %+v, want attempt 2 now", tc.path, e[before:])
		}
	}
}

// TestRetryBodyIsValidated: a body that is not {"force": bool} is 422 with
// its field.
func TestRetryBodyIsValidated(t *testing.T) {
	t.Parallel()
	f := newConformingFixture(t, admin.Config{})
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	path := putDeliveryIn(t, f, id, 1, herald.StatusSucceeded) + "/retry"
	for _, body := range []any{map[string]any{"force": "yes"}, map[string]any{"forced": true}, "[1]"} {
		if s, raw := f.do(t, adminToken, "POST", path, body, nil); s != http.StatusUnprocessableEntity {
			t.Errorf("retry with %v: %d %s, want 422", body, s, raw)
		}
	}
}
