package deliver_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/retry"
	"github.com/heraldhq/herald/pkg/store"
)

// TestRetryOfPendingTakesItsNextAttempt: an admin's retry of a pending
// delivery makes its next attempt now, as that attempt (not one shot): the
// attempt after it follows the schedule, and the job already scheduled for
// the same attempt number finds it claimed and sends nothing.
func TestRetryOfPendingTakesItsNextAttempt(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{Schedule: retry.Schedule{time.Minute, time.Hour, 6 * time.Hour}})
	r := newReceiver(t, status(http.StatusInternalServerError))
	f.seed(t, newWebhook(r.URL), newDelivery())
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	scheduled := f.enq.Got()
	if len(scheduled) != 1 || scheduled[0].Job.Attempt != 2 || !scheduled[0].Due.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after attempt 1, enqueued %+v", scheduled)
	}

	f.clock.Advance(10 * time.Second)
	life := store.Lifecycle{Deliveries: f.deliveries}
	kind, err := life.Retry(context.Background(), f.enq, f.delivery(t, testDeliveryID), false, f.clock.Now())
	if err != nil || kind != store.NextAttemptNow {
		t.Fatalf("Retry = %q, %v", kind, err)
	}
	manual := f.enq.Got()[1]
	if manual.Job.Attempt != 2 || !manual.Due.Equal(f.clock.Now()) {
		t.Fatalf("retry enqueued %+v, want attempt 2 now", manual)
	}
	if err := f.handle(manual.Job); err != nil {
		t.Fatal(err)
	}
	got := f.delivery(t, testDeliveryID)
	wantNext := f.clock.Now().Add(time.Hour) // the schedule's second step
	if got.Status != herald.StatusPending || got.AttemptCount != 2 || got.NextAttemptMS != herald.Millis(wantNext) {
		t.Fatalf("after the retried attempt: status %s, attempts %d, next %v; want pending, 2, %v",
			got.Status, got.AttemptCount, herald.FromMillis(got.NextAttemptMS), wantNext)
	}
	if e := f.enq.Got(); len(e) != 3 || e[2].Job.Attempt != 3 || !e[2].Due.Equal(wantNext) {
		t.Fatalf("after the retried attempt, enqueued %+v; want attempt 3 at %v", e, wantNext)
	}

	// The job scheduled for attempt 2 before the retry falls due.
	f.clock.Set(scheduled[0].Due)
	if err := f.handle(scheduled[0].Job); err != nil {
		t.Fatal(err)
	}
	if n := r.hits.Load(); n != 2 {
		t.Errorf("receiver got %d requests, want 2: the scheduled attempt 2 was sent as well", n)
	}
	if again := f.delivery(t, testDeliveryID); again.AttemptCount != 2 || again.NextAttemptMS != got.NextAttemptMS {
		t.Errorf("the stale job moved the delivery: attempts %d, next %v", again.AttemptCount, herald.FromMillis(again.NextAttemptMS))
	}
	if n := len(f.enq.Got()); n != 3 {
		t.Errorf("the stale job enqueued more: %+v", f.enq.Got())
	}
}
