package ingest_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// evt1Key is orderCreated's key in the events collection.
var evt1Key = herald.EventKey("evt_1", "tnt_1", "")

const orderCreated = `{"event_id":"evt_1","event_type":"order.created","timestamp":"2026-04-23T13:59:00Z","tenant_id":"tnt_1",` +
	`"data":{"total":5},"x_custom":{"kept":true}}`

func TestHandleCreatesOneDeliveryPerMatchingWebhook(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addWebhook(t, "wh_a", func(w *herald.Webhook) { w.Events = []string{"order.*"} })
	f.addWebhook(t, "wh_b", nil) // no selection: every event
	f.addWebhook(t, "wh_c", func(w *herald.Webhook) { w.Events = []string{"order.*"}; w.Enabled = false })
	f.addWebhook(t, "wh_d", func(w *herald.Webhook) { w.Events = []string{"invoice.*"} })
	f.addWebhook(t, "wh_e", func(w *herald.Webhook) { w.TenantID = "tnt_other" })
	f.addWebhook(t, "wh_f", func(w *herald.Webhook) { w.TenantID = "tnt_1" })

	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}

	ds := f.allDeliveries(t)
	if got, want := webhookIDs(ds), []string{"wh_a", "wh_b", "wh_f"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("deliveries for %v, want %v", got, want)
	}
	wantJobs := map[herald.Job]bool{}
	for _, d := range ds {
		if d.ID <= 0 || d.EventID != "evt_1" || d.EventType != "order.created" || d.TenantID != "tnt_1" ||
			d.Status != herald.StatusPending || d.NextAttemptMS != herald.Millis(t0) || d.AttemptCount != 0 ||
			len(d.Attempts) != 0 || d.CreatedMS != herald.Millis(t0) {
			t.Errorf("delivery = %+v", d)
		}
		wantJobs[herald.Job{DeliveryID: d.ID, Attempt: 1}] = true
	}
	if len(wantJobs) != len(ds) {
		t.Errorf("delivery ids are not distinct: %v", wantJobs)
	}
	got := f.enq.Got()
	if len(got) != len(ds) {
		t.Fatalf("enqueued %+v, want one job per delivery", got)
	}
	for _, e := range got {
		if !wantJobs[e.Job] || !e.Due.Equal(t0) {
			t.Errorf("enqueued %+v, want attempt 1 of a created delivery, due now (%v)", e, t0)
		}
		delete(wantJobs, e.Job)
	}

	ev := f.event(t, evt1Key)
	if ev == nil || !ev.FannedOut || ev.Payload != orderCreated || ev.Type != "order.created" || ev.TenantID != "tnt_1" {
		t.Errorf("stored event = %+v", ev)
	}
}

func TestHandleRepeatedEventIDCreatesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addWebhook(t, "wh_a", nil)
	if err := f.handle(orderCreated); err != nil {
		t.Fatal(err)
	}
	for _, again := range []string{
		orderCreated,
		// The id within its tenant decides, not the content.
		`{"event_id":"evt_1","event_type":"order.cancelled","tenant_id":"tnt_1"}`,
	} {
		if err := f.handle(again); err != nil {
			t.Fatalf("Handle(%s) = %v", again, err)
		}
	}
	if n := len(f.allDeliveries(t)); n != 1 {
		t.Errorf("%d deliveries, want 1", n)
	}
	if n := len(f.enq.Got()); n != 1 {
		t.Errorf("%d jobs enqueued, want 1", n)
	}
	if ev := f.event(t, evt1Key); ev == nil || ev.Type != "order.created" {
		t.Errorf("stored event = %+v, want the first one kept", ev)
	}
}

func TestHandleInvalidEnvelopeIsMalformed(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		"",
		"not json",
		"[]",
		"{}",
		`{"event_type":"Not.Valid"}`,
		`{"event_type":"a.b","tenant_id":5}`,
		`{"event_type":"a.b","category":"NOT_A_CATEGORY"}`,
		`{"event_type":"a.b","data":"` + strings.Repeat("x", 300<<10) + `"}`, // over 256 KiB
	} {
		f := newFixture(t)
		f.addWebhook(t, "wh_a", nil)
		if err := f.handle(body); !herald.IsMalformed(err) {
			t.Errorf("Handle(%.40q) = %v, want a malformed error", body, err)
		}
		if n, m, e := heraldtest.Count(t, f.events), heraldtest.Count(t, f.deliveries), len(f.enq.Got()); n+m+e != 0 {
			t.Errorf("Handle(%.40q) stored %d events and %d deliveries and enqueued %d jobs", body, n, m, e)
		}
	}
}
