package deliver_test

import (
	"fmt"
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

// TestMaxSendingBoundsRequestsNotJobs: with MaxSending 2, four jobs to four
// webhooks handled at once have at most two requests at the receiver at a
// time, and all four are delivered once slots free up.
func TestMaxSendingBoundsRequestsNotJobs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{MaxSending: 2})
	entered, release := make(chan struct{}, 4), make(chan struct{})
	recv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		entered <- struct{}{}
		<-release
		w.WriteHeader(http.StatusOK)
	})
	f.seed(t, newWebhook(recv.URL), newDelivery())
	for i := int64(2); i <= 4; i++ {
		wh := newWebhook(recv.URL)
		wh.ID = fmt.Sprintf("wh_%d", i)
		if err := f.webhooks.Create(t.Context(), wh); err != nil {
			t.Fatal(err)
		}
		f.addDelivery(t, i, wh.ID)
	}
	done := make(chan error, 4)
	for _, id := range []int64{testDeliveryID, 2, 3, 4} {
		go func() { done <- f.handle(herald.Job{DeliveryID: id, Attempt: 1}) }()
	}
	<-entered
	<-entered
	select {
	case <-entered:
		t.Fatal("a third request reached the receiver with MaxSending 2")
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []int64{testDeliveryID, 2, 3, 4} {
		if d := f.delivery(t, id); d.Status != herald.StatusSucceeded {
			t.Errorf("delivery %d: %q, want succeeded", id, d.Status)
		}
	}
}
