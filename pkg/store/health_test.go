package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/store"
)

// TestRecordHealthKeepsAnEventWhosePublishFailed: the write that marks an
// endpoint unhealthy keeps the event it decided; when its publish fails,
// the event stays on the webhook and the next write of the health (here a
// success) publishes it before the recovered event it decides, so neither
// is lost and they go out in order.
func TestRecordHealthKeepsAnEventWhosePublishFailed(t *testing.T) {
	ctx := context.Background()
	s := store.WebhookWrites{Coll: heraldtest.Collection(t)}
	if err := s.Create(ctx, &herald.Webhook{ID: "wh_1", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	down := errors.New("ingest topic down")
	var published []string
	publish := func(failing bool) func(w *herald.Webhook) error {
		return func(w *herald.Webhook) error {
			if failing {
				return down
			}
			published = append(published, w.HealthEvent.Type)
			return nil
		}
	}
	mark := func(w *herald.Webhook) bool {
		w.ConsecutiveFailures, w.FailingSinceMS, w.Unhealthy = 3, 5, true
		w.HealthEvent = &herald.HealthEvent{Type: herald.EventEndpointUnhealthy, RunMS: 5, Failures: 3}
		return true
	}
	if _, err := s.RecordHealth(ctx, "wh_1", publish(true), mark); !errors.Is(err, down) {
		t.Fatalf("record with the publish failing: %v, want it returned", err)
	}
	w, err := s.Get(ctx, "wh_1")
	if err != nil || !w.Unhealthy || w.HealthEvent == nil || w.HealthEvent.Type != herald.EventEndpointUnhealthy {
		t.Fatalf("after the failed publish: %+v %v, want marked with the event kept", w, err)
	}
	reset := func(w *herald.Webhook) bool {
		w.HealthEvent = &herald.HealthEvent{Type: herald.EventEndpointRecovered, RunMS: w.FailingSinceMS}
		w.ConsecutiveFailures, w.FailingSinceMS, w.Unhealthy = 0, 0, false
		return true
	}
	if _, err := s.RecordHealth(ctx, "wh_1", publish(false), reset); err != nil {
		t.Fatal(err)
	}
	if len(published) != 2 || published[0] != herald.EventEndpointUnhealthy || published[1] != herald.EventEndpointRecovered {
		t.Errorf("published %v, want the kept unhealthy event, then recovered", published)
	}
	if w, err := s.Get(ctx, "wh_1"); err != nil || w.HealthEvent != nil || w.Unhealthy || w.ConsecutiveFailures != 0 {
		t.Errorf("after the success: %+v %v, want healthy with no event left", w, err)
	}
}
