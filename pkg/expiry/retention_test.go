package expiry_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestTickDeletesExpired: a tick deletes the events and deliveries whose
// expires_at has passed, as DynamoDB's TTL would; pending and held
// deliveries (no expires_at) stay whatever their age. With TTL set (the
// store deletes them itself), it deletes nothing.
func TestTickDeletesExpired(t *testing.T) {
	t.Parallel()
	for _, ttl := range []bool{false, true} {
		r := newRig(t)
		n := r.notifier(t, expiry.Config{Retention: 24 * time.Hour, PauseHold: 7 * 24 * time.Hour, TTL: ttl})
		now, long := t0.Unix(), herald.Millis(t0.Add(-90*24*time.Hour))
		deliveries := []struct {
			d    *herald.Delivery
			kept bool
		}{
			{&herald.Delivery{ID: 1, Status: herald.StatusSucceeded, ExpiresAt: now - 1}, false},
			{&herald.Delivery{ID: 2, Status: herald.StatusFailed, ExpiresAt: now - 10*24*3600}, false},
			{&herald.Delivery{ID: 3, Status: herald.StatusSucceeded, ExpiresAt: now}, true}, // expires this second
			{&herald.Delivery{ID: 4, Status: herald.StatusFailed, ExpiresAt: now + 3600}, true},
			// Unfinished ones stay whatever their age, paused ones until PauseHold.
			{&herald.Delivery{ID: 5, Status: herald.StatusPending, CreatedMS: long}, true},
			{&herald.Delivery{ID: 6, Status: herald.StatusPaused, CreatedMS: herald.Millis(t0.Add(-3 * 24 * time.Hour))}, true},
		}
		for _, tc := range deliveries {
			r.put(t, r.deliveries, tc.d)
		}
		events := []struct {
			e    *herald.Event
			kept bool
		}{
			{&herald.Event{ID: "evt_old", ExpiresAt: now - 1}, false},
			{&herald.Event{ID: "evt_older", ExpiresAt: now - 24*3600}, false},
			{&herald.Event{ID: "evt_now", ExpiresAt: now}, true},
			{&herald.Event{ID: "evt_new", ExpiresAt: now + 24*3600}, true},
		}
		for _, tc := range events {
			r.put(t, r.events, tc.e)
		}

		rep, err := n.Tick(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := expiry.Report{DeletedEvents: 2, DeletedDeliveries: 2}
		if ttl {
			want = expiry.Report{}
		}
		if rep != want {
			t.Fatalf("TTL %v: Tick = %+v, want %+v", ttl, rep, want)
		}
		for _, tc := range deliveries {
			got, ok := r.delivery(t, tc.d.ID)
			if ok != (tc.kept || ttl) {
				t.Errorf("TTL %v: delivery %d (%s): kept = %v, want %v", ttl, tc.d.ID, tc.d.Status, ok, tc.kept || ttl)
			} else if ok && got.Status != tc.d.Status {
				t.Errorf("delivery %d: status %s, want %s", tc.d.ID, got.Status, tc.d.Status)
			}
		}
		for _, tc := range events {
			if ok := r.eventExists(t, tc.e.ID); ok != (tc.kept || ttl) {
				t.Errorf("TTL %v: event %s: kept = %v, want %v", ttl, tc.e.ID, ok, tc.kept || ttl)
			}
		}

		if rep, err := n.Tick(context.Background()); err != nil || rep != (expiry.Report{}) {
			t.Fatalf("second Tick = %+v, %v; want nothing done", rep, err)
		}
		r.expectNothingPublished(t)
	}
}

func TestTickDeletesInBatches(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	n := r.notifier(t, expiry.Config{Retention: time.Hour})
	expired := t0.Add(-time.Hour).Unix()
	// More than two action lists of each.
	for i := range 250 {
		r.put(t, r.events, &herald.Event{ID: "evt_" + strconv.Itoa(i), ExpiresAt: expired})
		r.put(t, r.deliveries, &herald.Delivery{ID: int64(i + 1), Status: herald.StatusSucceeded, ExpiresAt: expired})
	}
	rep, err := n.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (expiry.Report{DeletedEvents: 250, DeletedDeliveries: 250}); rep != want {
		t.Fatalf("Tick = %+v, want %+v", rep, want)
	}
	for _, ok := range []bool{r.eventExists(t, "evt_0"), r.eventExists(t, "evt_249")} {
		if ok {
			t.Fatal("an old event survived")
		}
	}
	if rep, err := n.Tick(context.Background()); err != nil || rep != (expiry.Report{}) {
		t.Fatalf("second Tick = %+v, %v; want nothing left to do", rep, err)
	}
}
