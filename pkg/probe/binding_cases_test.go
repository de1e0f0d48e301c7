package probe

import "fmt"

// bindingInputs are bound principals creating, moving or publishing outside
// their binding: each must be 403.
func bindingInputs(e *env) []input {
	out := createBindingInputs(e)
	out = append(out, patchBindingInputs(e)...)
	out = append(out, publishBindingInputs(e)...)
	return append(out, appBindingInputs()...)
}

// createBindingInputs create webhooks naming another scope, or a dimension
// the creator is not bound on.
func createBindingInputs(e *env) []input {
	creates := []struct {
		by    *app
		extra map[string]any
	}{
		{e.tA, map[string]any{"partner_id": "ptn_x"}},
		{e.tA, map[string]any{"tenant_id": "tnt_b"}},
		{e.pX, map[string]any{"tenant_id": "tnt_b"}},
		{e.pX, map[string]any{"partner_id": "ptn_y"}},
	}
	var out []input
	for _, c := range creates {
		out = append(out, input{"tenancy", fmt.Sprintf("%s creates a webhook with %v", c.by.name(), c.extra), forbidden,
			func(e *env) result { ans, _, _ := e.hook(c.by.Token, c.extra); return result{status: ans.status} }})
	}
	return out
}

// patchBindingInputs move a principal's own webhook out of its binding.
func patchBindingInputs(e *env) []input {
	patches := []struct {
		by    *app
		patch map[string]any
	}{
		{e.pX, map[string]any{"tenant_id": "tnt_b"}},
		{e.tA, map[string]any{"partner_id": "ptn_y"}},
		{e.tA, map[string]any{"tenant_id": "tnt_b"}},
		{e.tA, map[string]any{"tenant_id": ""}},
		{e.pX, map[string]any{"partner_id": ""}},
	}
	var out []input
	for _, p := range patches {
		out = append(out, input{"tenancy", fmt.Sprintf("%s patches its own webhook with %v", p.by.name(), p.patch), forbidden,
			func(e *env) result {
				id := e.mustHook(p.by.Token, nil)
				return result{status: e.do(p.by.Token, "PATCH", hooksPath+id, p.patch).status}
			}})
	}
	return out
}

// publishBindingInputs publish events naming another scope.
func publishBindingInputs(e *env) []input {
	events := []struct {
		by    *app
		scope map[string]any
	}{
		{e.tA, map[string]any{"tenant_id": "tnt_b"}},
		{e.tA, map[string]any{"partner_id": "ptn_x"}},
		{e.pX, map[string]any{"tenant_id": "tnt_a"}},
		{e.pX, map[string]any{"partner_id": "ptn_y"}},
		{e.tA, map[string]any{"tenant_id": ""}},
	}
	var out []input
	for _, ev := range events {
		out = append(out, input{"tenancy", fmt.Sprintf("%s publishes with %v", ev.by.name(), ev.scope), forbidden,
			statusOf(func(e *env) answer {
				body := map[string]any{"event_type": "probe.scope"}
				for k, v := range ev.scope {
					body[k] = v
				}
				return e.do(ev.by.Token, "POST", "/api/v1/events", body)
			})})
	}
	return out
}

// appBindingInputs create applications with another binding than the
// creator's.
func appBindingInputs() []input {
	var out []input
	for _, scope := range []map[string]any{{"partner_id": "ptn_x"}, {"tenant_id": "tnt_b"}} {
		out = append(out, input{"tenancy", fmt.Sprintf("tnt_a admin:write creates an app with %v", scope), forbidden,
			statusOf(func(e *env) answer {
				body := map[string]any{"name": "outside", "scopes": []string{admin}}
				for k, v := range scope {
					body[k] = v
				}
				return e.do(e.tAAdmin.Token, "POST", appsPath, body)
			})})
	}
	return out
}

// duplicateIDInputs publish one event id from two scopes: the second
// scope's webhook must still get its event.
func duplicateIDInputs(e *env) []input {
	var out []input
	for _, c := range []struct {
		name        string
		first, then *app
	}{
		{"event_id of tnt_a reused by tnt_b", e.tA, e.tB},
		{"event_id of ptn_x reused by ptn_y", e.pX, e.pY},
		{"event_id of tnt_a reused by ptn_x", e.tA, e.pX},
	} {
		out = append(out, input{"tenancy", c.name, nil, func(e *env) result {
			id := "evt_probe_dup_" + e.key()
			_, _, firstKey := e.hook(c.first.Token, nil)
			_, _, thenKey := e.hook(c.then.Token, nil)
			for _, a := range []*app{c.first, c.then} {
				if ans := e.do(a.Token, "POST", "/api/v1/events", map[string]any{"event_type": "probe.dup", "event_id": id}); ans.status != 202 {
					return result{status: ans.status, breach: "publish refused"}
				}
				if key := map[*app]string{c.first: firstKey, c.then: thenKey}[a]; !e.received(key, id) {
					return result{status: 202, breach: a.name() + "'s event was never delivered to its webhook"}
				}
			}
			return result{status: 202}
		}})
	}
	return out
}
