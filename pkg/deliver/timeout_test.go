package deliver_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestHandleLeaseCoversWebhookTimeout: the lease on a claimed attempt is the
// webhook's timeout (or the deployment's) plus the margin, read by the
// receiver while the attempt is in flight.
func TestHandleLeaseCoversWebhookTimeout(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		timeoutSeconds int
		want           time.Duration
	}{
		{0, 10*time.Second + 5*time.Second}, // the deployment's 10s
		{1, 6 * time.Second},
		{30, 35 * time.Second},
	} {
		f := newFixture(t, deliver.Config{Timeout: 10 * time.Second})
		var lease int64
		r := newReceiver(t, func(w http.ResponseWriter, req *http.Request) {
			d := &herald.Delivery{ID: testDeliveryID}
			if err := f.deliveries.Get(req.Context(), d); err == nil {
				lease = d.LeaseUntilMS
			}
			w.WriteHeader(http.StatusOK)
		})
		wh := newWebhook(r.URL)
		wh.TimeoutSeconds = tc.timeoutSeconds
		f.seed(t, wh, newDelivery())
		if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
			t.Fatal(err)
		}
		if lease != herald.Millis(t0.Add(tc.want)) {
			t.Errorf("timeout_seconds %d: lease until %v, want t0+%s", tc.timeoutSeconds, herald.FromMillis(lease), tc.want)
		}
	}
}

// TestHandleAppliesWebhookTimeout: a webhook's timeout_seconds of 1 ends an
// attempt to a receiver that never answers after a second, though the
// shared client would wait 5s. (A real second: the timeout is real.)
func TestHandleAppliesWebhookTimeout(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	stop := make(chan struct{})
	r := newReceiver(t, func(_ http.ResponseWriter, req *http.Request) {
		select {
		case <-req.Context().Done():
		case <-stop:
		}
	})
	t.Cleanup(func() { close(stop) })
	wh := newWebhook(r.URL)
	wh.TimeoutSeconds = 1
	f.seed(t, wh, newDelivery())
	started := time.Now()
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	// Never before the second; which deadline ended it (the webhook's, not
	// the client's 5s) is in the error text below, not in a wall-clock bound.
	if took := time.Since(started); took < time.Second {
		t.Errorf("attempt ended after %s, before its 1s timeout", took)
	}
	d := f.delivery(t, testDeliveryID)
	if len(d.Attempts) != 1 || d.Attempts[0].Error != "timeout after 1s" || d.Status != herald.StatusPending {
		t.Errorf("delivery %q, attempts %+v", d.Status, d.Attempts)
	}
}
