package deliver_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"gocloud.dev/pubsub/mempubsub"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/envelope"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/retry"
)

func TestHandleSuccessSendsSignedRequestAndRecordsAttempt(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{HeaderPrefix: "X-ScaiDrive-"})
	r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		f.clock.Advance(250 * time.Millisecond) // the receiver takes 250ms
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"received":true}`)
	})
	wh := newWebhook(r.URL)
	wh.Headers = map[string]string{"Authorization": "Bearer receiver-token", "X-Team": "payments",
		"webhook-id": "spoofed"} // Herald's own headers win over custom ones
	f.seed(t, wh, newDelivery())

	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}

	got := r.Got()
	if len(got) != 1 {
		t.Fatalf("receiver got %d requests, want 1", len(got))
	}
	req := got[0]
	if string(req.Body) != testPayload {
		t.Errorf("body = %s, want the stored envelope unchanged", req.Body)
	}
	verifier, err := standardwebhooks.NewWebhook(secretOf(t, wh))
	if err != nil {
		t.Fatal(err)
	}
	// The clock is fixed in 2026, so the library's freshness check is skipped;
	// the timestamp is checked against the injected clock below.
	if err := verifier.VerifyIgnoringTimestamp(req.Body, req.Header); err != nil {
		t.Errorf("standard webhooks verify: %v; headers %v", err, req.Header)
	}
	for name, want := range map[string]string{
		"webhook-id":              testEventID,
		"webhook-timestamp":       strconv.FormatInt(t0.Unix(), 10),
		"X-ScaiDrive-Event":       testEventType,
		"X-ScaiDrive-Delivery-Id": strconv.FormatInt(testDeliveryID, 10),
		"X-ScaiDrive-Signature":   hexSignature(t, secretOf(t, wh), req.Body),
		"Content-Type":            "application/json",
		"Authorization":           "Bearer receiver-token",
		"X-Team":                  "payments",
	} {
		if v := req.Header.Get(name); v != want {
			t.Errorf("header %s = %q, want %q", name, v, want)
		}
	}
	if v := req.Header.Get("X-Herald-Event"); v != "" {
		t.Errorf("default-prefix header sent alongside the custom prefix: X-Herald-Event = %q", v)
	}

	d := f.delivery(t, testDeliveryID)
	if d.Status != herald.StatusSucceeded || d.AttemptCount != 1 || d.NextAttemptMS != 0 || d.LeaseUntilMS != 0 {
		t.Errorf("delivery status %q, attempt_count %d, next %d, lease %d; want succeeded, 1, 0, 0",
			d.Status, d.AttemptCount, d.NextAttemptMS, d.LeaseUntilMS)
	}
	want := herald.Attempt{Attempt: 1, AtMS: herald.Millis(t0), URL: r.URL, StatusCode: http.StatusCreated,
		DurationMS: 250, ResponseBody: `{"received":true}`, PrivateTarget: true} // the receiver is on 127.0.0.1
	if len(d.Attempts) != 1 || d.Attempts[0] != want {
		t.Errorf("attempts = %+v, want [%+v]", d.Attempts, want)
	}
	if e := f.enq.Got(); len(e) != 0 {
		t.Errorf("a succeeded delivery enqueued %+v", e)
	}
}

// hexSignature computes <prefix>Signature independently of package signature.
func hexSignature(t *testing.T, secret string, body []byte) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func TestHandleFailureSchedulesNextAttempt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		config    retry.Schedule
		webhook   []string // the webhook's own retry_schedule
		attempt   int
		wantDelay time.Duration
	}{
		{"deployment schedule, first attempt", retry.Schedule{time.Minute, 2 * time.Minute}, nil, 1, time.Minute},
		{"deployment schedule, second attempt", retry.Schedule{time.Minute, 2 * time.Minute}, nil, 2, 2 * time.Minute},
		// The deployment schedule has one retry, so attempt 2 would be the
		// last; the webhook's own schedule has three.
		{"webhook schedule overrides", retry.Schedule{time.Minute}, []string{"10s", "20s", "30s"}, 2, 20 * time.Second},
		{"default schedule", nil, nil, 1, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, deliver.Config{Schedule: tt.config})
			r := newReceiver(t, status(http.StatusInternalServerError))
			wh := newWebhook(r.URL)
			wh.RetrySchedule = tt.webhook
			d := newDelivery()
			d.AttemptCount = tt.attempt - 1
			for n := 1; n < tt.attempt; n++ {
				d.Attempts = append(d.Attempts, herald.Attempt{Attempt: n, StatusCode: 500, Error: "HTTP 500"})
			}
			f.seed(t, wh, d)

			if err := f.handle(herald.Job{DeliveryID: d.ID, Attempt: tt.attempt}); err != nil {
				t.Fatal(err)
			}
			if n := r.hits.Load(); n != 1 {
				t.Fatalf("receiver hits = %d, want 1", n)
			}
			due := t0.Add(tt.wantDelay)
			got := f.delivery(t, d.ID)
			if got.Status != herald.StatusPending || got.NextAttemptMS != herald.Millis(due) || got.LeaseUntilMS != 0 {
				t.Errorf("delivery status %q, next %v, lease %d; want pending, %v, 0",
					got.Status, herald.FromMillis(got.NextAttemptMS), got.LeaseUntilMS, due)
			}
			if len(got.Attempts) != tt.attempt {
				t.Fatalf("%d attempts recorded, want %d", len(got.Attempts), tt.attempt)
			}
			if last := got.Attempts[tt.attempt-1]; last.Attempt != tt.attempt || last.StatusCode != 500 || last.Error != "HTTP 500" {
				t.Errorf("last attempt = %+v", last)
			}
			want := []heraldtest.Enqueued{{Job: herald.Job{DeliveryID: d.ID, Attempt: tt.attempt + 1}, Due: due}}
			if e := f.enq.Got(); len(e) != 1 || e[0].Job != want[0].Job || !e[0].Due.Equal(due) {
				t.Errorf("enqueued %+v, want %+v", e, want)
			}
		})
	}
}

func TestHandleLastAttemptFailedPublishesDropped(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{Schedule: retry.Schedule{time.Minute}})
	r := newReceiver(t, status(http.StatusServiceUnavailable))
	wh := newWebhook(r.URL)
	d := newDelivery()
	d.AttemptCount = 1
	d.Attempts = []herald.Attempt{{Attempt: 1, StatusCode: 500, Error: "HTTP 500"}}
	f.seed(t, wh, d)

	if err := f.handle(herald.Job{DeliveryID: d.ID, Attempt: 2}); err != nil {
		t.Fatal(err)
	}
	got := f.delivery(t, d.ID)
	if got.Status != herald.StatusFailed || got.DroppedMS != herald.Millis(t0) || got.NextAttemptMS != 0 || len(got.Attempts) != 2 {
		t.Errorf("delivery status %q, dropped %d, next %d, %d attempts; want failed, %d, 0, 2",
			got.Status, got.DroppedMS, got.NextAttemptMS, len(got.Attempts), herald.Millis(t0))
	}
	if e := f.enq.Got(); len(e) != 0 {
		t.Errorf("a given-up delivery enqueued %+v", e)
	}

	body := f.published(t, 5*time.Second)
	if body == nil {
		t.Fatal("no webhook.delivery.dropped event published on the ingest topic")
	}
	// What is published must be something the ingest function accepts.
	if _, err := envelope.New(envelope.Config{}).Parse(body); err != nil {
		t.Errorf("dropped event is not a valid envelope: %v\n%s", err, body)
	}
	var ev struct {
		EventType string `json:"event_type"`
		Category  string `json:"category"`
		TenantID  string `json:"tenant_id"`
		Data      struct {
			DeliveryID     int64  `json:"delivery_id"`
			WebhookID      string `json:"webhook_id"`
			EventID        string `json:"event_id"`
			Attempts       int    `json:"attempts"`
			LastStatusCode int    `json:"last_status_code"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.EventType != herald.EventDeliveryDropped || ev.Category != "SECURITY" || ev.TenantID != wh.TenantID ||
		ev.Data.DeliveryID != d.ID || ev.Data.WebhookID != wh.ID || ev.Data.EventID != testEventID ||
		ev.Data.Attempts != 2 || ev.Data.LastStatusCode != http.StatusServiceUnavailable {
		t.Errorf("dropped event = %s", body)
	}
}

