package ingest_test

import (
	"context"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/ingest"
)

// TestReservedEventTypesOnlyFromTheOwnChannel: with RefuseOwnEvents, a
// webhook.* or application.* event through Handle (the upstream channel) is
// malformed and stores nothing, while HandleOwn (the channel only Herald
// publishes to) takes it; without it, Handle takes it as before.
func TestReservedEventTypesOnlyFromTheOwnChannel(t *testing.T) {
	t.Parallel()
	subscribed := func(w *herald.Webhook) { w.Events = []string{"webhook.endpoint.disabled", "application.created"} }
	refusing := newFixture(t, func(c *ingest.Config) { c.RefuseOwnEvents = true })
	refusing.addWebhook(t, "wh_a", subscribed)
	for _, body := range []string{
		`{"event_id":"evt_forged_1","event_type":"webhook.endpoint.disabled"}`,
		`{"event_id":"evt_forged_2","event_type":"application.created"}`,
	} {
		if err := refusing.handle(body); !herald.IsMalformed(err) {
			t.Errorf("Handle(%s) = %v, want malformed", body, err)
		}
	}
	if n := len(refusing.allDeliveries(t)); n != 0 || refusing.event(t, "evt_forged_1") != nil {
		t.Fatalf("a refused event left %d deliveries or a stored event", n)
	}
	own := `{"event_id":"evt_own_1","event_type":"webhook.endpoint.disabled"}`
	if err := refusing.h.HandleOwn(context.Background(), []byte(own)); err != nil {
		t.Fatalf("HandleOwn: %v", err)
	}
	if n := len(refusing.allDeliveries(t)); n != 1 {
		t.Fatalf("HandleOwn made %d deliveries, want 1", n)
	}

	taking := newFixture(t)
	taking.addWebhook(t, "wh_a", subscribed)
	if err := taking.handle(own); err != nil || len(taking.allDeliveries(t)) != 1 {
		t.Fatalf("without RefuseOwnEvents Handle = %v, want the event taken", err)
	}
}
