package local_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// TestEventIDIsScopedToItsTenant publishes one event_id for two tenants
// through the admin API, on local mode's default drivers: both events are
// delivered, each under the id as published, and the tenant's repeat of its
// own id is a duplicate.
func TestEventIDIsScopedToItsTenant(t *testing.T) {
	t.Parallel()
	s := startSystem(t, localConfig(t, t.TempDir(), "memq", false))
	api := contract.NewAPI(t, s.BaseURL, s.Token)
	r := contract.NewReceiver(t, "X-Herald-")
	hook := api.CreateWebhook(r, map[string]any{"events": []string{"invoice.*"}})
	before, _ := s.IngestCounts()

	invoice := func(tenant string) map[string]any {
		return map[string]any{"event_id": "invoice-1001", "event_type": "invoice.paid", "tenant_id": tenant}
	}
	api.Publish(invoice("tnt_a"))
	r.WaitFor(1, 10*time.Second)
	api.Publish(invoice("tnt_a")) // a duplicate
	api.Publish(invoice("tnt_b")) // another tenant's event
	got := r.WaitFor(2, 10*time.Second)
	heraldtest.Eventually(t, 10*time.Second, func() bool {
		done, _ := s.IngestCounts()
		return done >= before+3
	}, "the three events were not all ingested")

	var tenants []string
	for _, g := range got {
		var body struct {
			TenantID string `json:"tenant_id"`
		}
		if err := json.Unmarshal(g.Body, &body); err != nil {
			t.Fatal(err)
		}
		tenants = append(tenants, body.TenantID)
		if id := g.Header.Get("webhook-id"); id != "invoice-1001" || !g.Verified {
			t.Errorf("webhook-id %q (verified %v), want the published invoice-1001", id, g.Verified)
		}
	}
	sort.Strings(tenants)
	if len(tenants) != 2 || tenants[0] != "tnt_a" || tenants[1] != "tnt_b" {
		t.Errorf("receiver got the events of %v, want tnt_a's and tnt_b's", tenants)
	}
	list := api.Deliveries(hook.ID, "")
	if list.Total != 2 {
		t.Fatalf("%d deliveries, want 2", list.Total)
	}
	for _, d := range list.Items {
		var one contract.Delivery
		path := "/api/v1/admin/webhooks/" + hook.ID + "/deliveries/" + strconv.FormatInt(d.ID, 10)
		if status := api.Do("GET", path, nil, &one); status != http.StatusOK {
			t.Fatalf("get delivery: %d", status)
		}
		if d.EventID != "invoice-1001" || one.EventID != "invoice-1001" || len(one.Payload) == 0 {
			t.Errorf("delivery %d: event_id %q / %q, payload %s", d.ID, d.EventID, one.EventID, one.Payload)
		}
	}
	if n := len(r.Got()); n != 2 {
		t.Errorf("receiver got %d requests, want 2", n)
	}
}