func TestHandleLastAttemptOfOwnEventPublishesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{Schedule: retry.Schedule{time.Minute}})
	r := newReceiver(t, status(http.StatusInternalServerError))
	d := newDelivery()
	d.EventType = herald.EventDeliveryDropped
	d.AttemptCount = 1
	d.Attempts = []herald.Attempt{{Attempt: 1, StatusCode: 500, Error: "HTTP 500"}}
	f.seed(t, newWebhook(r.URL), d)

	if err := f.handle(herald.Job{DeliveryID: d.ID, Attempt: 2}); err != nil {
		t.Fatal(err)
	}
	if got := f.delivery(t, d.ID); got.Status != herald.StatusFailed || got.DroppedMS == 0 {
		t.Errorf("delivery status %q, dropped %d; want failed and dropped", got.Status, got.DroppedMS)
	}
	if r.hits.Load() != 1 {
		t.Errorf("receiver hits = %d, want 1", r.hits.Load())
	}
	if body := f.published(t, noneArrives); body != nil {
		t.Errorf("a failed delivery of Herald's own event published %s", body)
	}
}

// TestHandleDroppedPublishFailureRecordsNothing: when the dropped event cannot
// be published, the failure is not written either, so the delivery is not
// left given up without an announcement; the job's error brings it back.
func TestHandleDroppedPublishFailureRecordsNothing(t *testing.T) {
	t.Parallel()
	down := mempubsub.NewTopic()
	if err := down.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, deliver.Config{Schedule: retry.Schedule{time.Minute}, Ingest: down})
	r := newReceiver(t, status(http.StatusInternalServerError))
	wh := newWebhook(r.URL)
	d := newDelivery()
	d.AttemptCount = 1
	d.Attempts = []herald.Attempt{{Attempt: 1, StatusCode: 500, Error: "HTTP 500"}}
	f.seed(t, wh, d)

	if err := f.handle(herald.Job{DeliveryID: d.ID, Attempt: 2}); err == nil || herald.IsMalformed(err) {
		t.Fatalf("Handle = %v, want a transient error", err)
	}
	got := f.delivery(t, d.ID)
	if got.Status != herald.StatusPending || got.DroppedMS != 0 || len(got.Attempts) != 1 || got.LeaseUntilMS == 0 {
		t.Errorf("delivery = status %q dropped %d attempts %d lease %d; want pending, unannounced, 1 attempt, leased",
			got.Status, got.DroppedMS, len(got.Attempts), got.LeaseUntilMS)
	}
}

