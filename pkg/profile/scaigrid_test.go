package profile_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/contract"
)

// expect422 sends a request a ScaiGrid client gets a 422 for and checks
// the answer's shape and its first loc.
func expect422(t *testing.T, grid *contract.API, method, path string, body any, loc ...any) {
	t.Helper()
	var e contract.HTTPValidationError
	if status := grid.Do(method, path, body, &e); status != http.StatusUnprocessableEntity {
		t.Fatalf("%s %s: %d, want 422", method, path, status)
	}
	if len(e.Detail) == 0 || e.Detail[0].Msg == "" || e.Detail[0].Type == "" {
		t.Fatalf("%s %s: 422 body %+v, want HTTPValidationError", method, path, e)
	}
	for _, l := range e.Detail[0].Loc {
		switch l.(type) {
		case string, float64:
		default:
			t.Errorf("%s %s: loc element %v is neither string nor integer", method, path, l)
		}
	}
	raw, _ := json.Marshal(e.Detail[0].Loc)
	want, _ := json.Marshal(loc)
	if string(raw) != string(want) {
		t.Errorf("%s %s: loc %s, want %s", method, path, raw, want)
	}
}

// bearerJWT gets a token for the application's client credentials.
func bearerJWT(t *testing.T, base, clientID, secret string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/oauth/token",
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(clientID, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != http.StatusOK ||
		strings.Count(tok.AccessToken, ".") != 2 || tok.TokenType != "Bearer" {
		t.Fatalf("token: %d %+v %v, want a bearer JWT", resp.StatusCode, tok, err)
	}
	return tok.AccessToken
}

func TestScaiGrid(t *testing.T) {
	t.Parallel()
	p := readProduct(t, "ScaiGrid")
	d := start(t, p, nil, nil)

	// ScaiGrid's console holds an application's bearer JWT.
	var app struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if status := d.Do("POST", applicationsPath, p.body(t, applicationsPath, "scaigrid-console"), &app); status != http.StatusCreated {
		t.Fatalf("create application: %d", status)
	}
	base := d.sys.URL
	grid := contract.NewAPI(t, base, bearerJWT(t, base, app.ClientID, app.ClientSecret))
	if status := grid.DoToken("", "GET", webhooksPath, nil, nil); status != http.StatusUnauthorized {
		t.Errorf("no bearer: %d, want 401", status)
	}

	// Create Webhook, with its 422 for a body without a URL.
	expect422(t, grid, "POST", webhooksPath, map[string]any{"name": "no url"}, "body", "url")
	r := contract.NewReceiver(t, "X-Herald-", http.StatusOK, http.StatusInternalServerError, http.StatusInternalServerError, http.StatusOK)
	body := p.webhook(t, "usage-export", r.URL)
	body["retry_schedule"] = []string{"1s"} // so the delivery fails within a second
	var wh struct {
		hook
		Description string `json:"description"`
	}
	if status := grid.Do("POST", webhooksPath, body, &wh); status != http.StatusCreated {
		t.Fatalf("create webhook: %d", status)
	}
	r.SetSecret(wh.Secret)
	one := webhooksPath + wh.ID

	// List Webhooks (page, per_page), List Supported Events, Get, Update.
	var list struct {
		Items []hook `json:"items"`
		Total int    `json:"total"`
	}
	if status := grid.Do("GET", webhooksPath+"?page=1&per_page=10", nil, &list); status != http.StatusOK ||
		list.Total != 1 || list.Items[0].ID != wh.ID {
		t.Errorf("list: %d %+v", status, list)
	}
	expect422(t, grid, "GET", webhooksPath+"?per_page=0", nil, "query", "per_page")
	if status := grid.Do("GET", webhooksPath+"events", nil, nil); status != http.StatusOK {
		t.Errorf("list supported events: %d", status)
	}
	if status := grid.Do("GET", one, nil, nil); status != http.StatusOK {
		t.Errorf("get: %d", status)
	}
	if status := grid.Do("PATCH", one, map[string]any{"description": "usage and invoices"}, &wh); status != http.StatusOK ||
		wh.Description != "usage and invoices" {
		t.Errorf("update: %d %q", status, wh.Description)
	}
	// A bad step is named by its index, an integer in loc.
	expect422(t, grid, "PATCH", one, map[string]any{"retry_schedule": []string{"1m", "soon"}}, "body", "retry_schedule", 1)

	// A delivery that fails for good, by its integer id; Retry Webhook
	// Delivery sends it again.
	grid.Publish(map[string]any{"event_type": "usage.recorded", "tenant_id": "tnt_acme",
		"data": map[string]any{"model": "scaigrid-large", "tokens": 1200}})
	failed := grid.WaitDelivery(wh.ID, "failed", wait)
	path := one + "/deliveries/" + strconv.FormatInt(failed.ID, 10)
	if got := r.Got(); len(got) != 3 || got[2].Header.Get("X-Herald-Delivery-Id") != strconv.FormatInt(failed.ID, 10) {
		t.Errorf("receiver got %d requests; the delivery id header %q, want %d", len(got), got[len(got)-1].Header.Get("X-Herald-Delivery-Id"), failed.ID)
	}
	var detail contract.Delivery
	if status := grid.Do("GET", path, nil, &detail); status != http.StatusOK || len(detail.Attempts) != 2 {
		t.Errorf("get delivery: %d, %d attempts", status, len(detail.Attempts))
	}
	expect422(t, grid, "GET", one+"/deliveries/latest", nil, "path", "delivery_id")
	if status := grid.Do("POST", path+"/retry", nil, nil); status != http.StatusOK {
		t.Fatalf("retry: %d", status)
	}
	grid.WaitDelivery(wh.ID, "succeeded", wait)

	// Rotate Webhook Secret, Get Webhook Stats, Test Webhook, Delete Webhook.
	var rotated hook
	if status := grid.Do("POST", one+"/rotate-secret", nil, &rotated); status != http.StatusOK ||
		!strings.HasPrefix(rotated.Secret, "whsec_") || rotated.Secret == wh.Secret {
		t.Errorf("rotate secret: %d, new secret %q", status, rotated.Secret)
	}
	var stats struct {
		Counts   map[string]int `json:"counts"`
		Attempts int            `json:"attempts"`
	}
	if status := grid.Do("GET", one+"/stats", nil, &stats); status != http.StatusOK || stats.Counts["succeeded"] != 1 || stats.Attempts != 3 {
		t.Errorf("stats: %d %+v, want one succeeded delivery after 3 attempts", status, stats)
	}
	var probe struct {
		Success bool `json:"success"`
	}
	if status := grid.Do("POST", one+"/test", nil, &probe); status != http.StatusOK || !probe.Success {
		t.Errorf("test: %d %+v", status, probe)
	}
	if status := grid.Do("DELETE", one, nil, nil); status != http.StatusNoContent {
		t.Errorf("delete: %d, want 204", status)
	}
	if status := grid.Do("GET", one, nil, nil); status != http.StatusNotFound {
		t.Errorf("get after delete: %d, want 404", status)
	}
}
