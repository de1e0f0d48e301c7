package schedule

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/boltdoc"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// TestRecoverOnBoltPublishesEachOnce: on bolt://, whose queries read in
// pages of 256, Recover touches each overdue delivery (moving it to now,
// ahead of the page being read) and must still publish each job once. They
// share one shard of the due index, so that shard is read in several pages.
func TestRecoverOnBoltPublishesEachOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	deliveries, err := boltdoc.OpenCollectionFile(filepath.Join(t.TempDir(), "herald.db"), "deliveries", "id",
		&boltdoc.Options{Indexes: [][]string{{"due_shard", "next_attempt_ms"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = deliveries.Close() })
	const overdue = 600
	actions := deliveries.Actions()
	id := int64(0)
	for i := range overdue {
		for id++; herald.ShardOf(id) != 1; id++ {
		}
		d := &herald.Delivery{ID: id, WebhookID: "wh_1", EventID: "evt_1",
			Status: herald.StatusPending, NextAttemptMS: herald.Millis(t0.Add(-time.Hour + time.Duration(i)*time.Millisecond))}
		d.Derive(t0, 0)
		actions.Create(d)
	}
	if err := actions.Do(ctx); err != nil {
		t.Fatal(err)
	}
	r := newRig(t)
	r.deliveries = deliveries
	s := r.scheduler(t, Config{Now: heraldtest.NewClock(t0).Now})
	n, err := s.Recover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != overdue {
		t.Errorf("Recover published %d jobs for %d overdue deliveries", n, overdue)
	}
	seen := map[int64]int{}
	for _, j := range r.receiveJobs(t, n) {
		seen[j.DeliveryID]++
	}
	if len(seen) != overdue {
		t.Errorf("%d distinct deliveries published, want %d", len(seen), overdue)
	}
	r.expectNoJob(t)
}
