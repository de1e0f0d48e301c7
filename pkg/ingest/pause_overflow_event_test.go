package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/mempubsub"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ingest"
	"github.com/heraldhq/herald/pkg/store"
)

// TestPauseOverflowAnnouncedOncePerPause: a paused webhook whose hold queue
// is full announces webhook.endpoint.pause_overflow at its first dropped
// delivery only, with the count dropped so far; resuming and pausing again
// starts a new pause, whose overflow is announced again under a new
// event_id. Ingested back, the announcements reach a webhook subscribed to
// them once each, also when published twice.
func TestPauseOverflowAnnouncedOncePerPause(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	topic := mempubsub.NewTopic()
	sub := mempubsub.NewSubscription(topic, time.Minute)
	t.Cleanup(func() { _ = sub.Shutdown(ctx); _ = topic.Shutdown(ctx) })
	f := newFixture(t, func(c *ingest.Config) { c.OwnEvents = topic })
	f.addWebhook(t, "wh_held", func(w *herald.Webhook) { w.Events, w.PauseQueueLimit = []string{"order.*"}, 1 })
	f.addWebhook(t, "wh_ops", func(w *herald.Webhook) { w.Events = []string{"webhook.endpoint.*"} })
	writes := store.WebhookWrites{Coll: f.webhooks}
	firstPause, secondPause := t0.Add(time.Minute), t0.Add(time.Hour)
	if err := writes.SetPaused(ctx, "wh_held", true, firstPause); err != nil {
		t.Fatal(err)
	}
	order := func(i int) {
		t.Helper()
		if err := f.handle(fmt.Sprintf(`{"event_id":"evt_%d","event_type":"order.created"}`, i)); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	order(1) // held: the queue is full now
	order(2) // dropped: announced
	order(3) // dropped: already announced
	got := drain(t, sub)
	if len(got) != 1 {
		t.Fatalf("first pause, two overflows: %d events, want 1: %s", len(got), got)
	}
	want := func(pause time.Time, dropped int) string {
		return fmt.Sprintf(`{"event_id":"evt_pause_overflow_wh_held_%d","event_type":"webhook.endpoint.pause_overflow",`+
			`"timestamp":"2026-04-23T14:00:00Z","category":"SECURITY","identity_id":"system:herald",`+
			`"data":{"webhook_id":"wh_held","webhook_name":"wh_held","dropped":%d,"pause_queue_limit":1}}`,
			pause.UnixMilli(), dropped)
	}
	if string(got[0]) != want(firstPause, 1) {
		t.Errorf("event\n got %s\nwant %s", got[0], want(firstPause, 1))
	}

	// A new pause (set directly, the held delivery not released): it
	// starts with an empty queue, so one more is held and the next dropped.
	if err := writes.SetPaused(ctx, "wh_held", false, firstPause.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := writes.SetPaused(ctx, "wh_held", true, secondPause); err != nil {
		t.Fatal(err)
	}
	order(4)
	order(5)
	second := drain(t, sub)
	if len(second) != 1 || string(second[0]) != want(secondPause, 3) {
		t.Fatalf("second pause: %s, want one %s", second, want(secondPause, 3))
	}

	// Ingested (twice, as a repeated publish would be), each announcement
	// is one delivery to the webhook subscribed to it.
	for _, body := range append(append(got, second...), append(got, second...)...) {
		if err := f.h.HandleOwn(ctx, body); err != nil {
			t.Fatal(err)
		}
	}
	var announced []string
	for _, d := range f.allDeliveries(t) {
		if d.WebhookID == "wh_ops" {
			announced = append(announced, d.EventID)
		}
	}
	if len(announced) != 2 {
		t.Errorf("deliveries of the announcements: %v, want 2", announced)
	}
}

// drain returns the bodies published on sub until none comes for a moment:
// longer than mempubsub's 250 ms idle poll, with room for a loaded machine
// (300 ms missed a message once under load).
func drain(t *testing.T, sub *pubsub.Subscription) [][]byte {
	t.Helper()
	var out [][]byte
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		m, err := sub.Receive(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		m.Ack()
		if !json.Valid(m.Body) {
			t.Fatalf("published %q", m.Body)
		}
		out = append(out, m.Body)
	}
}
