package admin_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestOpenAPIConformance drives the endpoints built so far through a
// fixture whose client checks every exchange against the document
// (contract.Transport): successes and 401, 404 and 422 errors.
func TestOpenAPIConformance(t *testing.T) {
	t.Parallel()
	f := newConformingFixture(t, admin.Config{})
	const hooks = "/api/v1/admin/webhooks/"
	full := f.createWebhook(t, adminToken, map[string]any{
		"name": "full", "url": "https://127.0.0.1:8443/hook", "description": "every field",
		"events": []string{"secret.*", "**"}, "categories": []string{"SECURITY"},
		"filters": []map[string]any{
			{"field": "data.path", "op": "prefix", "value": "environments/"},
			{"field": "data.user", "op": "exists"},
			{"field": "tenant_id", "op": "in", "value": []string{"a", "b"}},
		},
		"headers": map[string]string{"X-Team": "ops"}, "enabled": true, "paused": false,
		"tenant_id": "tnt_a", "partner_id": "ptn_a", "retry_schedule": []string{"1s", "1m"},
		"pause_queue_limit": 10, "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		"secret_expires_at": "2027-01-01T00:00:00Z", "validate": false,
		"timeout_seconds": 5, "unhealthy_after": 4, "disable_after": "72h", "max_in_flight": 3,
	})
	id := full["id"].(string)
	minimal := f.createWebhook(t, adminToken, map[string]any{})

	for _, path := range []string{
		"/healthz", "/openapi.json",
		hooks, hooks + "?page=1&per_page=1", hooks + "?page=9", hooks + "?tenant_id=tnt_a&partner_id=ptn_a",
		hooks + id, hooks + minimal["id"].(string),
		hooks + id + "/deliveries", hooks + id + "/deliveries?status=failed&per_page=100",
	} {
		if status, raw := f.do(t, adminToken, "GET", path, nil, nil); status != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, status, raw)
		}
	}
	if status, raw := f.do(t, adminToken, "PATCH", hooks+id, map[string]any{"name": "renamed", "paused": true, "headers": map[string]string{}}, nil); status != http.StatusOK {
		t.Errorf("patch: %d %s", status, raw)
	}

	d := storeDelivery(t, f, id)
	dpath := hooks + id + "/deliveries/" + strconv.FormatInt(d.ID, 10)
	f.do(t, adminToken, "PATCH", hooks+id, map[string]any{"paused": false}, nil)
	for _, tc := range []struct{ method, path string }{
		{"GET", hooks + id + "/deliveries"}, {"GET", dpath}, {"POST", dpath + "/retry"},
	} {
		if status, raw := f.do(t, adminToken, tc.method, tc.path, nil, nil); status != http.StatusOK {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, status, raw)
		}
	}
	if status, raw := f.do(t, adminToken, "POST", "/api/v1/events",
		`{"event_type":"secret.rotated","tenant_id":"tnt_a","category":"SECURITY","data":{"path":"environments/x"},"extra":1}`, nil); status != http.StatusAccepted {
		t.Errorf("publish: %d %s", status, raw)
	}

	// Errors, each also checked against the document by the transport.
	for _, tc := range []struct {
		token, method, path string
		body                any
		want                int
	}{
		{"", "GET", hooks, nil, 401},
		{"wrong", "GET", hooks + id, nil, 401},
		{"", "POST", "/api/v1/events", `{"event_type":"a.b"}`, 401},
		{adminToken, "GET", hooks + "wh_missing", nil, 404},
		{adminToken, "GET", hooks + "wh_missing/deliveries", nil, 404},
		{adminToken, "GET", hooks + id + "/deliveries/12345", nil, 404},
		{adminToken, "POST", hooks + id + "/deliveries/12345/retry", nil, 404},
		{adminToken, "DELETE", hooks + "wh_missing", nil, 404},
		{adminToken, "GET", "/api/v1/nothing-here", nil, 404},
		{adminToken, "GET", hooks + "?per_page=101", nil, 422},
		{adminToken, "GET", hooks + "?page=0", nil, 422},
		{adminToken, "GET", hooks + id + "/deliveries?status=ok", nil, 422},
		{adminToken, "GET", hooks + id + "/deliveries/abc", nil, 422},
		{adminToken, "POST", hooks, map[string]any{"name": "x"}, 422},
		{adminToken, "POST", hooks, map[string]any{"name": "x", "url": "https://example.com", "colour": "blue"}, 422},
		{adminToken, "POST", hooks, map[string]any{"name": "x", "url": "https://example.com", "categories": []string{"NOPE"}}, 422},
		{adminToken, "POST", hooks, "not json", 422},
		{adminToken, "PATCH", hooks + id, map[string]any{"url": "nope"}, 422},
		{adminToken, "PATCH", hooks + id, map[string]any{"secret": "whsec_x"}, 422},
		{adminToken, "POST", "/api/v1/events", `{"data":{}}`, 422},
		{adminToken, "POST", "/api/v1/events", `{"event_type":"UPPER.case"}`, 422},
		{adminToken, "POST", "/api/v1/events", `not json`, 422},
		{adminToken, "DELETE", hooks + id, nil, 204},
		{adminToken, "GET", hooks + id, nil, 404},
	} {
		if status, raw := f.do(t, tc.token, tc.method, tc.path, tc.body, nil); status != tc.want {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, status, raw, tc.want)
		}
	}
}

