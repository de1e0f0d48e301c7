package deliver_test

import (
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestHoldTakesASlotOfThePauseQueue: a pending delivery whose webhook was
// paused takes a slot of its pause queue and is held; past the queue's
// limit it is not sent, and counted in pause_dropped, as a new delivery
// would be. Nothing is sent either way.
func TestHoldTakesASlotOfThePauseQueue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                  string
		held                  int64
		status                herald.Status
		wantHeld, wantDropped int64
	}{
		{"room", 1, herald.StatusPaused, 2, 0},
		{"full", 2, herald.StatusFailed, 2, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rcv := newReceiver(t, nil)
			f := newFixture(t, deliver.Config{})
			w := newWebhook(rcv.URL)
			w.Paused, w.PauseQueueLimit, w.PauseHeld = true, 2, tc.held
			f.seed(t, w, newDelivery())
			if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			d := f.delivery(t, testDeliveryID)
			if d.Status != tc.status {
				t.Errorf("delivery %s, want %s", d.Status, tc.status)
			}
			if tc.status == herald.StatusFailed &&
				(len(d.Attempts) != 1 || !strings.Contains(d.Attempts[0].Error, "pause queue is full")) {
				t.Errorf("attempts %+v, want one saying the pause queue is full", d.Attempts)
			}
			got := f.webhook(t, "wh_1")
			if got.PauseHeld != tc.wantHeld || got.PauseDropped != tc.wantDropped {
				t.Errorf("pause_held %d, pause_dropped %d; want %d and %d", got.PauseHeld, got.PauseDropped,
					tc.wantHeld, tc.wantDropped)
			}
			if n := len(rcv.Got()); n != 0 {
				t.Errorf("the receiver got %d requests", n)
			}
		})
	}
}
