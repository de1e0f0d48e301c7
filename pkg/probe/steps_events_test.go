package probe

import (
	"encoding/json"
	"fmt"
)

func (r *run) publish(a *actor) {
	body := map[string]any{"event_type": "probe.step", "data": map[string]any{"step": r.step}}
	ev := scope{a.TenantID, a.PartnerID}
	// Name a scope in one event of three; the others are stamped with the
	// publisher's binding, so that most events are accepted and delivered.
	if r.rng.IntN(3) == 0 {
		if v, ok := r.pickName(a.TenantID, tenants); ok {
			body["tenant_id"], ev.tenant = v, v
		}
		if v, ok := r.pickName(a.PartnerID, partners); ok {
			body["partner_id"], ev.partner = v, v
		}
	}
	id := fmt.Sprintf("evt_probe_%d_%d", r.seed, r.step)
	if len(r.m.events) > 0 && r.rng.IntN(3) == 0 {
		id = r.m.events[r.rng.IntN(len(r.m.events))]
	}
	body["event_id"] = id
	ans := r.s.do(a.Token, "POST", "/api/v1/events", body)
	if !r.answered(a, "publish", ans, publish) {
		return
	}
	if !a.inside(ev.tenant, ev.partner) {
		r.flag(a, "published outside binding", "event %s for %s accepted", id, ev)
	}
	r.m.events = append(r.m.events, id)
}

// deliveryView is the part of a delivery answer the oracle reads.
type deliveryView struct {
	ID        int64           `json:"id"`
	WebhookID string          `json:"webhook_id"`
	Payload   json.RawMessage `json:"payload"`
}

func (r *run) deliveries(a *actor) {
	h := r.pickHook()
	if h == nil {
		return
	}
	ans := r.s.do(a.Token, "GET", hooksPath+h.id+"/deliveries?per_page=100", nil)
	var l struct{ Items []deliveryView }
	if !r.answered(a, "list deliveries", ans, read) || ans.decode(&l) != nil {
		return
	}
	if !a.inside(h.scope.tenant, h.scope.partner) {
		r.flag(a, "saw outside binding", "listed the deliveries of webhook %s of %s", h.id, h.scope)
	}
	known := map[int64]bool{}
	for _, id := range h.deliveries {
		known[id] = true
	}
	for _, d := range l.Items {
		if d.WebhookID != h.id {
			r.flag(a, "saw outside binding", "webhook %s lists delivery %d of webhook %s", h.id, d.ID, d.WebhookID)
		}
		if !known[d.ID] {
			h.deliveries = append(h.deliveries, d.ID)
		}
	}
}

func (r *run) delivery(a *actor) {
	var with []*hook
	for _, h := range r.m.hooks {
		if len(h.deliveries) > 0 {
			with = append(with, h)
		}
	}
	if len(with) == 0 {
		return
	}
	h := with[r.rng.IntN(len(with))]
	id := h.deliveries[r.rng.IntN(len(h.deliveries))]
	ans := r.s.do(a.Token, "GET", fmt.Sprintf("%s%s/deliveries/%d", hooksPath, h.id, id), nil)
	var d deliveryView
	if !r.answered(a, "read delivery", ans, read) || ans.decode(&d) != nil {
		return
	}
	if !a.inside(h.scope.tenant, h.scope.partner) {
		r.flag(a, "saw outside binding", "read delivery %d of webhook %s of %s", id, h.id, h.scope)
	}
	if len(d.Payload) == 0 {
		return
	}
	r.payloads++
	if ev, err := eventScope(d.Payload); err != nil || !h.reaches(ev) {
		r.flag(a, "payload outside scope", "delivery %d of webhook %s (scopes %v) carries an event of %s",
			id, h.id, h.history, ev)
	}
}

// checkReceipts checks what the receivers got since the last check: each
// delivery reached a webhook whose scope covers its event, and verifies with
// the official Standard Webhooks library under one of the webhook's secrets.
func (r *run) checkReceipts() {
	root := r.cast[0]
	for _, rc := range r.recv.since(r.m.seen) {
		r.m.seen++
		h := r.m.byKey[rc.key]
		if h == nil {
			r.flag(root, "received outside scope", "a delivery to /hook/%s, a webhook never created", rc.key)
			continue
		}
		if ev, err := eventScope(rc.body); err != nil || !h.reaches(ev) {
			r.flag(root, "received outside scope", "webhook %s (scopes %v) received an event of %s: %s",
				h.id, h.history, ev, rc.body)
		}
		if !rc.verified(h.secrets) {
			r.flag(root, "signature", "delivery to webhook %s does not verify under its secrets", h.id)
		}
	}
}
