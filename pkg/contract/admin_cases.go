package contract

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// HTTPValidationError is the body of a 422: the HTTPValidationError shape
// of ScaiGrid's Webhooks API, a detail list of entries naming the field
// (loc: strings and integers), a message and an error type.
type HTTPValidationError = httpValidationError

type httpValidationError struct {
	Detail []struct {
		Loc  []any  `json:"loc"`
		Msg  string `json:"msg"`
		Type string `json:"type"`
	} `json:"detail"`
}

// names reports whether e names loc (e.g. "body.url") in one of its entries.
func (e httpValidationError) names(loc string) bool {
	for _, d := range e.Detail {
		parts := make([]string, len(d.Loc))
		for i, p := range d.Loc {
			switch v := p.(type) {
			case string:
				parts[i] = v
			case float64:
				parts[i] = strconv.FormatFloat(v, 'f', -1, 64)
			}
		}
		if strings.Join(parts, ".") == loc && d.Msg != "" && d.Type != "" {
			return true
		}
	}
	return false
}

func testAdminErrors(t *testing.T, b Backend) {
	sys, api := start(t, b)
	r := NewReceiver(t, "X-Herald-")
	wh := api.CreateWebhook(r, map[string]any{})

	t.Run("401", func(t *testing.T) {
		for _, token := range []string{"", "wrong-token", sys.Token + "x"} {
			var body struct {
				Detail string `json:"detail"`
			}
			if status := api.DoToken(token, "GET", "/api/v1/admin/webhooks/", nil, &body); status != http.StatusUnauthorized || body.Detail == "" {
				t.Errorf("token %q: status %d, body %+v", token, status, body)
			}
		}
		if status := api.DoToken("", "GET", "/healthz", nil, nil); status != http.StatusOK {
			t.Errorf("healthz without token: %d", status)
		}
	})
	t.Run("404", func(t *testing.T) {
		for _, path := range []string{
			"/api/v1/admin/webhooks/wh_missing",
			"/api/v1/admin/webhooks/wh_missing/deliveries",
			"/api/v1/admin/webhooks/" + wh.ID + "/deliveries/12345",
			"/api/v1/nothing-here",
		} {
			if status := api.Do("GET", path, nil, nil); status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, status)
			}
		}
		if status := api.Do("POST", "/api/v1/admin/webhooks/"+wh.ID+"/deliveries/12345/retry", nil, nil); status != http.StatusNotFound {
			t.Errorf("retry unknown delivery: %d", status)
		}
	})
	t.Run("422 webhook bodies", func(t *testing.T) {
		url := r.URL + "/hook"
		for _, tc := range []struct {
			body any
			loc  string
		}{
			{map[string]any{"name": "x"}, "body.url"},
			{map[string]any{"url": url}, "body.name"},
			{map[string]any{"name": "x", "url": "ftp://example.com"}, "body.url"},
			{map[string]any{"name": "", "url": url}, "body.name"},
			{map[string]any{"name": "x", "url": url, "events": []string{"ok.*", "Bad..type"}}, "body.events.1"},
			{map[string]any{"name": "x", "url": url, "categories": []string{"NOPE"}}, "body.categories.0"},
			{map[string]any{"name": "x", "url": url, "filters": []map[string]any{{"field": "data.x", "op": "like", "value": "y"}}}, "body.filters.0"},
			{map[string]any{"name": "x", "url": url, "headers": map[string]string{"webhook-signature": "forged"}}, "body.headers.webhook-signature"},
			{map[string]any{"name": "x", "url": url, "retry_schedule": []string{"1m", "soon"}}, "body.retry_schedule.1"},
			{map[string]any{"name": "x", "url": url, "pause_queue_limit": 0}, "body.pause_queue_limit"},
			{map[string]any{"name": "x", "url": url, "secret": "not-a-secret"}, "body.secret"},
			{map[string]any{"name": "x", "url": url, "colour": "blue"}, "body.colour"},
			{map[string]any{"name": 5, "url": url}, "body.name"},
			{"not json", "body"},
		} {
			var e httpValidationError
			if status := api.Do("POST", "/api/v1/admin/webhooks/", tc.body, &e); status != http.StatusUnprocessableEntity || !e.names(tc.loc) {
				t.Errorf("body %v: status %d, detail %+v; want 422 naming %s", tc.body, status, e.Detail, tc.loc)
			}
		}
		var e httpValidationError
		if status := api.Do("PATCH", "/api/v1/admin/webhooks/"+wh.ID, map[string]any{"url": "nope"}, &e); status != http.StatusUnprocessableEntity || !e.names("body.url") {
			t.Errorf("patch bad url: %d %+v", status, e.Detail)
		}
	})
	t.Run("422 queries and paths", func(t *testing.T) {
		for path, loc := range map[string]string{
			"/api/v1/admin/webhooks/?per_page=101":                      "query.per_page",
			"/api/v1/admin/webhooks/?page=0":                            "query.page",
			"/api/v1/admin/webhooks/" + wh.ID + "/deliveries?status=ok": "query.status",
			"/api/v1/admin/webhooks/" + wh.ID + "/deliveries/abc":       "path.delivery_id",
		} {
			var e httpValidationError
			if status := api.Do("GET", path, nil, &e); status != http.StatusUnprocessableEntity || !e.names(loc) {
				t.Errorf("GET %s: %d %+v; want 422 naming %s", path, status, e.Detail, loc)
			}
		}
	})
	t.Run("422 events", func(t *testing.T) {
		for _, tc := range []struct {
			body string
			loc  string
		}{
			{`{"data":{}}`, "body.event_type"},
			{`{"event_type":"UPPER.case"}`, "body.event_type"},
			{`{"event_type":"a.b","category":"NOPE"}`, "body.category"},
			{`{"event_type":"a.b","timestamp":"yesterday"}`, "body.timestamp"},
			{`not json`, "body"},
			{`{"event_type":"webhook.delivery.dropped"}`, "body.event_type"},
			{`{"event_type":"a.b","data":"` + strings.Repeat("x", 300<<10) + `"}`, "body"},
		} {
			var e httpValidationError
			if status := api.Do("POST", "/api/v1/events", tc.body, &e); status != http.StatusUnprocessableEntity || !e.names(tc.loc) {
				t.Errorf("event %.60s: %d %+v; want 422 naming %s", tc.body, status, e.Detail, tc.loc)
			}
		}
	})
	t.Run("CRUD", func(t *testing.T) {
		var got map[string]any
		api.Do("GET", "/api/v1/admin/webhooks/"+wh.ID, nil, &got)
		if _, leaked := got["secret"]; leaked {
			t.Error("GET returned the secret")
		}
		var patched map[string]any
		if status := api.Do("PATCH", "/api/v1/admin/webhooks/"+wh.ID, map[string]any{"name": "renamed", "events": []string{"a.*"}}, &patched); status != http.StatusOK ||
			patched["name"] != "renamed" || patched["url"] != r.URL+"/hook" {
			t.Errorf("patch: %d %v", status, patched)
		}
		var l struct {
			Items   []map[string]any `json:"items"`
			Page    int              `json:"page"`
			PerPage int              `json:"per_page"`
			Total   int              `json:"total"`
		}
		api.Do("GET", "/api/v1/admin/webhooks/?per_page=10", nil, &l)
		if l.Total != 1 || len(l.Items) != 1 || l.Page != 1 || l.PerPage != 10 {
			t.Errorf("list = %+v", l)
		}
		if status := api.Do("DELETE", "/api/v1/admin/webhooks/"+wh.ID, nil, nil); status != http.StatusNoContent {
			t.Errorf("delete: %d", status)
		}
		if status := api.Do("GET", "/api/v1/admin/webhooks/"+wh.ID, nil, nil); status != http.StatusNotFound {
			t.Errorf("get after delete: %d", status)
		}
	})
}

