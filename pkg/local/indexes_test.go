package local_test

import (
	"context"
	"strings"
	"testing"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestDefaultIndexesServeHeraldsQueries opens local mode's default
// collections and checks that every query Herald makes of them on a hot or
// growing path is served by an index, not a scan of the collection. The
// queries are those of pkg/admin (deliveries list, stats, resume, lists by
// tenant), pkg/ingest (resumed fan-out), pkg/schedule (due entries, sweep)
// and pkg/expiry (retention, held deliveries).
func TestDefaultIndexesServeHeraldsQueries(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{"HERALD_DATA_DIR": dir}[k]
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	open := func(u string) *docstore.Collection {
		c, err := docstore.OpenCollection(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	deliveries, schedule := open(cfg.DeliveriesCollection), open(cfg.ScheduleCollection)
	webhooks, events := open(cfg.WebhooksCollection), open(cfg.EventsCollection)
	applications := open(cfg.ApplicationsCollection)
	for name, q := range map[string]*docstore.Query{
		"admin: a webhook's deliveries": deliveries.Query().Where("webhook_id", "=", "wh_1").
			Where("id", ">", int64(0)).OrderBy("id", docstore.Descending),
		"admin: a webhook's deliveries by status": deliveries.Query().Where("webhook_id", "=", "wh_1").
			Where("status", "=", herald.StatusFailed).Where("id", ">", int64(0)).OrderBy("id", docstore.Descending),
		"ingest: an event's deliveries": deliveries.Query().Where("event_id", "=", "evt_1"),
		"schedule: sweep": deliveries.Query().Where("status", "=", herald.StatusPending).
			Where("next_attempt_ms", "<=", int64(1)),
		"expiry: retention": deliveries.Query().Where("status", "=", herald.StatusSucceeded).
			Where("created_ms", "<", int64(1)),
		"expiry: held deliveries": deliveries.Query().Where("status", "=", herald.StatusPaused),
		"schedule: due entries": schedule.Query().Where("queue", "=", "deliver").
			Where("due_ms", "<=", int64(1)).OrderBy("due_ms", docstore.Ascending),
		"expiry: old events":            events.Query().Where("created_ms", "<", int64(1)),
		"admin: a tenant's webhooks":    webhooks.Query().Where("tenant_id", "=", "tnt_1"),
		"admin: a partner's webhooks":   webhooks.Query().Where("tenant_id", "=", "tnt_1").Where("partner_id", "=", "p_1"),
		"admin: a tenant's application": applications.Query().Where("tenant_id", "=", "tnt_1"),
	} {
		plan, err := q.Plan()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.HasPrefix(plan, "scan") {
			t.Errorf("%s: %s; want an index", name, plan)
		}
	}
}
