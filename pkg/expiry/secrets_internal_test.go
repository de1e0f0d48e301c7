package expiry

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"gocloud.dev/docstore/memdocstore"
	"gocloud.dev/pubsub/mempubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// A webhook changed between the read and the write is skipped, its event
// already published; the next tick publishes it again under the same
// event_id (which ingest creates nothing for) and then records it.
func TestSecretDutySkipsChangedDocumentAndRepublishesSameEventID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	ingest := mempubsub.NewTopic()
	sub := mempubsub.NewSubscription(ingest, time.Minute) // before anything is published
	t.Cleanup(func() { _ = sub.Shutdown(ctx); _ = ingest.Shutdown(ctx) })
	webhooks, err := memdocstore.OpenCollection("id", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = webhooks.Close() })
	n, err := New(Config{Webhooks: webhooks, Events: webhooks, Deliveries: webhooks, Ingest: ingest,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	until := herald.Millis(now.Add(-time.Minute))
	w := &herald.Webhook{ID: "wh_x", PreviousSealedSecret: "sealed-PREVIOUS", PreviousSecretUntilMS: until}
	w.Derive()
	if err := webhooks.Put(ctx, w); err != nil {
		t.Fatal(err)
	}
	stale, err := readWebhook(ctx, webhooks, "wh_x")
	if err != nil || stale == nil {
		t.Fatalf("read = %v, %v", stale, err)
	}
	w.Name = "renamed" // changed meanwhile
	if err := webhooks.Replace(ctx, w); err != nil {
		t.Fatal(err)
	}

	if g, e, err := n.secretDuty(ctx, webhooks, stale, now); err != nil || g != 0 || e != 0 {
		t.Fatalf("secretDuty on a changed webhook = %d, %d, %v; want skipped", g, e, err)
	}
	if g, e, err := n.secretDuties(ctx, now); err != nil || g != 1 || e != 0 {
		t.Fatalf("next secretDuties = %d, %d, %v; want one grace ended", g, e, err)
	}
	got := &herald.Webhook{ID: "wh_x"}
	if err := webhooks.Get(ctx, got); err != nil || got.PreviousSealedSecret != "" || got.Name != "renamed" {
		t.Fatalf("webhook = %+v, %v; want renamed and previous secret cleared", got, err)
	}
	want := "evt_grace_wh_x_" + strconv.FormatInt(until, 10)
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for i := range 2 {
		m, err := sub.Receive(rctx)
		if err != nil {
			t.Fatal(err)
		}
		m.Ack()
		var e herald.OwnEvent
		if err := json.Unmarshal(m.Body, &e); err != nil || e.EventID != want {
			t.Errorf("publish %d: %s (%v), want event_id %s", i+1, m.Body, err, want)
		}
	}
}
