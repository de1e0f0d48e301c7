package probe

import (
	"fmt"
	"net/url"
)

// op is one kind of step, with its weight in the random choice.
type op struct {
	name   string
	weight int
	do     func(*run, *actor)
}

var ops = []op{
	{"create webhook", 15, (*run).create},
	{"patch webhook", 15, (*run).patch},
	{"get webhook", 10, (*run).get},
	{"delete webhook", 4, (*run).remove},
	{"rotate secret", 5, (*run).rotate},
	{"list webhooks", 10, (*run).list},
	{"publish event", 22, (*run).publish},
	{"list deliveries", 10, (*run).deliveries},
	{"read delivery", 10, (*run).delivery},
}

func (r *run) pickOp() op {
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	n := r.rng.IntN(total)
	for _, o := range ops {
		if n -= o.weight; n < 0 {
			return o
		}
	}
	return ops[0]
}

// pickName chooses what a request names for one dimension whose own value
// is own: nothing, its own value, any of all, or an explicit "".
func (r *run) pickName(own string, all []string) (value string, named bool) {
	switch r.rng.IntN(6) {
	case 0, 1:
		return "", false
	case 2:
		if own != "" {
			return own, true
		}
		return all[r.rng.IntN(len(all))], true
	case 3, 4:
		return all[r.rng.IntN(len(all))], true
	}
	return "", true
}

// nameScope names a tenant and a partner in body, at random.
func (r *run) nameScope(a *actor, body map[string]any) {
	if v, ok := r.pickName(a.TenantID, tenants); ok {
		body["tenant_id"] = v
	}
	if v, ok := r.pickName(a.PartnerID, partners); ok {
		body["partner_id"] = v
	}
}

// pickHook chooses any webhook the model knows, deleted ones included; nil
// when there is none.
func (r *run) pickHook() *hook {
	if len(r.m.hooks) == 0 {
		return nil
	}
	return r.m.hooks[r.rng.IntN(len(r.m.hooks))]
}

// answered checks what every answer must hold: no server error, and a
// success only for an actor holding the route's scope.
func (r *run) answered(a *actor, what string, ans answer, scope string) bool {
	if ans.status >= 500 || ans.status == 0 {
		r.flag(a, "server error", "%s: %d %s", what, ans.status, ans.body)
	}
	if ans.ok() && !a.has(scope) {
		r.flag(a, "scope", "%s succeeded (%d) without %s", what, ans.status, scope)
	}
	return ans.ok()
}

func (r *run) create(a *actor) {
	r.keys++
	key := fmt.Sprint(r.keys)
	body := map[string]any{"name": "probe " + key, "url": r.recv.URL + "/hook/" + key,
		"validate": false, "retry_schedule": []string{"1s"}}
	r.nameScope(a, body)
	ans := r.s.do(a.Token, "POST", hooksPath, body)
	var v webhookView
	if !r.answered(a, "create", ans, write) || ans.decode(&v) != nil {
		return
	}
	if !a.inside(v.scope().tenant, v.scope().partner) {
		r.flag(a, "created outside binding", "webhook %s %s (asked %v)", v.ID, v.scope(), body)
	}
	h := &hook{key: key, id: v.ID, secrets: []string{v.Secret}}
	h.move(v.scope())
	r.m.add(h)
}

func (r *run) patch(a *actor) {
	h := r.pickHook()
	if h == nil {
		return
	}
	before := h.scope
	body := map[string]any{"description": fmt.Sprintf("step %d", r.step)}
	if r.rng.IntN(2) == 0 {
		r.nameScope(a, body)
	}
	ans := r.s.do(a.Token, "PATCH", hooksPath+h.id, body)
	var v webhookView
	if !r.answered(a, "patch", ans, write) || ans.decode(&v) != nil {
		return
	}
	if !a.inside(before.tenant, before.partner) {
		r.flag(a, "changed outside binding", "patched webhook %s of %s", h.id, before)
	}
	if after := v.scope(); !a.inside(after.tenant, after.partner) {
		r.flag(a, "moved outside binding", "webhook %s moved from %s to %s (asked %v)", h.id, before, after, body)
	}
	h.move(v.scope())
}

func (r *run) get(a *actor) {
	h := r.pickHook()
	if h == nil {
		return
	}
	ans := r.s.do(a.Token, "GET", hooksPath+h.id, nil)
	var v webhookView
	if !r.answered(a, "get", ans, read) || ans.decode(&v) != nil {
		return
	}
	if sc := v.scope(); !a.inside(h.scope.tenant, h.scope.partner) || !a.inside(sc.tenant, sc.partner) {
		r.flag(a, "saw outside binding", "read webhook %s of %s", h.id, sc)
	}
}

func (r *run) remove(a *actor) {
	h := r.pickHook()
	if h == nil {
		return
	}
	ans := r.s.do(a.Token, "DELETE", hooksPath+h.id, nil)
	if !r.answered(a, "delete", ans, write) {
		return
	}
	if !a.inside(h.scope.tenant, h.scope.partner) && !h.deleted {
		r.flag(a, "changed outside binding", "deleted webhook %s of %s", h.id, h.scope)
	}
	h.deleted = true
}

func (r *run) rotate(a *actor) {
	h := r.pickHook()
	if h == nil {
		return
	}
	ans := r.s.do(a.Token, "POST", hooksPath+h.id+"/rotate-secret", map[string]any{"grace_period": "24h"})
	var v webhookView
	if !r.answered(a, "rotate", ans, write) || ans.decode(&v) != nil {
		return
	}
	if !a.inside(h.scope.tenant, h.scope.partner) {
		r.flag(a, "changed outside binding", "rotated the secret of webhook %s of %s", h.id, h.scope)
	}
	h.secrets = append(h.secrets, v.Secret)
}

func (r *run) list(a *actor) {
	q := url.Values{"per_page": {"100"}}
	if v, ok := r.pickName(a.TenantID, tenants); ok && v != "" {
		q.Set("tenant_id", v)
	}
	if v, ok := r.pickName(a.PartnerID, partners); ok && v != "" {
		q.Set("partner_id", v)
	}
	ans := r.s.do(a.Token, "GET", hooksPath+"?"+q.Encode(), nil)
	var l struct{ Items []webhookView }
	if !r.answered(a, "list", ans, read) || ans.decode(&l) != nil {
		return
	}
	for _, v := range l.Items {
		if sc := v.scope(); !a.inside(sc.tenant, sc.partner) {
			r.flag(a, "saw outside binding", "listed webhook %s of %s (query %s)", v.ID, sc, q.Encode())
		}
	}
}
