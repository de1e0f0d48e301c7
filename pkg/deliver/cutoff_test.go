package deliver_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
)

// cancelAfter is a transport that cancels the attempt's context once the
// receiver's answer is in: a shutdown deadline falling between the answer
// and its record.
type cancelAfter struct {
	next   http.RoundTripper
	cancel context.CancelFunc
}

func (c cancelAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	c.cancel()
	return resp, err
}

// TestHandleRecordsAnswerDespiteCancel: a 200 that arrived just before the
// handler's context was cancelled is recorded as a success, so the delivery
// is not sent again after the restart.
func TestHandleRecordsAnswerDespiteCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	base := outbound.NewClient(outbound.ClientConfig{AllowPrivate: true})
	client := &http.Client{Transport: cancelAfter{next: base.Transport, cancel: cancel}}
	f := newFixture(t, deliver.Config{Client: client})
	r := newReceiver(t, status(http.StatusOK))
	f.seed(t, newWebhook(r.URL), newDelivery())

	if err := f.h.Handle(ctx, herald.Job{DeliveryID: testDeliveryID, Attempt: 1}.Encode()); err != nil {
		t.Fatalf("handle: %v", err)
	}
	if ctx.Err() == nil {
		t.Fatal("the transport did not cancel the context")
	}
	d := f.delivery(t, testDeliveryID)
	if d.Status != herald.StatusSucceeded || len(d.Attempts) != 1 || d.Attempts[0].StatusCode != http.StatusOK {
		t.Errorf("delivery = %s with attempts %+v, want succeeded with the 200", d.Status, d.Attempts)
	}
}

// TestHandleCutOffAttemptIsNotAFailure: an attempt whose context is
// cancelled before any answer (a shutdown deadline) records nothing: the
// delivery stays pending for the next start, and the webhook's failure count
// is untouched.
func TestHandleCutOffAttemptIsNotAFailure(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, func(_ http.ResponseWriter, req *http.Request) {
		cancel()
		<-req.Context().Done()
	})
	f.seed(t, newWebhook(r.URL), newDelivery())

	if err := f.h.Handle(ctx, herald.Job{DeliveryID: testDeliveryID, Attempt: 1}.Encode()); err == nil {
		t.Fatal("handle of a cut-off attempt returned nil; its message would be acked")
	}
	d := f.delivery(t, testDeliveryID)
	if d.Status != herald.StatusPending || len(d.Attempts) != 0 {
		t.Errorf("delivery = %s with attempts %+v, want pending with none", d.Status, d.Attempts)
	}
	if w := f.webhook(t, "wh_1"); w.ConsecutiveFailures != 0 {
		t.Errorf("consecutive_failures = %d, want 0", w.ConsecutiveFailures)
	}
}
