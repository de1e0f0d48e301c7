package store

import (
	"context"
	"testing"
	"time"

	"gocloud.dev/docstore"
	"gocloud.dev/docstore/memdocstore"

	"github.com/heraldhq/herald/pkg/herald"
)

// TestBackfillSetsEachIndexedFieldOnce: documents of an earlier version get
// the fields their indexes read — a webhook in a grace period and an
// application near expiry their secret duty, an event its expires_at, a
// schedule entry its shard (the revision document none) — and a second
// start, finding the marker, reads nothing. A scoped webhook gets its scope
// key (version 2), a delivery its call-log shard (version 3).
func TestBackfillSetsEachIndexedFieldOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	open := func() *docstore.Collection {
		c, err := memdocstore.OpenCollection("id", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	res := Collections{Webhooks: open(), Events: open(), Deliveries: open(), Schedule: open(), Applications: open()}
	expires := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	put := func(c *docstore.Collection, doc map[string]any) {
		if err := c.Put(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	put(res.Webhooks, map[string]any{"id": "wh_grace", "previous_secret": "sealed", "previous_secret_until_ms": int64(5000)})
	put(res.Webhooks, map[string]any{"id": "wh_plain", "secret": "sealed"})
	put(res.Webhooks, map[string]any{"id": "wh_scoped", "secret": "sealed", "tenant_id": "tnt_a", "partner_id": ""})
	put(res.Applications, map[string]any{"id": "app_1", "secret_expires_ms": herald.Millis(expires),
		"secret_expiry_notified": int64(0)})
	put(res.Events, map[string]any{"id": "evt_1", "created_ms": int64(1_000_000)})
	put(res.Schedule, map[string]any{"id": "42-2", "queue": "deliver", "due_ms": int64(9), "delivery_id": int64(42), "attempt": int64(2)})
	put(res.Schedule, map[string]any{"id": "webhooks-revision", "revision": int64(3)})
	put(res.Deliveries, map[string]any{"id": int64(4099), "webhook_id": "wh_plain", "status": "paused", "created_ms": int64(1)})

	n, err := Backfill(ctx, res, time.Hour)
	if err != nil || n != 6 {
		t.Fatalf("backfill = %d, %v; want 6 documents changed", n, err)
	}
	get := func(c *docstore.Collection, id any) map[string]any {
		doc := map[string]any{"id": id}
		if err := c.Get(ctx, doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	if w := get(res.Webhooks, "wh_grace"); w["secret_duty_ms"] != int64(5000) || w["secret_duty_shard"] != int64(herald.Shard("wh_grace")) {
		t.Errorf("webhook in grace: %v", w)
	}
	if w := get(res.Webhooks, "wh_scoped"); w["scope"] != herald.ScopeKey("tnt_a", "") {
		t.Errorf("scoped webhook: %v, want its scope key", w)
	}
	if w := get(res.Webhooks, "wh_plain"); w["secret_duty_shard"] != nil || w["scope"] != nil {
		t.Errorf("webhook without duties: %v", w)
	}
	if a := get(res.Applications, "app_1"); a["secret_duty_ms"] != herald.Millis(expires.Add(-30*24*time.Hour)) {
		t.Errorf("application: %v", a)
	}
	if e := get(res.Events, "evt_1"); e["expires_at"] != int64(1000+3600) {
		t.Errorf("event: %v, want expires_at an hour after its ingest", e)
	}
	if e := get(res.Schedule, "42-2"); e["due_shard"] != int64(herald.Shard("42-2")) {
		t.Errorf("schedule entry: %v", e)
	}
	if d := get(res.Deliveries, int64(4099)); d["log_shard"] != int64(herald.LogShardOf(4099)) ||
		d["held_shard"] != int64(herald.Shard("wh_plain")) {
		t.Errorf("delivery: %v, want its call-log and held shards", d)
	}
	if r := get(res.Schedule, "webhooks-revision"); r["due_shard"] != nil {
		t.Errorf("revision document: %v", r)
	}

	put(res.Events, map[string]any{"id": "evt_2", "created_ms": int64(1)})
	if n, err := Backfill(ctx, res, time.Hour); err != nil || n != 0 {
		t.Errorf("second backfill = %d, %v; want nothing (the marker is there)", n, err)
	}
}
