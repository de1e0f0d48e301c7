package probe

import "fmt"

const appsPath = "/api/v1/admin/applications/"

// route is one admin API route and the scope it needs.
type route struct {
	method, path, scope string
	body                any
}

// routes lists every scoped route, with ids of the unbound fixtures; the
// deleting ones come last.
func routes(e *env) []route {
	h, d := e.hookAdmin, fmt.Sprint(e.deliveryA)
	hookA := hooksPath + e.hookA
	return []route{
		{"GET", hooksPath, read, nil},
		{"POST", hooksPath, write, map[string]any{"name": "x", "url": e.recv.URL + "/hook/scope", "validate": false}},
		{"GET", hooksPath + "events", read, nil},
		{"GET", path(h, ""), read, nil},
		{"PATCH", path(h, ""), write, map[string]any{"description": "scope probe"}},
		{"GET", hookA + "/deliveries", read, nil},
		{"GET", hookA + "/deliveries/" + d, read, nil},
		{"POST", hookA + "/deliveries/" + d + "/retry", write, nil},
		{"POST", path(h, "recover"), write, map[string]any{"since": "2026-01-01T00:00:00Z"}},
		{"POST", path(h, "rotate-secret"), write, nil},
		{"GET", path(h, "stats"), read, nil},
		{"POST", path(h, "test"), write, nil},
		{"POST", path(h, "pause"), write, nil},
		{"POST", path(h, "resume"), write, nil},
		{"POST", path(h, "validate"), write, nil},
		{"POST", "/api/v1/events", publish, map[string]any{"event_type": "probe.scope"}},
		{"GET", appsPath, admin, nil},
		{"POST", appsPath, admin, map[string]any{"name": "x", "scopes": []string{read}}},
		{"GET", appsPath + e.readOnly.ID, admin, nil},
		{"POST", appsPath + e.readOnly.ID + "/rotate-secret", admin, map[string]any{"grace_period": "24h"}},
		{"DELETE", path(h, ""), write, nil},
		{"DELETE", appsPath + e.publishOnly.ID, admin, nil},
	}
}

// scopeInputs are requests by tokens lacking the route's scope (403), and
// applications reaching for scopes they do not hold.
func scopeInputs(e *env) []input {
	var out []input
	for _, r := range routes(e) {
		for _, a := range []*app{e.readOnly, e.publishOnly, e.adminOnly} {
			if (&actor{app: a}).has(r.scope) {
				continue
			}
			out = append(out, input{"scope", fmt.Sprintf("%s %s by %s", r.method, r.path, a.name()), forbidden,
				statusOf(func(e *env) answer { return e.do(a.Token, r.method, r.path, r.body) })})
		}
	}
	return append(out, wideningInputs(e)...)
}

// wideningInputs are applications creating, deleting, rotating or patching
// applications with more scopes than their own.
func wideningInputs(e *env) []input {
	wider := func(tenant string) func(e *env) string {
		return func(e *env) string { return e.createApp(e.t, tenant, "", read, write, publish, admin).ID }
	}
	acts := []struct {
		name   string
		by     *app
		victim func(e *env) string
		method string
		sub    string
		body   any
	}{
		{"unbound admin:write deletes a wider app", e.adminOnly, wider(""), "DELETE", "", nil},
		{"tnt_a admin:write deletes a wider tnt_a app", e.tAAdmin, wider("tnt_a"), "DELETE", "", nil},
		{"unbound admin:write rotates a wider app", e.adminOnly, wider(""), "POST", "/rotate-secret", nil},
		{"tnt_a admin:write rotates a wider tnt_a app", e.tAAdmin, wider("tnt_a"), "POST", "/rotate-secret", nil},
		{"unbound admin:write patches a wider app's scopes", e.adminOnly, wider(""), "PATCH", "", map[string]any{"scopes": []string{admin}}},
	}
	var out []input
	for _, a := range acts {
		out = append(out, input{"scope", a.name, denied, func(e *env) result {
			return result{status: e.do(a.by.Token, a.method, appsPath+a.victim(e)+a.sub, a.body).status}
		}})
	}
	for _, c := range []struct {
		by     *app
		tenant string
		scopes []string
	}{
		{e.adminOnly, "", []string{admin, write}},
		{e.adminOnly, "", []string{read}},
		{e.tAAdmin, "tnt_a", []string{admin, publish}},
	} {
		out = append(out, input{"scope", fmt.Sprintf("%s creates an app with %v", c.by.name(), c.scopes), forbidden,
			statusOf(func(e *env) answer {
				body := map[string]any{"name": "wider", "scopes": c.scopes}
				if c.tenant != "" {
					body["tenant_id"] = c.tenant
				}
				return e.do(c.by.Token, "POST", appsPath, body)
			})})
	}
	return out
}
