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

var t0 = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

// stored creates a delivery as the fan-out does and reads it back with its
// revision.
func stored(t *testing.T, l store.Lifecycle, held bool) *herald.Delivery {
	t.Helper()
	ctx := context.Background()
	slot := store.NotPaused
	if held {
		slot = store.Held
	}
	d := store.NewDelivery(herald.Delivery{ID: 7, WebhookID: "wh_1", EventID: "evt_1", EventType: "a.b"}, t0, slot)
	if err := l.Deliveries.Create(ctx, d); err != nil {
		t.Fatal(err)
	}
	got := &herald.Delivery{ID: d.ID}
	if err := l.Deliveries.Get(ctx, got); err != nil {
		t.Fatal(err)
	}
	return got
}

func read(t *testing.T, l store.Lifecycle, id int64) *herald.Delivery {
	t.Helper()
	d := &herald.Delivery{ID: id}
	if err := l.Deliveries.Get(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestNewDeliveryIsPendingHeldOrDropped(t *testing.T) {
	d := store.NewDelivery(herald.Delivery{ID: 1, WebhookID: "wh_1"}, t0, store.NotPaused)
	if d.Status != herald.StatusPending || d.NextAttemptMS != herald.Millis(t0) || d.CreatedMS != herald.Millis(t0) {
		t.Errorf("pending: %+v", d)
	}
	d = store.NewDelivery(herald.Delivery{ID: 1, WebhookID: "wh_1", PauseEpoch: 3}, t0, store.Held)
	if d.Status != herald.StatusPaused || d.NextAttemptMS != 0 || d.PauseEpoch != 3 {
		t.Errorf("held: %+v", d)
	}
	d = store.NewDelivery(herald.Delivery{ID: 1, WebhookID: "wh_1"}, t0, store.Dropped)
	if d.Status != herald.StatusFailed || d.NextAttemptMS != 0 || d.AttemptCount != 1 ||
		len(d.Attempts) != 1 || d.Attempts[0].Error != "not sent: "+store.PauseFullReason {
		t.Errorf("dropped: %+v", d)
	}
}

func TestClaimThenRecordEachResult(t *testing.T) {
	ctx := context.Background()
	next := t0.Add(time.Minute)
	for _, tc := range []struct {
		result     store.Result
		status     herald.Status
		nextMS     int64
		dropped    bool
		announced  bool
		expiresSet bool
	}{
		{store.Succeeded, herald.StatusSucceeded, 0, false, false, true},
		{store.Retry, herald.StatusPending, herald.Millis(next), false, false, false},
		{store.Failed, herald.StatusFailed, 0, false, false, true},
		{store.GiveUp, herald.StatusFailed, 0, true, true, true},
	} {
		l := store.Lifecycle{Deliveries: heraldtest.Collection(t), Retention: time.Hour}
		d := stored(t, l, false)
		ok, err := l.Claim(ctx, d, 1, 30*time.Second, t0)
		if err != nil || !ok {
			t.Fatalf("claim: %v %v", ok, err)
		}
		if c := read(t, l, d.ID); c.AttemptCount != 1 || c.LeaseUntilMS != herald.Millis(t0.Add(30*time.Second)) {
			t.Fatalf("claimed: %+v", c)
		}
		announced := false
		givenUp, err := l.Record(ctx, d, herald.Attempt{Attempt: 1, StatusCode: 500}, tc.result, next, t0,
			func(final *herald.Delivery) error {
				announced = len(final.Attempts) == 1
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		got := read(t, l, d.ID)
		if got.Status != tc.status || got.NextAttemptMS != tc.nextMS || got.LeaseUntilMS != 0 ||
			givenUp != tc.dropped || (got.DroppedMS != 0) != tc.dropped || announced != tc.announced ||
			(got.ExpiresAt != 0) != tc.expiresSet || len(got.Attempts) != 1 {
			t.Errorf("result %d: %+v givenUp=%v announced=%v", tc.result, got, givenUp, announced)
		}
		if (got.DueShard != 0) != (tc.status == herald.StatusPending) {
			t.Errorf("result %d: due shard %d with status %s", tc.result, got.DueShard, got.Status)
		}
	}
}

func TestClaimLosesToAnEarlierClaim(t *testing.T) {
	ctx := context.Background()
	l := store.Lifecycle{Deliveries: heraldtest.Collection(t)}
	d := stored(t, l, false)
	other := read(t, l, d.ID)
	if ok, err := l.Claim(ctx, d, 1, time.Second, t0); !ok || err != nil {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if ok, err := l.Claim(ctx, other, 1, time.Second, t0); ok || err != nil {
		t.Fatalf("second claim of the same revision: %v %v, want false, nil", ok, err)
	}
}

func TestRecordReappliesToADeliveryChangedMeanwhile(t *testing.T) {
	ctx := context.Background()
	l := store.Lifecycle{Deliveries: heraldtest.Collection(t)}
	d := stored(t, l, false)
	stale := read(t, l, d.ID)
	if err := l.Reschedule(ctx, d, t0.Add(time.Second)); err != nil { // moves the revision on
		t.Fatal(err)
	}
	if _, err := l.Record(ctx, stale, herald.Attempt{Attempt: 1, StatusCode: 200}, store.Succeeded, time.Time{}, t0, nil); err != nil {
		t.Fatal(err)
	}
	if got := read(t, l, d.ID); got.Status != herald.StatusSucceeded || len(got.Attempts) != 1 {
		t.Errorf("after a conflict: %+v", got)
	}
}

func TestAFailedAnnouncementRecordsNothing(t *testing.T) {
	ctx := context.Background()
	l := store.Lifecycle{Deliveries: heraldtest.Collection(t)}
	d := stored(t, l, false)
	boom := errors.New("topic down")
	_, err := l.Record(ctx, d, herald.Attempt{Attempt: 1, StatusCode: 500}, store.GiveUp, time.Time{}, t0,
		func(*herald.Delivery) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("Record = %v, want the announcement's error", err)
	}
	if got := read(t, l, d.ID); got.Status != herald.StatusPending || len(got.Attempts) != 0 {
		t.Errorf("after a failed announcement: %+v, want untouched", got)
	}
}

func TestStopTakesTheNextAttemptNumber(t *testing.T) {
	l := store.Lifecycle{Deliveries: heraldtest.Collection(t)}
	d := stored(t, l, false)
	if err := l.Stop(context.Background(), d, "webhook deleted", t0); err != nil {
		t.Fatal(err)
	}
	got := read(t, l, d.ID)
	if got.Status != herald.StatusFailed || got.AttemptCount != 1 || len(got.Attempts) != 1 ||
		got.Attempts[0].Error != "not sent: webhook deleted" {
		t.Errorf("stopped: %+v", got)
	}
}

func TestHoldAndSettleFollowTheWebhook(t *testing.T) {
	ctx := context.Background()
	webhooks := heraldtest.Collection(t)
	l := store.Lifecycle{Deliveries: heraldtest.Collection(t)}
	if err := webhooks.Create(ctx, &herald.Webhook{ID: "wh_1", Paused: true}); err != nil {
		t.Fatal(err)
	}
	enq := &heraldtest.Enqueuer{}
	d := stored(t, l, false)
	if err := l.Hold(ctx, store.WebhookWrites{Coll: webhooks}, enq, d, 0, t0); err != nil {
		t.Fatal(err)
	}
	if got := read(t, l, d.ID); got.Status != herald.StatusPaused || got.HeldShard == 0 || len(enq.Got()) != 0 {
		t.Fatalf("held under a paused webhook: %+v, enqueued %v", got, enq.Got())
	}
	if err := (store.WebhookWrites{Coll: webhooks}).SetPaused(ctx, "wh_1", false, t0); err != nil {
		t.Fatal(err)
	}
	keys, err := store.All[herald.Delivery](ctx, store.HeldDeliveries(l.Deliveries, "wh_1").Get(ctx, store.HeldFields...))
	if err != nil || len(keys) != 1 {
		t.Fatalf("held keys: %v %v", keys, err)
	}
	if err := l.Settle(ctx, store.WebhookWrites{Coll: webhooks}, enq, []*herald.Delivery{read(t, l, d.ID)}, t0); err != nil {
		t.Fatal(err)
	}
	if got := read(t, l, d.ID); got.Status != herald.StatusPending || got.HeldShard != 0 || len(enq.Got()) != 1 {
		t.Errorf("released: %+v, enqueued %v", got, enq.Got())
	}
}

// A delivery held with a slot of a pause that ended (the webhook was
// resumed and paused again while it was being held) takes a slot of the new
// pause; with that queue full, it is not sent and its drop is counted.
func TestHoldAfterAResumeAndANewPauseTakesASlotOfIt(t *testing.T) {
	ctx := context.Background()
	writes := store.WebhookWrites{Coll: heraldtest.Collection(t)}
	l := store.Lifecycle{Deliveries: heraldtest.Collection(t)}
	if err := writes.Create(ctx, &herald.Webhook{ID: "wh_1", PauseQueueLimit: 1}); err != nil {
		t.Fatal(err)
	}
	for _, paused := range []bool{true, true, false, true} { // the second pause changes nothing
		if err := writes.SetPaused(ctx, "wh_1", paused, t0); err != nil {
			t.Fatal(err)
		}
	}
	enq := &heraldtest.Enqueuer{}
	first := stored(t, l, false)
	if err := l.Hold(ctx, writes, enq, first, 1, t0); err != nil {
		t.Fatal(err)
	}
	if got := read(t, l, first.ID); got.Status != herald.StatusPaused || got.PauseEpoch != 2 {
		t.Errorf("held with a slot of pause 1 in pause 2: %+v, want paused in pause 2", got)
	}
	second := store.NewDelivery(herald.Delivery{ID: 8, WebhookID: "wh_1", EventID: "evt_2"}, t0, store.NotPaused)
	if err := l.Deliveries.Create(ctx, second); err != nil {
		t.Fatal(err)
	}
	if err := l.Hold(ctx, writes, enq, second, 1, t0); err != nil {
		t.Fatal(err)
	}
	if got := read(t, l, second.ID); got.Status != herald.StatusFailed || len(got.Attempts) != 1 ||
		got.Attempts[0].Error != "not sent: "+store.PauseFullReason {
		t.Errorf("held with a slot of pause 1 in pause 2, its queue full: %+v, want not sent", got)
	}
	w, err := writes.Get(ctx, "wh_1")
	if err != nil || w.PauseEpoch != 2 || w.PauseHeld != 1 || w.PauseDropped != 1 || len(enq.Got()) != 0 {
		t.Errorf("webhook %+v (%v), enqueued %v: want pause 2, 1 held, 1 dropped, nothing sent", w, err, enq.Got())
	}
}

func TestGiveUpHeldAnnouncesThenRecords(t *testing.T) {
	ctx := context.Background()
	l := store.Lifecycle{Deliveries: heraldtest.Collection(t)}
	d := stored(t, l, true)
	var last herald.Attempt
	ok, err := l.GiveUpHeld(ctx, d, "held too long", t0, func(_ *herald.Delivery, a herald.Attempt) error {
		last = a
		return nil
	})
	if err != nil || !ok {
		t.Fatalf("GiveUpHeld: %v %v", ok, err)
	}
	got := read(t, l, d.ID)
	if got.Status != herald.StatusFailed || got.DroppedMS == 0 || last.Error != "not sent: held too long" {
		t.Errorf("given up: %+v, announced %+v", got, last)
	}
}

func TestRearmManualMarksTheOneShotAttempt(t *testing.T) {
	ctx := context.Background()
	l := store.Lifecycle{Deliveries: heraldtest.Collection(t)}
	d := stored(t, l, false)
	if err := l.Stop(ctx, d, "x", t0); err != nil {
		t.Fatal(err)
	}
	enq := &heraldtest.Enqueuer{}
	if err := l.Rearm(ctx, enq, d, true, t0); err != nil {
		t.Fatal(err)
	}
	got := read(t, l, d.ID)
	if got.Status != herald.StatusPending || got.ManualAttempt != 2 || len(enq.Got()) != 1 || enq.Got()[0].Job.Attempt != 2 {
		t.Errorf("re-armed: %+v, enqueued %v", got, enq.Got())
	}
}
