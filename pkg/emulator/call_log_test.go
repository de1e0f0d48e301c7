package emulator_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/store"
)

// callLogOnTheTemplateTables reads the call log (store.DeliveryLog) from
// the template's deliveries table: across webhooks from the by_log GSI,
// shard by shard, and of given webhooks from by_webhook, each filter
// applied on the index, page by page, newest first, and never a scan.
func callLogOnTheTemplateTables(t *testing.T, s *stack) {
	ctx := context.Background()
	t1 := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	types := []string{"order.created", "secret.rotated"}
	statuses := []herald.Status{herald.StatusSucceeded, herald.StatusFailed, herald.StatusPending}
	var all []*herald.Delivery // newest first
	for i := range 18 {
		at := t1.Add(time.Duration(i) * time.Minute)
		hook := fmt.Sprint("wh_", i%4)
		d := &herald.Delivery{ID: herald.DeliveryIDFor(fmt.Sprint("evt_", i), hook, at, 0), WebhookID: hook,
			EventID: fmt.Sprint("evt_", i), EventType: types[i%2], Status: statuses[i%3], CreatedMS: herald.Millis(at)}
		d.Derive(at, 0)
		if err := s.Deliveries.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
		all = append([]*herald.Delivery{d}, all...)
	}
	s.calls.take()
	since, until := herald.DeliveryIDAt(t1.Add(4*time.Minute)), herald.DeliveryIDAt(t1.Add(13*time.Minute))
	for _, c := range []struct {
		name   string
		filter store.LogFilter
		keep   func(*herald.Delivery) bool
	}{
		{"all", store.LogFilter{}, func(*herald.Delivery) bool { return true }},
		{"status", store.LogFilter{Status: herald.StatusFailed}, func(d *herald.Delivery) bool { return d.Status == herald.StatusFailed }},
		{"event type", store.LogFilter{EventType: "secret.rotated"}, func(d *herald.Delivery) bool { return d.EventType == "secret.rotated" }},
		{"status and event type", store.LogFilter{Status: herald.StatusSucceeded, EventType: "order.created"}, func(d *herald.Delivery) bool {
			return d.Status == herald.StatusSucceeded && d.EventType == "order.created"
		}},
		{"since and until", store.LogFilter{Since: since, Before: until}, func(d *herald.Delivery) bool { return d.ID >= since && d.ID < until }},
		{"webhooks", store.LogFilter{ByWebhook: true, Webhooks: []string{"wh_0", "wh_2"}},
			func(d *herald.Delivery) bool { return d.WebhookID == "wh_0" || d.WebhookID == "wh_2" }},
		{"webhooks by status and event type", store.LogFilter{ByWebhook: true, Webhooks: []string{"wh_0", "wh_1"},
			Status: herald.StatusPending, EventType: "secret.rotated"}, func(d *herald.Delivery) bool {
			return (d.WebhookID == "wh_0" || d.WebhookID == "wh_1") && d.Status == herald.StatusPending && d.EventType == "secret.rotated"
		}},
	} {
		var want, got []int64
		for _, d := range all {
			if c.keep(d) {
				want = append(want, d.ID)
			}
		}
		f := c.filter
		f.Limit = 4
		for pages := 0; pages < 10; pages++ {
			page, err := store.DeliveryLog(ctx, s.Deliveries, f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			for _, d := range page.Deliveries {
				got = append(got, d.ID)
			}
			if page.Next == 0 {
				break
			}
			f.Before = page.Next
		}
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, want)
		}
		for _, call := range s.calls.take() {
			okIndex := call.Index == "by_log" && !c.filter.ByWebhook || call.Index == "by_webhook" && c.filter.ByWebhook
			if call.Op == "Query" && okIndex || call.Op == "BatchGetItem" && c.filter.ByWebhook && c.filter.EventType != "" {
				continue
			}
			t.Errorf("%s: %s on %s index %q", c.name, call.Op, call.Table, call.Index)
		}
	}
}