// testDeliveryPaging lists a webhook's deliveries page by page.
func testDeliveryPaging(t *testing.T, b Backend) {
	_, api := start(t, b)
	r := NewReceiver(t, "X-Herald-")
	wh := api.CreateWebhook(r, map[string]any{})
	for range 5 {
		api.Publish(map[string]any{"event_type": "order.created"})
	}
	waitCount(t, func() bool { return api.Deliveries(wh.ID, "?status=succeeded").Total == 5 })
	all := api.Deliveries(wh.ID, "")
	for i := 1; i < len(all.Items); i++ {
		if all.Items[i-1].ID <= all.Items[i].ID {
			t.Fatalf("deliveries not newest first: %d before %d", all.Items[i-1].ID, all.Items[i].ID)
		}
	}
	for page, want := range map[int][]int64{
		1: {all.Items[0].ID, all.Items[1].ID},
		3: {all.Items[4].ID},
		4: {},
	} {
		l := api.Deliveries(wh.ID, "?per_page=2&page="+strconv.Itoa(page))
		got := []int64{}
		for _, d := range l.Items {
			got = append(got, d.ID)
			if len(d.Attempts) != 1 {
				t.Errorf("page %d: delivery %d has %d attempts, want 1", page, d.ID, len(d.Attempts))
			}
		}
		if l.Total != 5 || !slices.Equal(got, want) {
			t.Errorf("page %d: total %d items %v, want 5 and %v", page, l.Total, got, want)
		}
	}
}
