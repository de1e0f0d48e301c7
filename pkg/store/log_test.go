package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
)

// TestDeliveryLogBoundsWhatAPageReadsByKey: the log of given webhooks
// filtered by an event type (which the by-webhook index does not hold)
// reads at most 500 candidates per page: past them the page ends short,
// with a Next that resumes below the last one read, and the rare delivery
// further down is found on the next page.
func TestDeliveryLogBoundsWhatAPageReadsByKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	deliveries := heraldtest.Collection(t)
	t1 := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	var rare int64
	for i := range 601 {
		typ := "order.created"
		if i == 0 {
			typ = "secret.rotated" // the oldest
		}
		at := t1.Add(time.Duration(i) * time.Second)
		d := &herald.Delivery{ID: herald.DeliveryIDFor(fmt.Sprint("evt_", i), "wh_1", at, 0), WebhookID: "wh_1",
			EventType: typ, Status: herald.StatusSucceeded, CreatedMS: herald.Millis(at)}
		d.Derive(at, 0)
		if err := deliveries.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			rare = d.ID
		}
	}
	f := store.LogFilter{ByWebhook: true, Webhooks: []string{"wh_1"}, EventType: "secret.rotated", Limit: 10}
	first, err := store.DeliveryLog(ctx, deliveries, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Deliveries) != 0 || first.Next == 0 || first.Next <= rare {
		t.Fatalf("first page: %d deliveries, next %d; want none, and a next above %d", len(first.Deliveries), first.Next, rare)
	}
	f.Before = first.Next
	second, err := store.DeliveryLog(ctx, deliveries, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Deliveries) != 1 || second.Deliveries[0].ID != rare || second.Next != 0 {
		t.Errorf("second page: %v, next %d; want delivery %d and no next", second.Deliveries, second.Next, rare)
	}
}
