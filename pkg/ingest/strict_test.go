package ingest_test

import (
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

// TestHandleRefusesAmbiguousEnvelopesAsMalformed: from the ingest topic, an
// envelope that is not UTF-8, repeats a reserved key in another case or
// carries a control character in an id is malformed (acknowledged, logged
// and counted by the adapters, never retried) and stores nothing.
func TestHandleRefusesAmbiguousEnvelopesAsMalformed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addWebhook(t, "wh_a", nil)
	for _, body := range []string{
		"{\"event_id\":\"evt_1\",\"event_type\":\"order.created\",\"data\":\"\xff\"}",
		`{"event_id":"evt_1","event_type":"order.created","tenant_id":"tnt_a","TENANT_ID":"tnt_b"}`,
		`{"event_id":"evt_1","event_type":"order.created","event_ID":"evt_2"}`,
		`{"event_id":"evt_1","event_type":"order.created","tenant_id":"tnt_a\u0000"}`,
		`{"event_id":"evt_1","event_type":"order.created","partner_id":"p\u001f"}`,
	} {
		if err := f.handle(body); !herald.IsMalformed(err) {
			t.Errorf("Handle(%q) = %v, want malformed", body, err)
		}
	}
	if ds := f.allDeliveries(t); len(ds) != 0 {
		t.Errorf("%d deliveries, want none", len(ds))
	}
	if ev := f.event(t, "evt_1"); ev != nil {
		t.Errorf("event stored: %+v", ev)
	}
}
