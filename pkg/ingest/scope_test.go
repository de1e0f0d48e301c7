package ingest_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

// invoice is an event_id two tenants (and an unscoped publisher, and a
// partner) all publish.
func invoice(scope string) string {
	return `{"event_id":"invoice-1001","event_type":"invoice.paid"` + scope + `}`
}

// TestSameEventIDFromAnotherScopeIsAnotherEvent: an event_id is a duplicate
// only within its tenant and partner; tenant A's id does not suppress
// tenant B's event, and each receiver gets the id as published.
func TestSameEventIDFromAnotherScopeIsAnotherEvent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addWebhook(t, "wh_all", nil)
	f.addWebhook(t, "wh_a", func(w *herald.Webhook) { w.TenantID = "tnt_a" })
	f.addWebhook(t, "wh_b", func(w *herald.Webhook) { w.TenantID = "tnt_b" })
	for _, scope := range []string{`,"tenant_id":"tnt_a"`, `,"tenant_id":"tnt_b"`, ``,
		`,"tenant_id":"tnt_a","partner_id":"ptn_1"`, `,"partner_id":"ptn_1"`} {
		if err := f.handle(invoice(scope)); err != nil {
			t.Fatalf("%s: %v", scope, err)
		}
	}
	ds := f.allDeliveries(t)
	want := []string{"wh_a", "wh_a", "wh_all", "wh_all", "wh_all", "wh_all", "wh_all", "wh_b"}
	if got := webhookIDs(ds); !reflect.DeepEqual(got, want) {
		t.Fatalf("deliveries for %v, want %v", got, want)
	}
	keys := map[string]bool{}
	for _, d := range ds {
		if d.EventID != "invoice-1001" {
			t.Errorf("delivery %d has event_id %q, want the published id", d.ID, d.EventID)
		}
		ev := f.event(t, d.EventStoreKey())
		if ev == nil || ev.PublishedID() != "invoice-1001" || ev.TenantID != d.TenantID {
			t.Errorf("delivery %d refers to event %+v", d.ID, ev)
		}
		if d.WebhookID == "wh_all" {
			keys[d.EventStoreKey()] = true
		}
	}
	if len(keys) != 5 {
		t.Errorf("wh_all's deliveries are of %d events, want 5: %v", len(keys), keys)
	}

	// The same id from the same scope again is a duplicate: nothing new.
	if err := f.handle(invoice(`,"tenant_id":"tnt_b"`)); err != nil {
		t.Fatal(err)
	}
	if n := len(f.allDeliveries(t)); n != len(want) {
		t.Errorf("%d deliveries after a duplicate, want %d", n, len(want))
	}
}

// TestResumedFanOutCountsOnlyItsOwnScope: tenant B's fan-out was
// interrupted before it made wh_all's delivery, while tenant A's event of
// the same id has one for wh_all. Resuming creates B's: A's delivery is
// another event's.
func TestResumedFanOutCountsOnlyItsOwnScope(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addWebhook(t, "wh_all", nil)
	if err := f.handle(invoice(`,"tenant_id":"tnt_a"`)); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	body := invoice(`,"tenant_id":"tnt_b"`)
	key := herald.EventKey("invoice-1001", "tnt_b", "")
	if err := f.events.Create(ctx, &herald.Event{ID: key, EventID: "invoice-1001", Type: "invoice.paid",
		TenantID: "tnt_b", Payload: body, CreatedMS: herald.Millis(t0)}); err != nil {
		t.Fatal(err)
	}

	if err := f.handle(body); err != nil {
		t.Fatal(err)
	}
	ds := f.allDeliveries(t)
	if len(ds) != 2 || ds[0].TenantID == ds[1].TenantID {
		t.Fatalf("%d deliveries (for %v), want one for each tenant's event", len(ds), webhookIDs(ds))
	}
	if ev := f.event(t, key); ev == nil || !ev.FannedOut {
		t.Errorf("B's event = %+v, want it fanned out", ev)
	}
}
