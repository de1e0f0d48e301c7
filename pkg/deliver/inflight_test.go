package deliver_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
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

// TestJobsWaitTheirTurnForAWebhooksRequestSlots: with jobs run four per
// request slot (MaxSending set), four jobs for a webhook whose cap is one
// take turns, one request at a time, none put back; a fifth, past four
// jobs per slot of the cap, is put back. (Counting jobs against the cap
// put back every job beyond it: with fan-out 1, 156 of every 256.)
func TestJobsWaitTheirTurnForAWebhooksRequestSlots(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{MaxSending: 8})
	var at, most atomic.Int32
	entered, release := make(chan struct{}, 8), make(chan struct{})
	recv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		n := at.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		entered <- struct{}{}
		<-release
		at.Add(-1)
		w.WriteHeader(http.StatusOK)
	})
	free := sync.OnceFunc(func() { close(release) })
	t.Cleanup(free) // before the receiver's close, which waits for its handlers
	wh := newWebhook(recv.URL)
	wh.MaxInFlight = 1
	f.seed(t, wh, newDelivery())
	ids := []int64{testDeliveryID, 2, 3, 4}
	for _, id := range ids[1:] {
		f.addDelivery(t, id, wh.ID)
	}
	f.addDelivery(t, 5, wh.ID)
	done := make(chan error, len(ids))
	for _, id := range ids {
		go func() { done <- f.handle(herald.Job{DeliveryID: id, Attempt: 1}) }()
	}
	<-entered
	// The four are admitted once each has claimed its attempt.
	if !heraldtest.Poll(10*time.Second, func() bool {
		for _, id := range ids {
			if f.delivery(t, id).LeaseUntilMS == 0 {
				return false
			}
		}
		return true
	}) {
		t.Fatalf("not every job claimed its attempt; enqueued %+v", f.enq.Got())
	}
	if err := f.handle(herald.Job{DeliveryID: 5, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	if e := f.enq.Got(); len(e) != 1 || e[0].Job.DeliveryID != 5 {
		t.Errorf("enqueued %+v, want the fifth job alone put back", e)
	}
	free()
	for range ids {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		if d := f.delivery(t, id); d.Status != herald.StatusSucceeded {
			t.Errorf("delivery %d: %q, want succeeded", id, d.Status)
		}
	}
	if m := most.Load(); m != 1 {
		t.Errorf("%d requests at once to a webhook whose cap is 1", m)
	}
}

// TestALateTurnRenewsTheLease: a job that claimed its attempt and then
// waited for a request slot longer than half the lease margin renews its
// lease before its request, so the sweep cannot take the attempt being
// made for a lost one and send another copy.
func TestALateTurnRenewsTheLease(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{MaxSending: 1})
	leases, release := make(chan int64, 2), make(chan struct{})
	recv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		leases <- f.delivery(t, 2).LeaseUntilMS
		<-release
		w.WriteHeader(http.StatusOK)
	})
	free := sync.OnceFunc(func() { close(release) })
	t.Cleanup(free) // before the receiver's close, which waits for its handlers
	f.seed(t, newWebhook(recv.URL), newDelivery())
	f.addDelivery(t, 2, "wh_1")
	done := make(chan error, 2)
	go func() { done <- f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}) }()
	<-leases // the one request slot is taken
	go func() { done <- f.handle(herald.Job{DeliveryID: 2, Attempt: 1}) }()
	var claimed int64
	if !heraldtest.Poll(10*time.Second, func() bool { claimed = f.delivery(t, 2).LeaseUntilMS; return claimed != 0 }) {
		t.Fatal("the second job did not claim its attempt")
	}
	f.clock.Advance(3 * time.Second)
	free()
	if got := <-leases; got != claimed+3000 {
		t.Errorf("lease during the request after a 3 s wait: %v, want %v (renewed)", herald.FromMillis(got), herald.FromMillis(claimed+3000))
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if d := f.delivery(t, 2); d.Status != herald.StatusSucceeded || d.AttemptCount != 1 {
		t.Errorf("after a renewed lease: %q after %d attempts, want succeeded after 1", d.Status, d.AttemptCount)
	}
}
