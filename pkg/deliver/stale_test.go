package deliver_test

import (
	"context"
	"net/http"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
)

func TestHandleStaleJobSendsNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  func(d *herald.Delivery) // nil: the delivery is not stored
		attempt int
	}{
		{"delivery missing", nil, 1},
		{"succeeded", func(d *herald.Delivery) { d.Status, d.AttemptCount = herald.StatusSucceeded, 1 }, 2},
		{"failed", func(d *herald.Delivery) { d.Status, d.AttemptCount = herald.StatusFailed, 1 }, 2},
		{"paused", func(d *herald.Delivery) { d.Status = herald.StatusPaused }, 1},
		{"duplicate of the claimed attempt", func(d *herald.Delivery) { d.AttemptCount = 1 }, 1},
		{"older attempt", func(d *herald.Delivery) { d.AttemptCount = 3 }, 2},
		{"ahead of the claimed attempts", func(d *herald.Delivery) { d.AttemptCount = 1 }, 3},
		{"previous attempt in flight", func(d *herald.Delivery) {
			d.AttemptCount, d.LeaseUntilMS = 1, herald.Millis(t0.Add(time.Second))
		}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, deliver.Config{})
			r := newReceiver(t, nil)
			var d *herald.Delivery
			if tt.change != nil {
				d = newDelivery()
				tt.change(d)
			}
			f.seed(t, newWebhook(r.URL), d)
			var before *herald.Delivery
			if d != nil {
				before = f.delivery(t, d.ID)
			}

			if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: tt.attempt}); err != nil {
				t.Fatalf("Handle = %v, want nil", err)
			}
			if n := r.hits.Load(); n != 0 {
				t.Errorf("receiver hits = %d, want 0", n)
			}
			if e := f.enq.Got(); len(e) != 0 {
				t.Errorf("enqueued %+v", e)
			}
			if d != nil {
				if after := f.delivery(t, d.ID); !reflect.DeepEqual(before, after) {
					t.Errorf("delivery changed:\n before %+v\n  after %+v", before, after)
				}
			}
		})
	}
}

func TestHandleConcurrentDuplicatesSendOnce(t *testing.T) {
	t.Parallel()
	const workers = 10
	// The clock holds its first callers until every worker has called it.
	// Each worker's first call comes after it read the delivery and before
	// it claims, so all of them race to claim the same revision.
	var calls atomic.Int64
	all := make(chan struct{})
	now := func() time.Time {
		if calls.Add(1) == workers {
			close(all)
		}
		select {
		case <-all:
		case <-time.After(2 * time.Second): // never deadlock if that changes
		}
		return t0
	}
	f := newFixture(t, deliver.Config{Now: now})
	r := newReceiver(t, nil)
	f.seed(t, newWebhook(r.URL), newDelivery())

	job := herald.Job{DeliveryID: testDeliveryID, Attempt: 1}
	start := make(chan struct{})
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			<-start
			errs <- f.h.Handle(context.Background(), job.Encode())
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Handle = %v", err)
		}
	}
	if n := r.hits.Load(); n != 1 {
		t.Errorf("receiver hits = %d, want exactly 1", n)
	}
	d := f.delivery(t, testDeliveryID)
	if d.Status != herald.StatusSucceeded || d.AttemptCount != 1 || len(d.Attempts) != 1 {
		t.Errorf("delivery status %q, attempt_count %d, attempts %+v", d.Status, d.AttemptCount, d.Attempts)
	}
}

func TestHandleEarlyJobIsPutBack(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		dueIn time.Duration // NextAttemptMS relative to now
		early bool
	}{
		{"due in an hour", time.Hour, true},
		{"due in 51ms", 51 * time.Millisecond, true},
		{"due in 50ms (within tolerance)", 50 * time.Millisecond, false},
		{"due now", 0, false},
		{"overdue", -time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, deliver.Config{})
			r := newReceiver(t, nil)
			d := newDelivery()
			due := t0.Add(tt.dueIn)
			d.NextAttemptMS = herald.Millis(due)
			f.seed(t, newWebhook(r.URL), d)

			if err := f.handle(herald.Job{DeliveryID: d.ID, Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			wantHits := int64(1)
			if tt.early {
				wantHits = 0
				e := f.enq.Got()
				if len(e) != 1 || e[0].Job != (herald.Job{DeliveryID: d.ID, Attempt: 1}) || !e[0].Due.Equal(due) {
					t.Errorf("enqueued %+v, want job 1 at %v", e, due)
				}
				if got := f.delivery(t, d.ID); got.AttemptCount != 0 || len(got.Attempts) != 0 {
					t.Errorf("an early job claimed an attempt: %+v", got)
				}
			}
			if n := r.hits.Load(); n != wantHits {
				t.Errorf("receiver hits = %d, want %d", n, wantHits)
			}
		})
	}
}

func TestHandleRecordsInterruptedAttempt(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	r := newReceiver(t, nil)
	d := newDelivery()
	// Attempt 1 was claimed, its worker died, and its lease ran out.
	d.AttemptCount = 1
	d.LeaseUntilMS = herald.Millis(t0.Add(-time.Second))
	f.seed(t, newWebhook(r.URL), d)

	if err := f.handle(herald.Job{DeliveryID: d.ID, Attempt: 2}); err != nil {
		t.Fatal(err)
	}
	if n := r.hits.Load(); n != 1 {
		t.Errorf("receiver hits = %d, want 1", n)
	}
	got := f.delivery(t, d.ID)
	if got.Status != herald.StatusSucceeded || got.AttemptCount != 2 || len(got.Attempts) != 2 {
		t.Fatalf("delivery status %q, attempt_count %d, attempts %+v", got.Status, got.AttemptCount, got.Attempts)
	}
	if a := got.Attempts[0]; a.Attempt != 1 || a.StatusCode != 0 || a.Error != "interrupted: no result was recorded" {
		t.Errorf("attempt 1 = %+v, want it recorded as interrupted", a)
	}
	if a := got.Attempts[1]; a.Attempt != 2 || a.StatusCode != http.StatusOK || a.Error != "" {
		t.Errorf("attempt 2 = %+v, want a 200", a)
	}
}

func TestHandleMalformedJob(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	for _, body := range []string{"", "nope", `{"delivery_id":0,"attempt":1}`, `{"delivery_id":7,"attempt":0}`, `[1,2]`} {
		if err := f.h.Handle(context.Background(), []byte(body)); !herald.IsMalformed(err) {
			t.Errorf("Handle(%q) = %v, want a malformed error", body, err)
		}
	}
}
