package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
)

// TestRetryByStatus: what an admin's retry makes of a delivery in each
// status, and what it enqueues.
func TestRetryByStatus(t *testing.T) {
	ctx := context.Background()
	now := t0.Add(time.Minute)
	later := t0.Add(time.Hour)
	for _, tc := range []struct {
		name   string
		set    func(d *herald.Delivery)
		force  bool
		kind   store.RetryKind
		err    error
		manual int // the one-shot attempt marked, 0 for none
	}{
		{"pending", func(d *herald.Delivery) { d.AttemptCount, d.NextAttemptMS = 1, herald.Millis(later) },
			false, store.NextAttemptNow, nil, 0},
		{"failed", func(d *herald.Delivery) { d.Status, d.AttemptCount, d.NextAttemptMS = herald.StatusFailed, 1, 0 },
			false, store.ManualAttempt, nil, 2},
		{"succeeded", func(d *herald.Delivery) { d.Status, d.AttemptCount, d.NextAttemptMS = herald.StatusSucceeded, 1, 0 },
			false, "", store.ErrSucceeded, 0},
		{"succeeded, forced", func(d *herald.Delivery) { d.Status, d.AttemptCount, d.NextAttemptMS = herald.StatusSucceeded, 1, 0 },
			true, store.ForcedResend, nil, 2},
		{"held", func(d *herald.Delivery) { d.Status, d.NextAttemptMS = herald.StatusPaused, 0 },
			true, "", store.ErrHeld, 0},
		{"in flight", func(d *herald.Delivery) { d.AttemptCount, d.LeaseUntilMS = 1, herald.Millis(later) },
			true, "", store.ErrAttemptInFlight, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := store.Lifecycle{Deliveries: heraldtest.Collection(t)}
			d := stored(t, l, false)
			tc.set(d)
			if err := l.Deliveries.Replace(ctx, d); err != nil {
				t.Fatal(err)
			}
			d = read(t, l, d.ID)
			enq := &heraldtest.Enqueuer{}
			kind, err := l.Retry(ctx, enq, d, tc.force, now)
			if kind != tc.kind || !errors.Is(err, tc.err) {
				t.Fatalf("Retry = %q, %v; want %q, %v", kind, err, tc.kind, tc.err)
			}
			got := read(t, l, d.ID)
			if tc.err != nil {
				if len(enq.Got()) != 0 || got.UpdatedMS != d.UpdatedMS {
					t.Errorf("a refused retry wrote %+v or enqueued %v", got, enq.Got())
				}
				return
			}
			if got.Status != herald.StatusPending || got.NextAttemptMS != herald.Millis(now) || got.ManualAttempt != tc.manual {
				t.Errorf("retried: status %s, next %v, manual %d; want pending, now, %d",
					got.Status, herald.FromMillis(got.NextAttemptMS), got.ManualAttempt, tc.manual)
			}
			if got.AttemptCount != 1 {
				t.Errorf("retry changed the attempt count to %d", got.AttemptCount)
			}
			if e := enq.Got(); len(e) != 1 || e[0].Job.Attempt != 2 || !e[0].Due.Equal(now) {
				t.Errorf("enqueued %+v, want attempt 2 now", e)
			}
		})
	}
}

// TestRetryOfChangedDeliveryConflicts: a retry of a delivery read before
// another write returns the conflict and enqueues nothing.
func TestRetryOfChangedDeliveryConflicts(t *testing.T) {
	ctx := context.Background()
	l := store.Lifecycle{Deliveries: heraldtest.Collection(t)}
	d := stored(t, l, false)
	stale := *d
	if ok, err := l.Claim(ctx, d, 1, time.Minute, t0); err != nil || !ok {
		t.Fatalf("Claim: %v %v", ok, err)
	}
	enq := &heraldtest.Enqueuer{}
	if _, err := l.Retry(ctx, enq, &stale, false, t0); !store.Conflict(err) {
		t.Errorf("Retry of a stale read = %v, want a conflict", err)
	}
	if len(enq.Got()) != 0 {
		t.Errorf("enqueued %v", enq.Got())
	}
}
