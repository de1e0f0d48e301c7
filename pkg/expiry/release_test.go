package expiry_test

import (
	"context"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/expiry"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// TestTickReleasesHeldOfResumedWebhooks: a delivery left paused for a webhook
// that is no longer paused (a resume that raced with the hold) is sent; one
// held for a paused webhook stays; a deleted webhook's is re-armed to end as
// not sent.
func TestTickReleasesHeldOfResumedWebhooks(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	enq := &heraldtest.Enqueuer{}
	n := r.notifier(t, expiry.Config{Enqueuer: enq})
	r.put(t, r.webhooks,
		&herald.Webhook{ID: "wh_resumed", Enabled: true},
		&herald.Webhook{ID: "wh_paused", Enabled: true, Paused: true})
	recent := herald.Millis(t0.Add(-time.Minute))
	r.put(t, r.deliveries,
		&herald.Delivery{ID: 1, WebhookID: "wh_resumed", Status: herald.StatusPaused, AttemptCount: 2, CreatedMS: recent},
		&herald.Delivery{ID: 2, WebhookID: "wh_paused", Status: herald.StatusPaused, CreatedMS: recent},
		&herald.Delivery{ID: 3, WebhookID: "wh_deleted", Status: herald.StatusPaused, CreatedMS: recent})

	rep, err := n.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.ReleasedHeld != 2 {
		t.Errorf("ReleasedHeld = %d, want 2", rep.ReleasedHeld)
	}
	for id, want := range map[int64]herald.Status{1: herald.StatusPending, 2: herald.StatusPaused, 3: herald.StatusPending} {
		if d, ok := r.delivery(t, id); !ok || d.Status != want {
			t.Errorf("delivery %d status = %+v, want %s", id, d, want)
		}
	}
	want := map[herald.Job]bool{{DeliveryID: 1, Attempt: 3}: true, {DeliveryID: 3, Attempt: 1}: true}
	if got := enq.Got(); len(got) != 2 || !want[got[0].Job] || !want[got[1].Job] {
		t.Errorf("enqueued %+v, want %v", got, want)
	}
}
