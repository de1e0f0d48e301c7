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

// TestSweepUnclaimsAnUntakenPreclaim: a delivery whose first attempt was
// preclaimed (store.Preclaims) and whose lease ran out with the preclaim
// still in the table was never attempted: the sweep takes the preclaim and
// re-arms the delivery unclaimed, for attempt 1 — not attempt 2 after an
// "interrupted" one. A delivery whose preclaim a job took (an attempt in
// flight that outlived its lease) is re-armed as before, for attempt 2.
func TestSweepUnclaimsAnUntakenPreclaim(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRig(t)
	clock := heraldtest.NewClock(t0)
	p := store.NewPreclaims(10 * time.Second)
	s := r.scheduler(t, Config{Now: clock.Now, SweepGrace: time.Minute, Preclaims: p})
	w := &herald.Webhook{ID: "wh_1"}
	for _, id := range []int64{1, 2} {
		d := &herald.Delivery{ID: id, WebhookID: "wh_1", Status: herald.StatusPending, NextAttemptMS: herald.Millis(t0)}
		if !p.Claim(d, w, t0) {
			t.Fatal("Preclaims.Claim refused")
		}
		d.Derive(t0, 0)
		if err := r.deliveries.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
		p.Put(d)
	}
	if p.Take(2) == nil { // delivery 2's job took it, and died with it
		t.Fatal("no preclaim to take")
	}
	clock.Advance(2 * time.Minute)
	n, err := s.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []herald.Job{{DeliveryID: 1, Attempt: 1}, {DeliveryID: 2, Attempt: 2}}
	if got := sortJobs(r.receiveJobs(t, len(want))); n != 2 || !slices.Equal(got, want) {
		t.Fatalf("Sweep = %d, published %+v; want %+v", n, got, want)
	}
	d := &herald.Delivery{ID: 1}
	if err := r.deliveries.Get(ctx, d); err != nil {
		t.Fatal(err)
	}
	if d.AttemptCount != 0 || d.LeaseUntilMS != 0 || p.Holds(1) {
		t.Errorf("delivery 1 = %+v, preclaim held %v; want it unclaimed and the preclaim gone", d, p.Holds(1))
	}
}
