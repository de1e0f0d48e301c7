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

// TestRetryOfAnUntakenPreclaimMakesTheFirstAttempt: a retry of a delivery
// whose first attempt ingest claimed (a preclaim) and whose lease ran out
// with no job having taken it makes that attempt as the first: no
// "interrupted" attempt 1 is recorded for an attempt never made. A failed
// write gives the preclaim back; one no longer held (a job took it) is a
// claimed attempt like any other.
func TestRetryOfAnUntakenPreclaimMakesTheFirstAttempt(t *testing.T) {
	ctx := context.Background()
	w := &herald.Webhook{ID: "wh_1"}
	preclaimed := func(t *testing.T) (store.Lifecycle, *herald.Delivery, time.Time) {
		t.Helper()
		l := store.Lifecycle{Deliveries: heraldtest.Collection(t), Preclaims: store.NewPreclaims(time.Second)}
		d := store.NewDelivery(herald.Delivery{ID: 7, WebhookID: w.ID, EventID: "evt_1", EventType: "a.b"}, t0, store.NotPaused)
		if !l.Preclaims.Claim(d, w, t0) {
			t.Fatal("Claim refused")
		}
		if err := l.Deliveries.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
		d = read(t, l, d.ID)
		l.Preclaims.Put(d)
		return l, d, herald.FromMillis(d.LeaseUntilMS).Add(time.Second)
	}

	t.Run("untaken", func(t *testing.T) {
		l, d, now := preclaimed(t)
		enq := &heraldtest.Enqueuer{}
		if kind, err := l.Retry(ctx, enq, d, false, now); kind != store.NextAttemptNow || err != nil {
			t.Fatalf("Retry = %q, %v", kind, err)
		}
		if e := enq.Got(); len(e) != 1 || e[0].Job.Attempt != 1 {
			t.Fatalf("enqueued %+v, want attempt 1", e)
		}
		got := read(t, l, d.ID)
		if got.AttemptCount != 0 || got.LeaseUntilMS != 0 || got.NextAttemptMS != herald.Millis(now) {
			t.Errorf("retried: %d attempts, lease %d, next %v; want 0, 0, now", got.AttemptCount, got.LeaseUntilMS, herald.FromMillis(got.NextAttemptMS))
		}
		if l.Preclaims.Holds(d.ID) {
			t.Error("the preclaim is still held: a job would take it as written")
		}
		if ok, err := l.Claim(ctx, got, 1, time.Minute, now); !ok || err != nil {
			t.Fatalf("Claim of attempt 1: %v %v", ok, err)
		}
		if got := read(t, l, d.ID); len(got.Attempts) != 0 {
			t.Errorf("attempts recorded before any was made: %+v", got.Attempts)
		}
	})

	t.Run("write fails", func(t *testing.T) {
		l, d, now := preclaimed(t)
		stale := *d
		if err := l.Deliveries.Replace(ctx, d); err != nil { // a write in between
			t.Fatal(err)
		}
		if _, err := l.Retry(ctx, &heraldtest.Enqueuer{}, &stale, false, now); !store.Conflict(err) {
			t.Fatalf("Retry of a stale read = %v, want a conflict", err)
		}
		if !l.Preclaims.Holds(d.ID) {
			t.Error("a retry that wrote nothing kept the preclaim")
		}
	})

	t.Run("taken", func(t *testing.T) {
		l, d, now := preclaimed(t)
		l.Preclaims.Take(d.ID) // its job took it, and died
		enq := &heraldtest.Enqueuer{}
		if _, err := l.Retry(ctx, enq, d, false, now); err != nil {
			t.Fatal(err)
		}
		if e := enq.Got(); len(e) != 1 || e[0].Job.Attempt != 2 {
			t.Errorf("enqueued %+v, want attempt 2 (attempt 1 was claimed by a job)", e)
		}
	})
}
