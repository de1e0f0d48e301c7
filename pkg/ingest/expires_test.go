package ingest_test

import (
	"context"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ingest"
)

// TestIngestWritesTheIndexedFields: the event is stored with expires_at
// (ingest plus the retention, in Unix seconds); the deliveries it creates
// have none — they are pending, in the due index, or held, in the held
// index — until they finish.
func TestIngestWritesTheIndexedFields(t *testing.T) {
	t.Parallel()
	const retention = 10 * 24 * time.Hour
	f := newFixture(t, func(c *ingest.Config) { c.Retention = retention })
	f.addWebhook(t, "wh_live", nil)
	f.addWebhook(t, "wh_paused", func(w *herald.Webhook) { w.Paused = true })
	if err := f.handle(`{"event_id":"evt_1","event_type":"order.created"}`); err != nil {
		t.Fatal(err)
	}
	ev := &herald.Event{ID: "evt_1"}
	if err := f.events.Get(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(retention).Unix(); ev.ExpiresAt != want {
		t.Errorf("event expires_at %d, want %d", ev.ExpiresAt, want)
	}
	ds := f.allDeliveries(t)
	if len(ds) != 2 {
		t.Fatalf("%d deliveries, want 2", len(ds))
	}
	for _, d := range ds {
		if d.ExpiresAt != 0 {
			t.Errorf("%s delivery has expires_at %d; an unfinished delivery must not expire", d.Status, d.ExpiresAt)
		}
		switch d.WebhookID {
		case "wh_live":
			if d.Status != herald.StatusPending || d.DueShard != herald.ShardOf(d.ID) || d.HeldShard != 0 {
				t.Errorf("pending delivery: %+v", d)
			}
		case "wh_paused":
			if d.Status != herald.StatusPaused || d.DueShard != 0 || d.HeldShard != herald.Shard("wh_paused") {
				t.Errorf("held delivery: %+v", d)
			}
		}
	}
}
