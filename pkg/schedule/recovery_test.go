package schedule

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
)

// putDeliveries stores deliveries of webhook wh created at t0+offsets[i],
// in the statuses given, and returns their ids in the same order.
func putDeliveries(t *testing.T, r *rig, wh string, offsets []time.Duration, statuses []herald.Status) []int64 {
	t.Helper()
	var ids []int64
	for i, off := range offsets {
		at := t0.Add(off)
		d := &herald.Delivery{ID: herald.DeliveryIDAt(at) + int64(i), WebhookID: wh, EventID: "evt_1",
			Status: statuses[i], AttemptCount: 8, CreatedMS: herald.Millis(at), UpdatedMS: herald.Millis(at)}
		d.Derive(at, 0)
		if err := r.deliveries.Create(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	return ids
}

// finish marks deliveries failed again, as their recovered attempts failing
// would.
func finish(t *testing.T, r *rig, ids ...int64) {
	t.Helper()
	for _, id := range ids {
		d := &herald.Delivery{ID: id}
		if err := r.deliveries.Get(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		d.Status, d.NextAttemptMS, d.AttemptCount = herald.StatusFailed, 0, d.AttemptCount+1
		if err := r.deliveries.Replace(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRecoveryReleasesOldestFirstWithinMaxInFlight: a recovery releases the
// failed deliveries of its webhook and window only, oldest first, never more
// pending at once than its cap, one batch per pass, and is deleted when the
// window is done.
func TestRecoveryReleasesOldestFirstWithinMaxInFlight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRig(t)
	clock := heraldtest.NewClock(t0.Add(time.Hour))
	s := r.scheduler(t, Config{Now: clock.Now, RecoveryInterval: time.Second})
	F, S := herald.StatusFailed, herald.StatusSucceeded
	// Stored newest first: the order of the ids decides, not of the writes.
	ids := putDeliveries(t, r, "wh_1",
		[]time.Duration{40 * time.Minute, 30 * time.Minute, 20 * time.Minute, 15 * time.Minute, 10 * time.Minute, time.Minute, -time.Minute},
		[]herald.Status{F, F, F, S, F, F, F})
	putDeliveries(t, r, "wh_2", []time.Duration{10 * time.Minute}, []herald.Status{F})
	// The window: t0 to t0+35m; ids[0] is after it, ids[6] before.
	inWindow := []int64{ids[5], ids[4], ids[2], ids[1]} // failed, oldest first
	if _, err := store.StartRecovery(ctx, r.table, "wh_1", t0, t0.Add(35*time.Minute), 2, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := store.StartRecovery(ctx, r.table, "wh_1", t0, t0.Add(time.Minute), 2, clock.Now()); err != store.ErrRecovering {
		t.Errorf("a second recovery of the webhook: %v, want ErrRecovering", err)
	}

	var released []int64
	pass := func(wantJobs int) {
		t.Helper()
		next, n, err := s.PublishDue(ctx)
		if err != nil || n != 0 {
			t.Fatalf("PublishDue: %d %v", n, err)
		}
		if left := heraldtest.Count(t, r.table); left > 0 && !next.Equal(clock.Now().Add(time.Second)) {
			t.Errorf("PublishDue's next = %v, want the recovery's next pass at %v", next, clock.Now().Add(time.Second))
		}
		if wantJobs == 0 {
			r.expectNoJob(t)
		}
		for _, j := range r.receiveJobs(t, wantJobs) {
			if j.Attempt != 9 {
				t.Errorf("released job %+v, want attempt 9", j)
			}
			released = append(released, j.DeliveryID)
		}
		clock.Advance(time.Second)
	}
	pass(2) // the two oldest
	pass(0) // both still in flight
	finish(t, r, released[0])
	pass(1) // one slot freed
	finish(t, r, released[1], released[2])
	pass(1) // the last one
	if !slices.Equal(released, inWindow) {
		t.Errorf("released %v, want %v (the failed ones of the window, oldest first)", released, inWindow)
	}
	if left := heraldtest.Count(t, r.table); left != 0 {
		t.Errorf("%d documents left in the table after the window is done", left)
	}
	for _, id := range ids[1:] {
		d := &herald.Delivery{ID: id}
		if err := r.deliveries.Get(ctx, d); err != nil {
			t.Fatal(err)
		}
		if d.Status == herald.StatusPending && d.ManualAttempt != 9 {
			t.Errorf("released delivery %d is not one shot: %+v", id, d)
		}
	}
}
