package deliver_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestHandleRetryAfterPushesNextAttempt checks next = max(backoff step,
// Retry-After), capped at 24h, for 429 and 503 only; the clock is injected,
// so an HTTP-date is read against it.
func TestHandleRetryAfterPushesNextAttempt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		status     int
		retryAfter string
		want       time.Duration // after t0; the step is 30s
	}{
		{"429 seconds beyond the step", http.StatusTooManyRequests, "120", 2 * time.Minute},
		{"503 seconds within the step", http.StatusServiceUnavailable, "5", 30 * time.Second},
		{"429 HTTP-date", http.StatusTooManyRequests, t0.Add(2 * time.Hour).Format(http.TimeFormat), 2 * time.Hour},
		{"503 capped at 24h", http.StatusServiceUnavailable, "99999999", 24 * time.Hour},
		{"429 unreadable", http.StatusTooManyRequests, "later", 30 * time.Second},
		{"500 ignores it", http.StatusInternalServerError, "120", 30 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, deliver.Config{})
			r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Retry-After", tc.retryAfter)
				w.WriteHeader(tc.status)
			})
			f.seed(t, newWebhook(r.URL), newDelivery())
			if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			d := f.delivery(t, testDeliveryID)
			want := t0.Add(tc.want)
			if d.Status != herald.StatusPending || d.NextAttemptMS != herald.Millis(want) {
				t.Errorf("status %q, next attempt %v; want pending at %v", d.Status, herald.FromMillis(d.NextAttemptMS), want)
			}
			if e := f.enq.Got(); len(e) != 1 || !e[0].Due.Equal(want) || e[0].Job.Attempt != 2 {
				t.Errorf("enqueued %+v, want attempt 2 at %v", e, want)
			}
		})
	}
}
