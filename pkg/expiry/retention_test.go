package expiry_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/herald"
)

func TestTickDeletesPastRetention(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const retention = 24 * time.Hour
	n := r.notifier(t, expiry.Config{Retention: retention, PauseHold: 7 * 24 * time.Hour})
	cutoff := t0.Add(-retention)
	ms := herald.Millis
	deliveries := []struct {
		d    *herald.Delivery
		kept bool
	}{
		{&herald.Delivery{ID: 1, Status: herald.StatusSucceeded, CreatedMS: ms(cutoff) - 1}, false},
		{&herald.Delivery{ID: 2, Status: herald.StatusFailed, CreatedMS: ms(cutoff.Add(-10 * 24 * time.Hour))}, false},
		{&herald.Delivery{ID: 3, Status: herald.StatusSucceeded, CreatedMS: ms(cutoff)}, true}, // exactly at retention
		{&herald.Delivery{ID: 4, Status: herald.StatusFailed, CreatedMS: ms(t0.Add(-time.Hour))}, true},
		// Unfinished ones stay whatever their age, paused ones until PauseHold.
		{&herald.Delivery{ID: 5, Status: herald.StatusPending, CreatedMS: ms(cutoff.Add(-5 * 24 * time.Hour))}, true},
		{&herald.Delivery{ID: 6, Status: herald.StatusPaused, CreatedMS: ms(t0.Add(-3 * 24 * time.Hour))}, true},
	}
	for _, tc := range deliveries {
		r.put(t, r.deliveries, tc.d)
	}
	events := []struct {
		e    *herald.Event
		kept bool
	}{
		{&herald.Event{ID: "evt_old", CreatedMS: ms(cutoff) - 1}, false},
		{&herald.Event{ID: "evt_older", CreatedMS: ms(cutoff.Add(-24 * time.Hour))}, false},
		{&herald.Event{ID: "evt_at_cutoff", CreatedMS: ms(cutoff)}, true},
		{&herald.Event{ID: "evt_new", CreatedMS: ms(t0.Add(-time.Minute))}, true},
	}
	for _, tc := range events {
		r.put(t, r.events, tc.e)
	}

	rep, err := n.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (expiry.Report{DeletedEvents: 2, DeletedDeliveries: 2}); rep != want {
		t.Fatalf("Tick = %+v, want %+v", rep, want)
	}
	for _, tc := range deliveries {
		got, ok := r.delivery(t, tc.d.ID)
		if ok != tc.kept {
			t.Errorf("delivery %d (%s): kept = %v, want %v", tc.d.ID, tc.d.Status, ok, tc.kept)
		} else if ok && got.Status != tc.d.Status {
			t.Errorf("delivery %d: status %s, want %s", tc.d.ID, got.Status, tc.d.Status)
		}
	}
	for _, tc := range events {
		if ok := r.eventExists(t, tc.e.ID); ok != tc.kept {
			t.Errorf("event %s: kept = %v, want %v", tc.e.ID, ok, tc.kept)
		}
	}

	if rep, err := n.Tick(context.Background()); err != nil || rep != (expiry.Report{}) {
		t.Fatalf("second Tick = %+v, %v; want nothing done", rep, err)
	}
	r.expectNothingPublished(t)
}

func TestTickDeletesInBatches(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	n := r.notifier(t, expiry.Config{Retention: time.Hour})
	old := herald.Millis(t0.Add(-2 * time.Hour))
	// More than two action lists of each.
	for i := range 250 {
		r.put(t, r.events, &herald.Event{ID: "evt_" + strconv.Itoa(i), CreatedMS: old})
		r.put(t, r.deliveries, &herald.Delivery{ID: int64(i + 1), Status: herald.StatusSucceeded, CreatedMS: old})
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