// storeDelivery stores a failed delivery of a stored event for webhookID.
func storeDelivery(t *testing.T, f *fixture, webhookID string) *herald.Delivery {
	t.Helper()
	ctx := context.Background()
	ms := herald.Millis(t0)
	ev := &herald.Event{ID: "evt_conform", Type: "secret.rotated", Payload: `{"event_id":"evt_conform","event_type":"secret.rotated","data":{"k":1}}`, CreatedMS: ms}
	d := &herald.Delivery{
		ID: ms<<10 | 1, WebhookID: webhookID, EventID: ev.ID, EventType: ev.Type, Status: herald.StatusFailed,
		AttemptCount: 1, Attempts: []herald.Attempt{{Attempt: 1, AtMS: ms, StatusCode: 500, DurationMS: 12, ResponseBody: "oops"}},
		CreatedMS: ms, UpdatedMS: ms,
	}
	if err := f.events.Create(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if err := f.deliveries.Create(ctx, d); err != nil {
		t.Fatal(err)
	}
	return d
}

// exchange is a request and an answer for contract.Mismatches, standing for
// endpoints other branches build: the document must accept the shapes the
// API promises, and refuse others.
type exchange struct {
	name          string
	method, path  string
	reqType, body string // request
	status        int
	respBody      string // JSON unless empty
}

func (e exchange) check(t *testing.T) []string {
	t.Helper()
	var rd *bytes.Reader
	if e.body != "" {
		rd = bytes.NewReader([]byte(e.body))
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequest(e.method, "http://herald.test"+e.path, rd)
	} else {
		req, err = http.NewRequest(e.method, "http://herald.test"+e.path, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	if e.body != "" {
		req.Header.Set("Content-Type", cmpOr(e.reqType, "application/json"))
	}
	if !strings.HasPrefix(e.path, "/oauth/") {
		req.Header.Set("Authorization", "Bearer token")
	}
	resp := &http.Response{StatusCode: e.status, Header: http.Header{}, Request: req}
	if e.respBody != "" {
		resp.Header.Set("Content-Type", "application/json")
	}
	problems, err := contract.Mismatches(req, resp, []byte(e.respBody))
	if err != nil {
		t.Fatal(err)
	}
	return problems
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

const (
	wh      = "/api/v1/admin/webhooks/wh_1"
	app     = "/api/v1/admin/applications/app_1"
	webhook = `{"id":"wh_1","name":"n","url":"https://example.com/h","description":"","events":[],"categories":["ADMIN"],
"filters":[{"field":"data.x","op":"exists"}],"headers":{},"enabled":true,"paused":false,"tenant_id":null,"partner_id":"ptn",
"retry_schedule":["30s","1m"],"pause_queue_limit":1000,"validated":true,"validated_at":"2026-11-23T12:00:00Z","validation_error":"",
"pause_dropped":0,"secret_expires_at":null,"previous_secret_expires_at":"2026-11-24T12:00:00Z",
"created_at":"2026-11-23T12:00:00Z","updated_at":"2026-11-23T12:00:00Z"`
	application = `{"id":"app_1","client_id":"app_1","name":"ci","description":"","scopes":["webhooks:read","events:publish"],
"tenant_id":"tnt_a","partner_id":null,"token_lifetime":3600,"secret_expires_at":null,"previous_secret_expires_at":null,
"created_at":"2026-11-23T12:00:00Z","updated_at":"2026-11-23T12:00:00Z"`
)

// TestOpenAPIConformanceOfEveryOperation calls every operation the live API
// has beyond TestOpenAPIConformance's — webhook operations, applications,
// tokens — through a client that checks each exchange against the document,
// successes and errors alike.
func TestOpenAPIConformanceOfEveryOperation(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, admin.Config{})
	c := f.srv.Client()
	c.Transport = contract.Transport(t, c.Transport)
	r := newHookReceiver(t, http.StatusOK, http.StatusOK, http.StatusInternalServerError)
	hook := f.createWebhook(t, adminToken, map[string]any{"url": r.URL, "validate": true})
	id := hook["id"].(string)
	storeDelivery(t, f, id)
	gone := newHookReceiver(t)
	gone.Close() // a refused connection: a test answered without a status code
	unreachable := f.createWebhook(t, adminToken, map[string]any{"url": gone.URL})["id"].(string)
	empty := f.createWebhook(t, adminToken, map[string]any{})["id"].(string)

	app := f.createApp(t, adminToken, map[string]any{"name": "ci", "scopes": scopes("webhooks:read"),
		"tenant_id": "tnt_a", "token_lifetime": 600, "secret_expires_at": "2027-06-01T00:00:00Z"})
	appID := app["id"].(string)
	readOnly := f.issue(t, app, "webhooks:read")
	grant := url.Values{"grant_type": {"client_credentials"}}
	f.tokenRequest(t, true, appID, app["client_secret"].(string), grant)
	f.tokenRequest(t, false, appID, "wrong", url.Values{"grant_type": {"client_credentials"},
		"client_id": {appID}, "client_secret": {"wrong"}})
	f.tokenRequest(t, true, appID, "wrong", grant)
	f.tokenRequest(t, true, appID, app["client_secret"].(string), url.Values{"grant_type": {"password"}})
	f.tokenRequest(t, true, appID, app["client_secret"].(string), url.Values{"grant_type": {"client_credentials"},
		"scope": {"admin:write"}})

	for _, tc := range []struct {
		token, method, path string
		body                any
		want                int
	}{
		{adminToken, "GET", hooksPath + "events", nil, 200},
		{adminToken, "GET", hookPath(id, "/stats"), nil, 200},
		{adminToken, "GET", hookPath(empty, "/stats"), nil, 200},
		{adminToken, "POST", hookPath(id, "/test"), nil, 200},
		{adminToken, "POST", hookPath(id, "/test"), map[string]any{"data": map[string]any{"hello": "world"}}, 200},
		{adminToken, "POST", hookPath(unreachable, "/test"), nil, 200},
		{adminToken, "POST", hookPath(id, "/test"), map[string]any{"event_type": "secret.rotated"}, 422},
		{adminToken, "POST", hookPath(id, "/validate"), nil, 200}, // the receiver's 500: validated false
		{adminToken, "POST", hookPath(id, "/pause"), nil, 200},
		{adminToken, "POST", hookPath(id, "/resume"), nil, 200},
		{adminToken, "POST", hookPath(id, "/rotate-secret"), nil, 200},
		{adminToken, "POST", hookPath(id, "/rotate-secret"), map[string]any{"grace_period": "1h30m",
			"secret_expires_at": "2027-01-01T00:00:00Z"}, 200},
		{adminToken, "POST", hookPath(id, "/rotate-secret"), map[string]any{"grace_period": "999h"}, 422},
		{adminToken, "GET", hookPath(id, ""), nil, 200},
		{adminToken, "GET", hookPath("wh_missing", "/stats"), nil, 404},
		{adminToken, "POST", hookPath("wh_missing", "/pause"), nil, 404},
		{readOnly, "GET", hooksPath, nil, 200},
		{readOnly, "POST", hookPath(id, "/pause"), nil, 403},
		{readOnly, "GET", appsPath, nil, 403},
		{readOnly, "GET", hooksPath + "?tenant_id=tnt_b", nil, 403},
		{adminToken, "GET", appsPath, nil, 200},
		{adminToken, "GET", appsPath + "?tenant_id=tnt_a&page=1&per_page=5", nil, 200},
		{adminToken, "GET", appsPath + appID, nil, 200},
		{adminToken, "POST", appsPath + appID + "/rotate-secret", map[string]any{"grace_period": "1h"}, 200},
		{adminToken, "POST", appsPath + appID + "/rotate-secret", nil, 200},
		{adminToken, "POST", appsPath, map[string]any{"name": "x", "scopes": []string{"root"}}, 422},
		{adminToken, "GET", appsPath + "app_missing", nil, 404},
		{adminToken, "DELETE", appsPath + appID, nil, 204},
		{readOnly, "GET", hooksPath, nil, 401},
	} {
		if status, raw := f.do(t, tc.token, tc.method, tc.path, tc.body, nil); status != tc.want {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, status, raw, tc.want)
		}
	}
}

// TestOpenAPIRefusesOtherShapes checks that the checker is not vacuous: each
// exchange breaks the document and must be reported.
func TestOpenAPIRefusesOtherShapes(t *testing.T) {
	t.Parallel()
	for _, e := range []exchange{
		{name: "webhook without id", method: "GET", path: wh, status: 200, respBody: strings.Replace(webhook, `"id":"wh_1",`, "", 1) + `}`},
		{name: "tenant_id a number", method: "GET", path: wh, status: 200, respBody: strings.Replace(webhook, `"tenant_id":null`, `"tenant_id":5`, 1) + `}`},
		{name: "create answered 200", method: "POST", path: "/api/v1/admin/webhooks/", body: `{"name":"n","url":"https://example.com"}`, status: 200,
			respBody: webhook + `,"secret":"whsec_x"}`},
		{name: "rotate without secret", method: "POST", path: wh + "/rotate-secret", status: 200, respBody: webhook + `}`},
		{name: "501", method: "GET", path: wh + "/stats", status: 501, respBody: `{"detail":"not implemented yet"}`},
		{name: "422 detail a string", method: "GET", path: "/api/v1/admin/webhooks/?page=0", status: 422, respBody: `{"detail":"bad page"}`},
		{name: "404 other shape", method: "GET", path: wh, status: 404, respBody: `{"error":"not found"}`},
		{name: "invalid create accepted", method: "POST", path: "/api/v1/admin/webhooks/", body: `{"name":"n"}`, status: 201,
			respBody: webhook + `,"secret":"whsec_x"}`},
		{name: "per_page 101 accepted", method: "GET", path: "/api/v1/admin/webhooks/?per_page=101", status: 200,
			respBody: `{"items":[],"page":1,"per_page":101,"total":0}`},
		{name: "delivery status unknown", method: "GET", path: wh + "/deliveries/5", status: 200,
			respBody: `{"id":5,"webhook_id":"wh_1","event_id":"e","event_type":"a.b","status":"done","attempts":[],"next_attempt_at":null,"created_at":"2026-11-23T12:00:00Z"}`},
		{name: "unknown path answered", method: "GET", path: "/api/v1/nothing-here", status: 200, respBody: `{}`},
		{name: "oauth error shape", method: "POST", path: "/oauth/token", reqType: "application/x-www-form-urlencoded",
			body: "grant_type=client_credentials", status: 401, respBody: `{"detail":"no"}`},
		{name: "publish answered 200", method: "POST", path: "/api/v1/events", body: `{"event_type":"a.b"}`, status: 200, respBody: `{"event_id":"evt_1"}`},
	} {
		if problems := e.check(t); len(problems) == 0 {
			t.Errorf("%s: no mismatch reported", e.name)
		}
	}
}
