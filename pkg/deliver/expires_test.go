package deliver_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
)

// TestFinishedDeliveriesExpire: a delivery that finishes — succeeded,
// failed after its last attempt (dropped), failed by a 410 — is written with
// expires_at (Unix seconds, when it finished plus the retention) and leaves
// the due index; one still pending after a failed attempt has no expires_at
// and stays in the due index.
func TestFinishedDeliveriesExpire(t *testing.T) {
	t.Parallel()
	const retention = 72 * time.Hour
	for _, tc := range []struct {
		name    string
		answer  int
		attempt int // with a schedule of one retry, attempt 2 is the last
		status  herald.Status
	}{
		{"succeeded", http.StatusOK, 1, herald.StatusSucceeded},
		{"retried", http.StatusInternalServerError, 1, herald.StatusPending},
		{"dropped after the last attempt", http.StatusInternalServerError, 2, herald.StatusFailed},
		{"gone", http.StatusGone, 1, herald.StatusFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rcv := newReceiver(t, status(tc.answer))
			f := newFixture(t, deliver.Config{Retention: retention, Schedule: []time.Duration{time.Minute}})
			d := newDelivery()
			d.AttemptCount = tc.attempt - 1
			d.Derive(t0, retention)
			f.seed(t, newWebhook(rcv.URL), d)
			f.clock.Advance(5 * time.Second)
			finished := f.clock.Now()
			if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: tc.attempt}); err != nil {
				t.Fatal(err)
			}
			got := f.delivery(t, testDeliveryID)
			if got.Status != tc.status {
				t.Fatalf("status %s, want %s", got.Status, tc.status)
			}
			if tc.status.Finished() {
				if want := finished.Add(retention).Unix(); got.ExpiresAt != want || got.DueShard != 0 {
					t.Errorf("expires_at %d, due_shard %d; want %d and none", got.ExpiresAt, got.DueShard, want)
				}
				return
			}
			if got.ExpiresAt != 0 || got.DueShard != herald.ShardOf(testDeliveryID) {
				t.Errorf("pending: expires_at %d, due_shard %d; want none and %d",
					got.ExpiresAt, got.DueShard, herald.ShardOf(testDeliveryID))
			}
		})
	}
}

// TestHeldDeliveryDoesNotExpire: a delivery of a paused webhook is held
// without expires_at, in the held index and out of the due index.
func TestHeldDeliveryDoesNotExpire(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, nil)
	f := newFixture(t, deliver.Config{})
	w := newWebhook(rcv.URL)
	w.Paused = true
	d := newDelivery()
	d.Derive(t0, 0)
	f.seed(t, w, d)
	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	got := f.delivery(t, testDeliveryID)
	if got.Status != herald.StatusPaused || got.ExpiresAt != 0 || got.DueShard != 0 || got.HeldShard != herald.Shard("wh_1") {
		t.Errorf("held: status %s, expires_at %d, due_shard %d, held_shard %d", got.Status, got.ExpiresAt,
			got.DueShard, got.HeldShard)
	}
}

// TestDisableBumpsTheRevision: a 410 disables the webhook and bumps the
// webhooks revision, so ingest's table in another process drops it; a
// failure that only moves the health counters does not.
func TestDisableBumpsTheRevision(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		answer int
		want   int64
	}{{http.StatusInternalServerError, 0}, {http.StatusGone, 1}} {
		rev := store.NewRevision(heraldtest.Collection(t))
		f := newFixture(t, deliver.Config{Revision: rev})
		f.seed(t, newWebhook(newReceiver(t, status(tc.answer)).URL), newDelivery())
		if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
			t.Fatal(err)
		}
		if n, err := rev.Read(ctx); err != nil || n != tc.want {
			t.Errorf("answer %d: revision %d, %v; want %d", tc.answer, n, err, tc.want)
		}
	}
}