// TestRetryAfterNotSentRecordsTheRealAttempt: a delivery stopped because its
// webhook was disabled, retried after the webhook is enabled again, keeps the
// "not sent" record and records the real attempt under the next number.
func TestRetryAfterNotSentRecordsTheRealAttempt(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, status(http.StatusOK))
	wh := newWebhook(r.URL)
	wh.Enabled = false
	d := newDelivery()
	f.seed(t, wh, d)
	if err := f.handle(herald.Job{DeliveryID: d.ID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	stopped := f.delivery(t, d.ID)
	if stopped.Status != herald.StatusFailed || stopped.AttemptCount != 1 {
		t.Fatalf("stopped delivery = %+v", stopped)
	}

	ctx := context.Background()
	wh.Enabled = true
	if err := f.webhooks.Replace(ctx, wh); err != nil {
		t.Fatal(err)
	}
	stopped.Status, stopped.NextAttemptMS = herald.StatusPending, herald.Millis(t0) // what a manual retry does
	if err := f.deliveries.Replace(ctx, stopped); err != nil {
		t.Fatal(err)
	}
	if err := f.handle(herald.Job{DeliveryID: d.ID, Attempt: stopped.AttemptCount + 1}); err != nil {
		t.Fatal(err)
	}
	got := f.delivery(t, d.ID)
	if got.Status != herald.StatusSucceeded || len(got.Attempts) != 2 ||
		!strings.HasPrefix(got.Attempts[0].Error, "not sent") || got.Attempts[1].StatusCode != 200 {
		t.Errorf("after retry: status %s attempts %+v", got.Status, got.Attempts)
	}
	if n := len(r.Got()); n != 1 {
		t.Errorf("receiver got %d requests, want 1", n)
	}
}

// TestManualAttemptIsOneShot: a failed manual attempt fails the delivery
// without scheduling retries or announcing a drop.
func TestManualAttemptIsOneShot(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{Schedule: retry.Schedule{time.Minute, time.Hour}})
	r := newReceiver(t, status(http.StatusInternalServerError))
	wh := newWebhook(r.URL)
	d := newDelivery()
	d.Status, d.AttemptCount, d.ManualAttempt = herald.StatusPending, 0, 1 // a retried succeeded delivery, say
	f.seed(t, wh, d)
	if err := f.handle(herald.Job{DeliveryID: d.ID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	got := f.delivery(t, d.ID)
	if got.Status != herald.StatusFailed || got.DroppedMS != 0 || len(got.Attempts) != 1 {
		t.Errorf("after a failed manual attempt: %+v", got)
	}
	if e := f.enq.Got(); len(e) != 0 {
		t.Errorf("manual attempt scheduled %+v", e)
	}
	if body := f.published(t, 200*time.Millisecond); body != nil {
		t.Errorf("manual attempt published %s", body)
	}
}
