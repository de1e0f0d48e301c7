package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"gocloud.dev/docstore/memdocstore"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// raceRig is a webhook in memdocstore and the writes of it.
func raceRig(t *testing.T, w *herald.Webhook) WebhookWrites {
	t.Helper()
	c, err := memdocstore.OpenCollection("id", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	s := WebhookWrites{Coll: c}
	if err := s.Create(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestResumeWinsOverEveryDropWrittenMeanwhile: a resume of a paused webhook
// whose queue is full succeeds with one write, however many drops are
// counted between its read and its write (a revision-checked resume lost
// every race: an error after its hundredth try).
func TestResumeWinsOverEveryDropWrittenMeanwhile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := raceRig(t, &herald.Webhook{ID: "wh_1", Enabled: true, Paused: true, PauseQueueLimit: 1, PauseHeld: 1, PauseEpoch: 4})
	drops := 0
	s.raced = func() {
		if slot, _, err := s.TakeHeldSlot(ctx, "wh_1"); err != nil || slot != Dropped {
			t.Errorf("a drop meanwhile: %v, %v", slot, err)
		}
		drops++
	}
	if err := s.SetPaused(ctx, "wh_1", false, time.Now()); err != nil {
		t.Fatalf("resume: %v", err)
	}
	w, err := s.Get(ctx, "wh_1")
	if err != nil {
		t.Fatal(err)
	}
	if w.Paused || w.PauseHeld != 0 || w.PauseDropped != int64(drops) || drops != 1 {
		t.Errorf("after a resume with %d drops meanwhile: %+v, want resumed with no slot taken and the drop counted", drops, w)
	}
	if err := s.SetPaused(ctx, "gone", false, time.Now()); !errors.Is(err, herald.ErrNotFound) {
		t.Errorf("resume of a webhook that is not there = %v, want ErrNotFound", err)
	}
}

// TestPauseTriesUntilItsDeadline: a pause that conflicts with a write of
// the webhook between its read and its write (an attempt's health) is read
// and tried again, past any fixed number of tries, until it is written or
// its context is done.
func TestPauseTriesUntilItsDeadline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := raceRig(t, &herald.Webhook{ID: "wh_1", Enabled: true, PauseEpoch: 4})
	failures := 0
	health := func() {
		if _, err := s.RecordHealth(ctx, "wh_1", nil, func(w *herald.Webhook) bool {
			w.ConsecutiveFailures++
			return true
		}); err != nil {
			t.Error(err)
		}
		failures++
	}
	const conflicts = 120
	s.raced = func() {
		if failures < conflicts {
			health()
		}
	}
	if err := s.SetPaused(ctx, "wh_1", true, time.Now()); err != nil {
		t.Fatalf("pause after %d conflicts: %v", failures, err)
	}
	w, err := s.Get(ctx, "wh_1")
	if err != nil {
		t.Fatal(err)
	}
	if !w.Paused || w.PauseEpoch != 5 || w.ConsecutiveFailures != conflicts {
		t.Errorf("after a pause with %d failures meanwhile: %+v, want paused (pause 5) and every failure counted", failures, w)
	}

	// Conflicting until its deadline, it fails, and writes nothing.
	if err := s.SetPaused(ctx, "wh_1", false, time.Now()); err != nil {
		t.Fatal(err)
	}
	s.raced = health
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := s.SetPaused(short, "wh_1", true, time.Now()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("pause conflicting until its deadline = %v, want the deadline's error", err)
	}
	if w, err := s.Get(ctx, "wh_1"); err != nil || w.Paused {
		t.Errorf("after a failed pause: %+v, %v; want it not paused", w, err)
	}
}

// TestSettleSendsWhatItFoundResumedThoughPausedAgain: a delivery held in a
// slot of a pause that ended is sent when its settling finds the webhook
// resumed, even if it is paused again before the delivery is released (its
// attempt then holds it in a slot of the new pause). Left held, it sat in
// a slot of the old pause beside the new pause's queue: one more held than
// the limit.
func TestSettleSendsWhatItFoundResumedThoughPausedAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := raceRig(t, &herald.Webhook{ID: "wh_1", Enabled: true, PauseQueueLimit: 1, PauseEpoch: 4})
	l := Lifecycle{Deliveries: heraldtest.Collection(t)}
	d := &herald.Delivery{ID: 7, WebhookID: "wh_1", Status: herald.StatusPaused, PauseEpoch: 4}
	if err := l.Deliveries.Create(ctx, d); err != nil {
		t.Fatal(err)
	}
	s.releasing = func() {
		if err := s.SetPaused(ctx, "wh_1", true, time.Now()); err != nil {
			t.Error(err)
		}
	}
	enq := &heraldtest.Enqueuer{}
	if err := l.Settle(ctx, s, enq, []*herald.Delivery{d}, time.Now()); err != nil {
		t.Fatal(err)
	}
	got := &herald.Delivery{ID: 7}
	if err := l.Deliveries.Get(ctx, got); err != nil {
		t.Fatal(err)
	}
	if got.Status != herald.StatusPending || len(enq.Got()) != 1 {
		t.Errorf("settled after a resume, paused again before its release: %s, %d jobs enqueued; want pending and its job enqueued",
			got.Status, len(enq.Got()))
	}
}
