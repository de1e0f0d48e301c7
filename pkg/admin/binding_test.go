package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/herald"
)

// scope is a (tenant_id, partner_id) pair; "" is none.
type scope struct{ tenant, partner string }

func (s scope) String() string { return fmt.Sprintf("(%q,%q)", s.tenant, s.partner) }

// body returns the scope as a request body's fields, leaving out empty ones.
func (s scope) body() map[string]any {
	b := map[string]any{}
	if s.tenant != "" {
		b["tenant_id"] = s.tenant
	}
	if s.partner != "" {
		b["partner_id"] = s.partner
	}
	return b
}

// scopeOf returns the scope a view or an envelope shows.
func scopeOf(m map[string]any) scope {
	t, _ := m["tenant_id"].(string)
	p, _ := m["partner_id"].(string)
	return scope{t, p}
}

// bindings are the bound principals the tests act as, and scopes the
// resources they are tried against: every pair of a tenant or none and a
// partner or none that differs from a binding on one dimension or two.
var (
	bindings = []scope{{"tnt_a", ""}, {"", "ptn_a"}, {"tnt_a", "ptn_a"}}
	scopes7  = []scope{{"tnt_a", ""}, {"", "ptn_a"}, {"tnt_a", "ptn_a"}, {"tnt_b", "ptn_a"},
		{"tnt_a", "ptn_b"}, {"tnt_b", ""}, {"", ""}}
)

// boundToken returns a token of an application bound to b with every scope.
func (f *fixture) boundToken(t *testing.T, b scope) string {
	t.Helper()
	body := b.body()
	body["scopes"] = scopes(herald.ScopeWebhooksWrite, herald.ScopeEventsPublish, herald.ScopeAdminWrite)
	return f.issue(t, f.createApp(t, adminToken, body), "")
}

// TestBoundPrincipalReachesExactlyItsScope: a bound principal sees and acts
// on a webhook only when the webhook's scope is exactly its binding; a
// partner-only principal does not reach a webhook of its partner that also
// names a tenant (that tenant's deliveries), a tenant-only one does not
// reach one that also names a partner. Every webhook route answers 404
// outside the binding, and lists show exactly the binding's webhooks and
// applications.
func TestBoundPrincipalReachesExactlyItsScope(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	hooks, apps, deliveries := map[scope]string{}, map[scope]string{}, map[scope]string{}
	for _, s := range scopes7 {
		id := f.createWebhook(t, adminToken, s.body())["id"].(string)
		hooks[s] = id
		deliveries[s] = putDelivery(t, f, id, len(hooks))
		body := s.body()
		body["scopes"] = scopes(herald.ScopeWebhooksRead)
		apps[s] = f.createApp(t, adminToken, body)["id"].(string)
	}
	for _, b := range bindings {
		tok := f.boundToken(t, b)
		t.Run(b.String(), func(t *testing.T) {
			assertListsExactly(t, f, tok, b, hooksPath)
			assertListsExactly(t, f, tok, b, appsPath)
			for _, s := range scopes7 {
				assertRoutes(t, f, tok, hooks[s], apps[s], deliveries[s], s == b)
			}
		})
	}
	for s, id := range hooks {
		if s != bindings[0] && s != bindings[1] && s != bindings[2] {
			if st := f.status(t, adminToken, "GET", hooksPath+id, nil); st != http.StatusOK {
				t.Errorf("webhook of %v: %d after the bound principals' requests", s, st)
			}
		}
	}
}

// assertListsExactly checks that the list at path shows tok only items of
// scope b, at least one.
func assertListsExactly(t *testing.T, f *fixture, tok string, b scope, path string) {
	t.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
		Total int              `json:"total"`
	}
	if s, raw := f.do(t, tok, "GET", path, nil, &page); s != http.StatusOK || page.Total != len(page.Items) || page.Total == 0 {
		t.Fatalf("list %s: %d %s", path, s, raw)
	}
	for _, it := range page.Items {
		if scopeOf(it) != b {
			t.Errorf("list %s shows %v of scope %v", path, it["id"], scopeOf(it))
		}
	}
}

// assertRoutes sends every webhook route about webhook id (d one of its
// deliveries) and the application routes about app, and checks each answers
// 404 exactly when !visible.
func assertRoutes(t *testing.T, f *fixture, tok, id, app, d string, visible bool) {
	t.Helper()
	type route struct {
		method, path string
		body         any
	}
	hook := hooksPath + id
	routes := []route{
		{"GET", hook, nil}, {"PATCH", hook, map[string]any{"name": "renamed"}},
		{"GET", hook + "/deliveries", nil}, {"GET", hook + "/deliveries/" + d, nil},
		{"POST", hook + "/deliveries/" + d + "/retry", nil}, {"POST", hook + "/rotate-secret", nil},
		{"POST", hook + "/recover", map[string]any{"since": "2026-01-01T00:00:00Z"}},
		{"GET", hook + "/stats", nil}, {"POST", hook + "/test", nil}, {"POST", hook + "/pause", nil},
		{"POST", hook + "/resume", nil}, {"POST", hook + "/validate", nil},
		{"GET", appsPath + app, nil}, {"POST", appsPath + app + "/rotate-secret", nil},
		{"DELETE", appsPath + app, nil}, {"DELETE", hook, nil},
	}
	for _, r := range routes {
		if s, raw := f.do(t, tok, r.method, r.path, r.body, nil); (s == http.StatusNotFound) == visible {
			t.Errorf("%s %s: %d %s, want 404: %v", r.method, r.path, s, raw, !visible)
		}
	}
}

