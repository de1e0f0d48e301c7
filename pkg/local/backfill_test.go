package local_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"gocloud.dev/docstore"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// TestUpgradeBackfillsIndexedFields starts local mode on a data dir an
// earlier version left: deliveries and events without the fields the
// indexes now read, and no backfill marker. Nothing is lost: the pending
// delivery whose job was lost is re-armed (the sweep's index) and sent, the
// held one of a webhook resumed meanwhile is released (the held index) and
// sent, the delivery that finished long ago expires (expires_at), and the
// call log shows an old delivery nothing writes again (log_shard).
func TestUpgradeBackfillsIndexedFields(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	rcv := contract.NewReceiver(t, "X-Herald-")
	cfg := localConfig(t, dir, "memq", false) // the bolt:// defaults
	first, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hook := contract.NewAPI(t, first.BaseURL, first.Token).CreateWebhook(rcv, map[string]any{})
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	open := func(u string) *docstore.Collection {
		c, err := docstore.OpenCollection(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	deliveries, events, sched := open(cfg.DeliveriesCollection), open(cfg.EventsCollection), open(cfg.ScheduleCollection)
	if err := sched.Delete(ctx, map[string]any{"id": "local-backfill"}); err != nil {
		t.Fatal(err)
	}
	now, long := time.Now(), herald.Millis(time.Now().Add(-60*24*time.Hour))
	recent := herald.Millis(now.Add(-time.Hour))
	docs := []struct {
		coll *docstore.Collection
		doc  map[string]any
	}{
		{events, map[string]any{"id": "evt_old", "event_type": "order.created", "created_ms": recent, "fanned_out": true,
			"payload": `{"event_id":"evt_old","event_type":"order.created","timestamp":"2026-01-01T00:00:00Z"}`}},
		{deliveries, map[string]any{"id": int64(1), "webhook_id": hook.ID, "event_id": "evt_old", "event_type": "order.created",
			"status": "pending", "attempt_count": int64(0), "next_attempt_ms": recent, "created_ms": recent, "updated_ms": recent}},
		{deliveries, map[string]any{"id": int64(2), "webhook_id": hook.ID, "event_id": "evt_old", "event_type": "order.created",
			"status": "paused", "attempt_count": int64(0), "created_ms": recent, "updated_ms": recent}},
		{deliveries, map[string]any{"id": int64(3), "webhook_id": hook.ID, "event_id": "evt_old", "event_type": "order.created",
			"status": "succeeded", "attempt_count": int64(1), "created_ms": long, "updated_ms": long}},
		{deliveries, map[string]any{"id": int64(4), "webhook_id": hook.ID, "event_id": "evt_old", "event_type": "order.created",
			"status": "failed", "attempt_count": int64(1), "created_ms": recent, "updated_ms": recent}},
	}
	for _, d := range docs {
		if err := d.coll.Put(ctx, d.doc); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*docstore.Collection{deliveries, events, sched} {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}

	// A new process has new in-memory topics; only the data dir carries over.
	fresh := localConfig(t, dir, "memq", false)
	cfg.IngestTopic, cfg.IngestSubscription = fresh.IngestTopic, fresh.IngestSubscription
	cfg.DeliverTopic, cfg.DeliverSubscription = fresh.DeliverTopic, fresh.DeliverSubscription
	second, err := startLocal(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	for _, r := range rcv.WaitFor(2, 20*time.Second) {
		sent = append(sent, r.Header.Get("X-Herald-Delivery-Id"))
	}
	slices.Sort(sent)
	if !slices.Equal(sent, []string{"1", "2"}) {
		t.Errorf("sent deliveries %v, want 1 (pending, its job lost) and 2 (held, webhook not paused)", sent)
	}
	api := contract.NewAPI(t, second.BaseURL, second.Token)
	var log struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if st := api.Do("GET", "/api/v1/admin/deliveries", nil, &log); st != http.StatusOK {
		t.Fatalf("call log: %d", st)
	}
	var logged []int64
	for _, it := range log.Items {
		logged = append(logged, it.ID)
	}
	if !slices.Contains(logged, 4) {
		t.Errorf("call log shows %v, want delivery 4 (failed, not written since: backfilled into its index)", logged)
	}
	heraldtest.Eventually(t, 10*time.Second, func() bool {
		return api.Do("GET", "/api/v1/admin/webhooks/"+hook.ID+"/deliveries/3", nil, nil) == http.StatusNotFound
	}, "delivery 3, finished 60 days ago, was not deleted")
}
