package local_test

import (
	"context"
	"strings"
	"testing"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/store"
)

// TestDefaultIndexesServeHeraldsQueries opens local mode's default
// collections and checks that every query Herald makes of them on a hot,
// growing or periodic path (store.Queries, which the DynamoDB test asks
// of the template's tables too) is served by an index, not a scan of the
// collection.
func TestDefaultIndexesServeHeraldsQueries(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{"HERALD_DATA_DIR": dir}[k]
	}, config.Local)
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
	deliveries, scheduleColl := open(cfg.DeliveriesCollection), open(cfg.ScheduleCollection)
	webhooks, events := open(cfg.WebhooksCollection), open(cfg.EventsCollection)
	applications := open(cfg.ApplicationsCollection)
	for _, q := range store.Queries(store.Collections{Webhooks: webhooks, Events: events,
		Deliveries: deliveries, Schedule: scheduleColl, Applications: applications}) {
		plan, err := q.Query.Plan(q.Fields...)
		if err != nil {
			t.Fatalf("%s: %v", q.Name, err)
		}
		t.Logf("%s: %s", q.Name, plan)
		if strings.HasPrefix(plan, "scan") {
			t.Errorf("%s: %s; want an index", q.Name, plan)
		}
	}
}
