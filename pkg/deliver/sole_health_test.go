package deliver_test

import (
	"context"
	"testing"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestSoleOwnerKnowsItsHealthyWebhooks: a Handler that is the only one
// recording its webhooks' health (local mode) reads a webhook's health on
// its first success, and not on the next ones while no failure of it was
// recorded: a count written by anyone else meanwhile is left as it is
// (which a Handler that is not the only one resets). Its own failure is
// counted, and the success after it reads and resets the health again.
func TestSoleOwnerKnowsItsHealthyWebhooks(t *testing.T) {
	t.Parallel()
	for _, sole := range []bool{false, true} {
		f := newFixture(t, deliver.Config{SoleOwner: sole})
		r := newReceiver(t, scripted(200, 200, 500, 200, 200))
		f.seed(t, newWebhook(r.URL), nil)
		attempt := func(id int64) int64 {
			t.Helper()
			f.addDelivery(t, id, "wh_1")
			if err := f.handle(herald.Job{DeliveryID: id, Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			return f.webhook(t, "wh_1").ConsecutiveFailures
		}
		setFailures := func(n int64) {
			t.Helper()
			err := f.webhooks.Update(context.Background(), &herald.Webhook{ID: "wh_1"},
				docstore.Mods{"consecutive_failures": n})
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := attempt(101); got != 0 {
			t.Fatalf("sole %v: failures after a success = %d", sole, got)
		}
		setFailures(7) // a writer the sole owner does not expect
		want := int64(0)
		if sole {
			want = 7 // not read: known healthy
		}
		if got := attempt(102); got != want {
			t.Errorf("sole %v: failures after a second success = %d, want %d", sole, got, want)
		}
		setFailures(0)
		if got := attempt(103); got != 1 {
			t.Errorf("sole %v: failures after a failure = %d, want 1", sole, got)
		}
		if got := attempt(104); got != 0 {
			t.Errorf("sole %v: failures after a success that followed a failure = %d, want 0", sole, got)
		}
		if got := attempt(105); got != 0 {
			t.Errorf("sole %v: failures after another success = %d, want 0", sole, got)
		}
		if n := r.hits.Load(); n != 5 {
			t.Errorf("sole %v: receiver hits = %d", sole, n)
		}
	}
}
