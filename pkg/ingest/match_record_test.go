package ingest_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

// TestDeliveryRecordsItsURLAndMatch: each delivery the fan-out creates
// carries its webhook's URL and what in its subscription matched the event
// (a pattern, a category, the filters passed; nothing for a webhook
// subscribed to every event), and is in the call log's index.
func TestDeliveryRecordsItsURLAndMatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tenant := herald.Filter{Field: "tenant_id", Op: herald.OpEq, Value: json.RawMessage(`"tnt_1"`)}
	f.addWebhook(t, "wh_a", func(w *herald.Webhook) { w.Events = []string{"invoice.*", "order.*"} })
	f.addWebhook(t, "wh_b", nil)
	f.addWebhook(t, "wh_c", func(w *herald.Webhook) {
		w.Events, w.Filters = []string{"order.created"}, []herald.Filter{tenant}
	})
	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}
	want := map[string]herald.Match{
		"wh_a": {Pattern: "order.*"},
		"wh_b": {},
		"wh_c": {Pattern: "order.created", Filters: []herald.Filter{tenant}},
	}
	ds := f.allDeliveries(t)
	if len(ds) != len(want) {
		t.Fatalf("%d deliveries, want %d", len(ds), len(want))
	}
	for _, d := range ds {
		if d.URL != "https://example.com/"+d.WebhookID || d.Match == nil || !reflect.DeepEqual(*d.Match, want[d.WebhookID]) {
			t.Errorf("delivery to %s: url %q, match %+v; want match %+v", d.WebhookID, d.URL, d.Match, want[d.WebhookID])
		}
		if d.LogShard != herald.LogShardOf(d.ID) {
			t.Errorf("delivery %d: log shard %d, want %d", d.ID, d.LogShard, herald.LogShardOf(d.ID))
		}
	}
}
