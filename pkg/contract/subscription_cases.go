package contract

import (
	"encoding/json"
	"testing"
)

// testSubscriptions checks wildcards, categories, tenant scope and a filter
// end to end; every combination is table-tested in package match.
func testSubscriptions(t *testing.T, b Backend) {
	_, api := start(t, b)
	type hook struct {
		r    *Receiver
		want []string // event ids it must get, in any order
	}
	mk := func(body map[string]any) *hook {
		h := &hook{r: NewReceiver(t, "X-Herald-")}
		api.CreateWebhook(h.r, body)
		return h
	}
	wild := mk(map[string]any{"events": []string{"secret.**"}})
	cat := mk(map[string]any{"categories": []string{"SHARING"}})
	tenant := mk(map[string]any{"tenant_id": "tnt_a"})
	filtered := mk(map[string]any{"events": []string{"secret.*"}, "filters": []map[string]any{
		{"field": "path", "op": "prefix", "value": "environments/production/"}}})

	events := []map[string]any{
		{"event_id": "e1", "event_type": "secret.rotated", "tenant_id": "tnt_a", "path": "environments/production/db"},
		{"event_id": "e2", "event_type": "secret.version.created", "tenant_id": "tnt_b", "path": "environments/staging/db"},
		{"event_id": "e3", "event_type": "share.member_added", "category": "SHARING", "tenant_id": "tnt_b"},
		{"event_id": "e4", "event_type": "policy.created", "tenant_id": "tnt_a"},
	}
	wild.want = []string{"e1", "e2"}
	cat.want = []string{"e3"}
	tenant.want = []string{"e1", "e4"}
	filtered.want = []string{"e1"}
	for _, ev := range events {
		api.Publish(ev)
	}
	// A last event every hook but the filtered one gets marks the end.
	api.Publish(map[string]any{"event_id": "end", "event_type": "secret.end", "category": "SHARING", "tenant_id": "tnt_a"})
	for _, h := range []*hook{wild, cat, tenant} {
		h.want = append(h.want, "end")
	}
	for name, h := range map[string]*hook{"secret.**": wild, "category": cat, "tenant": tenant, "filter": filtered} {
		got := h.r.WaitFor(len(h.want), wait)
		ids := map[string]bool{}
		for _, g := range got {
			var ev struct {
				EventID string `json:"event_id"`
			}
			_ = json.Unmarshal(g.Body, &ev)
			ids[ev.EventID] = true
		}
		for _, id := range h.want {
			if !ids[id] {
				t.Errorf("%s webhook did not get %s (got %v)", name, id, ids)
			}
		}
		if len(got) != len(h.want) {
			t.Errorf("%s webhook got %d events %v, want %v", name, len(got), ids, h.want)
		}
	}
}
