package probe

import (
	"encoding/json"
	"fmt"
)

// tenancyInputs are requests across tenants and partners: other tenants'
// ids on every webhook sub-route (404), list filters naming other scopes
// (403), moving or stamping webhooks, events and applications outside the
// caller's binding (403), and event ids reused across scopes.
func tenancyInputs(e *env) []input {
	out := foreignIDInputs(e)
	out = append(out, filterInputs(e)...)
	out = append(out, bindingInputs(e)...)
	return append(out, duplicateIDInputs(e)...)
}

// foreignIDInputs try every webhook sub-route of another scope's webhook.
func foreignIDInputs(e *env) []input {
	// Each input makes its own victim, so one that got through (a delete,
	// a pause) does not change what the next one meets.
	type pair struct {
		by    *app
		owner string
		extra map[string]any
		who   string
	}
	ax := map[string]any{"tenant_id": "tnt_a", "partner_id": "ptn_x"}
	pairs := []pair{{e.tA, e.tB.Token, nil, "tnt_a on tnt_b's"}, {e.pX, e.pY.Token, nil, "ptn_x on ptn_y's"},
		{e.tA, e.pX.Token, nil, "tnt_a on ptn_x's"}, {e.pX, e.tA.Token, nil, "ptn_x on tnt_a's"},
		{e.tA, adminToken, ax, "tnt_a on tnt_a+ptn_x's"}, {e.pX, adminToken, ax, "ptn_x on tnt_a+ptn_x's"},
		{e.tA, adminToken, nil, "tnt_a on an unscoped"}}
	subs := []struct{ method, sub string }{
		{"GET", ""}, {"PATCH", ""}, {"GET", "deliveries"}, {"GET", "stats"}, {"POST", "rotate-secret"},
		{"POST", "test"}, {"POST", "pause"}, {"POST", "resume"}, {"POST", "validate"}, {"DELETE", ""},
	}
	var out []input
	for _, p := range pairs {
		for _, s := range subs {
			out = append(out, input{"tenancy", fmt.Sprintf("%s %s webhook %s", s.method, p.who, s.sub), notFound,
				statusOf(func(e *env) answer {
					var body any
					if s.method == "PATCH" {
						body = map[string]any{"description": "foreign"}
					}
					return e.do(p.by.Token, s.method, path(e.mustHook(p.owner, p.extra), s.sub), body)
				})})
		}
	}
	return append(out, foreignDeliveryInputs(e)...)
}

// foreignDeliveryInputs try another tenant's deliveries and applications.
func foreignDeliveryInputs(e *env) []input {
	var out []input
	dB, dA := fmt.Sprint(e.deliveryB), fmt.Sprint(e.deliveryA)
	for _, c := range []struct{ name, method, path string }{
		{"GET tnt_b's delivery on tnt_b's webhook", "GET", path(e.hookB, "deliveries/"+dB)},
		{"retry tnt_b's delivery on tnt_b's webhook", "POST", path(e.hookB, "deliveries/"+dB+"/retry")},
		{"GET tnt_b's delivery under its own webhook", "GET", path(e.hookA, "deliveries/"+dB)},
		{"retry tnt_b's delivery under its own webhook", "POST", path(e.hookA, "deliveries/"+dB+"/retry")},
		{"GET own delivery under tnt_b's webhook", "GET", path(e.hookB, "deliveries/"+dA)},
		{"GET tnt_b's application", "GET", appsPath + e.tB.ID},
		{"rotate tnt_b's application", "POST", appsPath + e.tB.ID + "/rotate-secret"},
	} {
		by := e.tA
		if c.path[:len(appsPath)] == appsPath {
			by = e.tAAdmin
		}
		out = append(out, input{"tenancy", "tnt_a: " + c.name, notFound,
			statusOf(func(e *env) answer { return e.do(by.Token, c.method, c.path, nil) })})
	}
	out = append(out, input{"tenancy", "tnt_a: DELETE ptn_x's application", notFound, statusOf(func(e *env) answer {
		return e.do(e.tAAdmin.Token, "DELETE", appsPath+e.createApp(e.t, "", "ptn_x", read).ID, nil)
	})})
	return out
}

// filterInputs are list filters naming another tenant or partner (403), or
// a dimension the caller is not bound on (403, or 200 with nothing listed:
// nothing outside its binding matches).
func filterInputs(e *env) []input {
	var out []input
	for _, c := range []struct {
		by          *app
		base, query string
		other       bool
	}{
		{e.tA, hooksPath, "tenant_id=tnt_b", true},
		{e.pX, hooksPath, "partner_id=ptn_y", true},
		{e.tAAdmin, appsPath, "tenant_id=tnt_b", true},
		{e.tA, hooksPath, "partner_id=ptn_x", false},
		{e.tA, hooksPath, "tenant_id=tnt_a&partner_id=ptn_x", false},
		{e.pX, hooksPath, "tenant_id=tnt_a", false},
		{e.tAAdmin, appsPath, "partner_id=ptn_x", false},
	} {
		name := fmt.Sprintf("%s lists %s?%s", c.by.name(), c.base, c.query)
		if c.other {
			out = append(out, input{"tenancy", name, forbidden,
				statusOf(func(e *env) answer { return e.do(c.by.Token, "GET", c.base+"?"+c.query, nil) })})
			continue
		}
		out = append(out, input{"tenancy", name, []int{200, 403}, func(e *env) result {
			ans := e.do(c.by.Token, "GET", c.base+"?"+c.query, nil)
			var l struct{ Items []json.RawMessage }
			if ans.status == 200 && ans.decode(&l) == nil && len(l.Items) > 0 {
				return result{status: 200, breach: fmt.Sprintf("%d items outside its binding listed", len(l.Items))}
			}
			return result{status: ans.status}
		}})
	}
	return out
}
