package deliver_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestHandleInFlightCapPutsJobBack: with a webhook's one slot taken by a
// slow attempt, its next job is put back a second later without a claim
// and without waiting, while another webhook's job is sent at once.
func TestHandleInFlightCapPutsJobBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	entered, release := make(chan struct{}, 4), make(chan struct{})
	slow := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		entered <- struct{}{}
		<-release
		w.WriteHeader(http.StatusOK)
	})
	fast := newReceiver(t, nil)
	wh := newWebhook(slow.URL)
	wh.MaxInFlight = 1
	f.seed(t, wh, newDelivery())
	other := newWebhook(fast.URL)
	other.ID = "wh_2"
	if err := f.webhooks.Create(t.Context(), other); err != nil {
		t.Fatal(err)
	}
	f.addDelivery(t, 2, "wh_1")
	f.addDelivery(t, 3, "wh_2")

	done := make(chan error, 1)
	go func() { done <- f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}) }()
	<-entered // the slot of wh_1 is taken

	started := time.Now()
	if err := f.handle(herald.Job{DeliveryID: 2, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(started); took > time.Second {
		t.Errorf("a job for a busy webhook held the consumer for %s", took)
	}
	if e := f.enq.Got(); len(e) != 1 || e[0].Job != (herald.Job{DeliveryID: 2, Attempt: 1}) || !e[0].Due.Equal(t0.Add(time.Second)) {
		t.Errorf("enqueued %+v, want job 2/1 put back for t0+1s", e)
	}
	if d := f.delivery(t, 2); d.AttemptCount != 0 || d.LeaseUntilMS != 0 {
		t.Errorf("the put-back job claimed its attempt: %+v", d)
	}
	// The delivery waits for t0+1s: the sweep must not take it for a lost
	// one and publish another copy of its job.
	if d := f.delivery(t, 2); d.NextAttemptMS != herald.Millis(t0.Add(time.Second)) {
		t.Errorf("put back, the delivery is due at %v, want t0+1s", herald.FromMillis(d.NextAttemptMS))
	}
	if err := f.handle(herald.Job{DeliveryID: 3, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	if d := f.delivery(t, 3); d.Status != herald.StatusSucceeded {
		t.Errorf("another webhook's delivery waited: %q", d.Status)
	}

	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	if err := f.handle(herald.Job{DeliveryID: 2, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	if d := f.delivery(t, 2); d.Status != herald.StatusSucceeded {
		t.Errorf("after the slot was freed the job was not sent: %q", d.Status)
	}
}
