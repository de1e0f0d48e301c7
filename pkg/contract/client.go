package contract

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// API calls the admin API of the system under test.
type API struct {
	t     testing.TB
	base  string
	token string
}

// Do sends a request with the admin token and decodes a JSON answer into out
// (when out is not nil). It returns the status.
func (a *API) Do(method, path string, body any, out any) int {
	return a.DoToken(a.token, method, path, body, out)
}

// DoToken is Do with another bearer token ("" sends none).
func (a *API) DoToken(token, method, path string, body any, out any) int {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	Conform(a.t, req, resp, raw)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			a.t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, raw, err)
		}
	}
	return resp.StatusCode
}

// Webhook is the part of a webhook the tests read.
type Webhook struct {
	ID     string `json:"id"`
	Secret string `json:"secret"`
}

// Delivery is the part of a delivery the tests read.
type Delivery struct {
	ID        int64  `json:"id"`
	WebhookID string `json:"webhook_id"`
	EventID   string `json:"event_id"`
	EventType string `json:"event_type"`
	Status    string `json:"status"`
	Attempts  []struct {
		Attempt    int       `json:"attempt"`
		At         time.Time `json:"at"`
		StatusCode int       `json:"status_code"`
		Error      string    `json:"error"`
	} `json:"attempts"`
	NextAttemptAt *time.Time      `json:"next_attempt_at"`
	Payload       json.RawMessage `json:"payload"`
}

// DeliveryList is a page of deliveries.
type DeliveryList struct {
	Items []Delivery `json:"items"`
	Total int        `json:"total"`
}

// CreateWebhook creates a webhook pointing at r and sets r's secret. Unless
// body says otherwise, the endpoint is not validated on create.
func (a *API) CreateWebhook(r *Receiver, body map[string]any) Webhook {
	a.t.Helper()
	if _, ok := body["url"]; !ok {
		body["url"] = r.URL + "/hook"
	}
	if _, ok := body["name"]; !ok {
		body["name"] = "test"
	}
	// The validation call on create would be one more request for the
	// receiver to count; tests that want it ask for it.
	if _, ok := body["validate"]; !ok {
		body["validate"] = false
	}
	var wh Webhook
	if status := a.Do("POST", "/api/v1/admin/webhooks/", body, &wh); status != http.StatusCreated {
		a.t.Fatalf("create webhook: status %d", status)
	}
	r.SetSecret(wh.Secret)
	return wh
}

// Publish publishes an event over HTTP and returns its event_id.
func (a *API) Publish(event any) string {
	a.t.Helper()
	var out struct {
		EventID string `json:"event_id"`
	}
	if status := a.Do("POST", "/api/v1/events", event, &out); status != http.StatusAccepted {
		a.t.Fatalf("publish event: status %d", status)
	}
	return out.EventID
}

// Deliveries lists a webhook's deliveries (with an optional status filter).
func (a *API) Deliveries(webhookID, query string) DeliveryList {
	a.t.Helper()
	var l DeliveryList
	if status := a.Do("GET", "/api/v1/admin/webhooks/"+webhookID+"/deliveries"+query, nil, &l); status != http.StatusOK {
		a.t.Fatalf("list deliveries: status %d", status)
	}
	return l
}

// WaitDelivery polls until the webhook has a delivery in status want.
func (a *API) WaitDelivery(webhookID, want string, timeout time.Duration) Delivery {
	a.t.Helper()
	var l DeliveryList
	if !heraldtest.Poll(timeout, func() bool {
		l = a.Deliveries(webhookID, "?status="+want)
		return len(l.Items) > 0
	}) {
		a.t.Fatalf("no %s delivery for %s within %s (have %+v)", want, webhookID, timeout, a.Deliveries(webhookID, ""))
	}
	return l.Items[0]
}
