package admin_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestPauseResumeReleasesHeldOldestFirst pauses a webhook (twice: the second
// changes nothing and emits nothing), stores held deliveries newest first,
// and resumes: the deliveries are enqueued oldest first and the audit events
// say what happened.
func TestPauseResumeReleasesHeldOldestFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	id := f.createWebhook(t, adminToken, map[string]any{"tenant_id": "tnt_a"})["id"].(string)
	f.publishedOfType(t, herald.EventEndpointCreated)

	var view map[string]any
	for range 2 {
		if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/pause"), nil, &view); status != http.StatusOK ||
			view["paused"] != true || view["held"] != float64(0) {
			t.Fatalf("pause: %d %s", status, raw)
		}
	}
	if ev := f.published(t); ev["event_type"] != herald.EventEndpointPaused || ev["tenant_id"] != "tnt_a" {
		t.Errorf("first event after pausing = %v", ev)
	}
	f.assertNothingPublished(t) // the second pause changed nothing

	ids := []int64{3000, 2000, 1000} // stored newest first
	for _, did := range ids {
		d := &herald.Delivery{ID: did, WebhookID: id, EventID: "evt_x", EventType: "order.created",
			Status: herald.StatusPaused, CreatedMS: did}
		d.Derive(time.Now(), 0)
		if err := f.deliveries.Create(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	var held map[string]any
	f.do(t, adminToken, "POST", hookPath(id, "/pause"), nil, &held)
	if held["held"] != float64(3) {
		t.Errorf("held = %v, want 3", held["held"])
	}

	if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/resume"), nil, &view); status != http.StatusOK ||
		view["paused"] != false || view["held"] != float64(0) {
		t.Fatalf("resume: %d %s", status, raw)
	}
	jobs := f.enq.Got()
	if len(jobs) != 3 || jobs[0].Job.DeliveryID != 1000 || jobs[1].Job.DeliveryID != 2000 || jobs[2].Job.DeliveryID != 3000 {
		t.Errorf("enqueued %+v, want 1000, 2000, 3000 in that order", jobs)
	}
	if ev := f.published(t); ev["event_type"] != herald.EventEndpointResumed {
		t.Errorf("event after resuming = %v", ev)
	}
	if f.stored(t, id).Paused {
		t.Error("the stored webhook is still paused")
	}
	// Resuming again sends nothing more and emits nothing.
	if status, _ := f.do(t, adminToken, "POST", hookPath(id, "/resume"), nil, nil); status != http.StatusOK {
		t.Errorf("second resume: %d", status)
	}
	if n := len(f.enq.Got()); n != 3 {
		t.Errorf("second resume enqueued %d more jobs", n-3)
	}
	f.assertNothingPublished(t)
}

func TestPatchPausedEmitsPauseAudit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	id := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)
	f.publishedOfType(t, herald.EventEndpointCreated)
	for _, tc := range []struct {
		paused bool
		want   string
	}{{true, herald.EventEndpointPaused}, {false, herald.EventEndpointResumed}} {
		if status, raw := f.do(t, adminToken, "PATCH", hookPath(id, ""), map[string]any{"paused": tc.paused}, nil); status != http.StatusOK {
			t.Fatalf("patch: %d %s", status, raw)
		}
		// The topic does not promise an order: compare the pair as a set.
		got := map[any]bool{f.published(t)["event_type"]: true, f.published(t)["event_type"]: true}
		if !got[herald.EventEndpointUpdated] || !got[tc.want] {
			t.Errorf("events of the patch = %v, want %s and %s", got, herald.EventEndpointUpdated, tc.want)
		}
	}
	// A patch that leaves paused as it is emits the update only.
	f.do(t, adminToken, "PATCH", hookPath(id, ""), map[string]any{"paused": false, "name": "renamed"}, nil)
	if ev := f.published(t); ev["event_type"] != herald.EventEndpointUpdated {
		t.Errorf("event of the patch = %v", ev["event_type"])
	}
	f.assertNothingPublished(t)
}

func TestPauseResumeUnknownWebhook(t *testing.T) {
	t.Parallel()
	f := newFixture(t, admin.Config{})
	for _, op := range []string{"/pause", "/resume", "/validate", "/test", "/rotate-secret"} {
		if status, _ := f.do(t, adminToken, "POST", hookPath("wh_missing", op), nil, nil); status != http.StatusNotFound {
			t.Errorf("POST %s on an unknown webhook: %d, want 404", op, status)
		}
	}
	if status, _ := f.do(t, adminToken, "GET", hookPath("wh_missing", "/stats"), nil, nil); status != http.StatusNotFound {
		t.Errorf("GET /stats on an unknown webhook: %d, want 404", status)
	}
}