// putDelivery stores a failed delivery, number n, of a stored event for
// webhookID and returns its id.
func putDelivery(t *testing.T, f *fixture, webhookID string, n int) string {
	t.Helper()
	ctx := context.Background()
	ms := herald.Millis(t0)
	ev := &herald.Event{ID: fmt.Sprint("evt_bind_", n), Type: "secret.rotated",
		Payload: `{"event_type":"secret.rotated","data":{"secret":"of its tenant"}}`, CreatedMS: ms}
	d := &herald.Delivery{ID: ms<<10 | int64(n), WebhookID: webhookID, EventID: ev.ID, EventType: ev.Type,
		Status: herald.StatusFailed, AttemptCount: 1, CreatedMS: ms, UpdatedMS: ms}
	if err := f.events.Create(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if err := f.deliveries.Create(ctx, d); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(d.ID)
}

// TestBoundScopeIsExactOnWrite: whatever a bound principal sets (a webhook
// on create and patch, an application on create, an event on publish) has
// exactly its binding. A named tenant or partner that differs from it is
// 403: another one, one on a dimension it is not bound on, or "" clearing a
// bound one. Unnamed ones take the binding; unbound dimensions stay empty.
func TestBoundScopeIsExactOnWrite(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	for _, b := range bindings {
		tok := f.boundToken(t, b)
		own := hooksPath + f.createWebhook(t, tok, map[string]any{})["id"].(string)
		t.Run(b.String(), func(t *testing.T) {
			for _, c := range scopeCases(b) {
				webhookBody := map[string]any{"name": "x", "url": "http://127.0.0.1:9/hook", "validate": false}
				appBody := map[string]any{"name": "x", "scopes": scopes(herald.ScopeWebhooksRead)}
				eventBody := map[string]any{"event_type": "invoice.paid"}
				for _, body := range []map[string]any{webhookBody, appBody, eventBody, {}} {
					for k, v := range c.named {
						body[k] = v
					}
				}
				want := map[bool][4]int{
					true:  {http.StatusCreated, http.StatusCreated, http.StatusAccepted, http.StatusOK},
					false: {http.StatusForbidden, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden},
				}[c.ok]
				var hook, app, patched map[string]any
				var got [4]int
				got[0], _ = f.do(t, tok, "POST", hooksPath, webhookBody, &hook)
				got[1], _ = f.do(t, tok, "POST", appsPath, appBody, &app)
				got[2], _ = f.do(t, tok, "POST", "/api/v1/events", eventBody, nil)
				got[3], _ = f.do(t, tok, "PATCH", own, c.named, &patched)
				if got != want {
					t.Errorf("naming %v: create webhook, create application, publish, patch = %v, want %v", c.named, got, want)
					continue
				}
				if !c.ok {
					continue
				}
				ev := f.publishedOfType(t, "invoice.paid")
				for what, m := range map[string]map[string]any{"webhook": hook, "application": app, "event": ev, "patched webhook": patched} {
					if scopeOf(m) != b {
						t.Errorf("naming %v: the %s has scope %v", c.named, what, scopeOf(m))
					}
				}
			}
		})
	}
}

// scopeCase is what a request names and whether a principal bound to b may.
type scopeCase struct {
	named map[string]any
	ok    bool
}

// scopeCases lists, for each of tenant_id and partner_id: unnamed, its own
// value, "" (allowed only where b is not bound), and another value.
func scopeCases(b scope) []scopeCase {
	cases := []scopeCase{{map[string]any{}, true}, {b.body(), true}}
	for _, d := range []struct{ field, own string }{{"tenant_id", b.tenant}, {"partner_id", b.partner}} {
		cases = append(cases,
			scopeCase{map[string]any{d.field: d.own}, true},
			scopeCase{map[string]any{d.field: ""}, d.own == ""},
			scopeCase{map[string]any{d.field: "other_" + d.field}, false})
	}
	return cases
}

// TestChainedBindingEscapeIsClosed replays the escape that looser binding
// rules allowed: a partner's application moved a webhook of its partner into
// tenant B's scope, so that tenant B's read-only application read tenant A's
// delivery payloads.
func TestChainedBindingEscapeIsClosed(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	victim := f.createWebhook(t, adminToken, map[string]any{"tenant_id": "tnt_a", "partner_id": "ptn_a"})["id"].(string)
	d := storeDelivery(t, f, victim)
	partner := f.boundToken(t, scope{"", "ptn_a"})
	readerApp := f.createApp(t, adminToken, map[string]any{"scopes": scopes(herald.ScopeWebhooksRead),
		"tenant_id": "tnt_b"})
	reader := f.issue(t, readerApp, "")

	if s := f.status(t, partner, "PATCH", hooksPath+victim, map[string]any{"tenant_id": "tnt_b"}); s != http.StatusNotFound {
		t.Errorf("partner moves tenant A's webhook: %d, want 404", s)
	}
	own := hooksPath + f.createWebhook(t, partner, map[string]any{})["id"].(string)
	if s := f.status(t, partner, "PATCH", own, map[string]any{"tenant_id": "tnt_b"}); s != http.StatusForbidden {
		t.Errorf("partner moves its own webhook into tenant B: %d, want 403", s)
	}
	body := map[string]any{"name": "x", "url": "http://127.0.0.1:9/hook", "validate": false, "tenant_id": "tnt_a"}
	if s := f.status(t, partner, "POST", hooksPath, body); s != http.StatusForbidden {
		t.Errorf("partner creates a webhook inside tenant A: %d, want 403", s)
	}
	path := fmt.Sprintf("%s%s/deliveries/%d", hooksPath, victim, d.ID)
	if s := f.status(t, reader, "GET", path, nil); s != http.StatusNotFound {
		t.Errorf("tenant B reads tenant A's delivery: %d, want 404", s)
	}
	if wh := f.stored(t, victim); wh.TenantID != "tnt_a" {
		t.Errorf("tenant A's webhook moved to %q", wh.TenantID)
	}
}
