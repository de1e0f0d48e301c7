package schedule

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// overdueSet writes one delivery per case to r.deliveries, now being t0 and
// the sweep grace one minute. It returns them by id.
func overdueSet(t *testing.T, r *rig) map[int64]*herald.Delivery {
	t.Helper()
	ms := func(d time.Duration) int64 { return herald.Millis(t0.Add(d)) }
	docs := []*herald.Delivery{
		// Lost: overdue past the grace, lease long expired.
		{ID: 1, Status: herald.StatusPending, AttemptCount: 2, NextAttemptMS: ms(-5 * time.Minute), LeaseUntilMS: ms(-4 * time.Minute)},
		// Lost before its first attempt was ever claimed: no lease at all.
		{ID: 2, Status: herald.StatusPending, NextAttemptMS: ms(-2 * time.Minute)},
		// Overdue, but by less than the grace: its job may just be slow.
		{ID: 3, Status: herald.StatusPending, AttemptCount: 1, NextAttemptMS: ms(-30 * time.Second)},
		// Overdue, but an attempt is in flight.
		{ID: 4, Status: herald.StatusPending, AttemptCount: 3, NextAttemptMS: ms(-5 * time.Minute), LeaseUntilMS: ms(time.Minute)},
		// Not due yet.
		{ID: 5, Status: herald.StatusPending, AttemptCount: 1, NextAttemptMS: ms(time.Hour)},
		// Not pending.
		{ID: 6, Status: herald.StatusSucceeded, AttemptCount: 1, NextAttemptMS: ms(-time.Hour)},
		{ID: 7, Status: herald.StatusFailed, AttemptCount: 8, NextAttemptMS: ms(-time.Hour)},
		{ID: 8, Status: herald.StatusPaused, NextAttemptMS: ms(-time.Hour)},
	}
	out := map[int64]*herald.Delivery{}
	for _, d := range docs {
		d.Derive(t0, 0)
		if err := r.deliveries.Put(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		out[d.ID] = d
	}
	return out
}

func (r *rig) nextAttempt(t *testing.T, id int64) time.Time {
	t.Helper()
	d := &herald.Delivery{ID: id}
	if err := r.deliveries.Get(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return herald.FromMillis(d.NextAttemptMS)
}

// sortJobs orders jobs by delivery id; a sweep publishes in no set order.
func sortJobs(jobs []herald.Job) []herald.Job {
	slices.SortFunc(jobs, func(a, b herald.Job) int { return int(a.DeliveryID - b.DeliveryID) })
	return jobs
}

func TestSweepRepublishesLostDeliveries(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	clock := heraldtest.NewClock(t0)
	s := r.scheduler(t, Config{Now: clock.Now, SweepGrace: time.Minute})
	before := overdueSet(t, r)
	ctx := context.Background()

	n, err := s.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []herald.Job{{DeliveryID: 1, Attempt: 3}, {DeliveryID: 2, Attempt: 1}}
	if got := sortJobs(r.receiveJobs(t, len(want))); n != len(want) || !slices.Equal(got, want) {
		t.Fatalf("Sweep = %d, published %+v; want %d, %+v", n, got, len(want), want)
	}
	for id, d := range before {
		got, wantNext := r.nextAttempt(t, id), herald.FromMillis(d.NextAttemptMS)
		if id == 1 || id == 2 {
			wantNext = t0 // touched, so the next sweep waits a grace period again
		}
		if !got.Equal(wantNext) {
			t.Errorf("delivery %d: next attempt %v, want %v", id, got, wantNext)
		}
	}

	// Right after, the touched deliveries are within the grace again.
	if n, err := s.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("second Sweep = %d, %v; want 0, nil", n, err)
	}
	r.expectNoJob(t)

	// Two minutes on, still unclaimed, they are published once more, with
	// the one now past its grace and the one whose lease ran out.
	clock.Set(t0.Add(2 * time.Minute))
	want = []herald.Job{{DeliveryID: 1, Attempt: 3}, {DeliveryID: 2, Attempt: 1},
		{DeliveryID: 3, Attempt: 2}, {DeliveryID: 4, Attempt: 4}}
	if n, err = s.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if got := sortJobs(r.receiveJobs(t, len(want))); n != len(want) || !slices.Equal(got, want) {
		t.Fatalf("Sweep later = %d, published %+v; want %d, %+v", n, got, len(want), want)
	}
	r.expectNoJob(t)
}

func TestRecoverIgnoresGrace(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := r.scheduler(t, Config{Now: heraldtest.NewClock(t0).Now, SweepGrace: time.Minute})
	overdueSet(t, r)
	n, err := s.Recover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []herald.Job{{DeliveryID: 1, Attempt: 3}, {DeliveryID: 2, Attempt: 1}, {DeliveryID: 3, Attempt: 2}}
	if got := sortJobs(r.receiveJobs(t, len(want))); n != len(want) || !slices.Equal(got, want) {
		t.Fatalf("Recover = %d, published %+v; want %d, %+v", n, got, len(want), want)
	}
	r.expectNoJob(t)
}

// TestRecoverIgnoringLeasesRearmsLeased is Recover in a process that owns its
// store alone: the delivery whose attempt is "in flight" (a lease of a
// process that is gone) is re-armed too, with its lease cleared so the
// deliver function takes the job.
func TestRecoverIgnoringLeasesRearmsLeased(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := r.scheduler(t, Config{Now: heraldtest.NewClock(t0).Now, SweepGrace: time.Minute})
	overdueSet(t, r)
	n, err := s.RecoverIgnoringLeases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []herald.Job{{DeliveryID: 1, Attempt: 3}, {DeliveryID: 2, Attempt: 1}, {DeliveryID: 3, Attempt: 2},
		{DeliveryID: 4, Attempt: 4}}
	if got := sortJobs(r.receiveJobs(t, len(want))); n != len(want) || !slices.Equal(got, want) {
		t.Fatalf("RecoverIgnoringLeases = %d, published %+v; want %d, %+v", n, got, len(want), want)
	}
	r.expectNoJob(t)
	d := &herald.Delivery{ID: 4}
	if err := r.deliveries.Get(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if d.LeaseUntilMS != 0 || d.NextAttemptMS != herald.Millis(t0) || d.AttemptCount != 3 {
		t.Errorf("re-armed leased delivery: lease %d, next %d, attempts %d; want 0, %d, 3",
			d.LeaseUntilMS, d.NextAttemptMS, d.AttemptCount, herald.Millis(t0))
	}
}
