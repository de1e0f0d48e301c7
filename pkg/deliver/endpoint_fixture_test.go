package deliver_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/heraldhq/herald/pkg/herald"
)

// ownEvent is the part of one of Herald's own events the tests read.
type ownEvent struct {
	EventID   string         `json:"event_id"`
	EventType string         `json:"event_type"`
	Category  string         `json:"category"`
	TenantID  string         `json:"tenant_id"`
	Data      map[string]any `json:"data"`
}

// drain returns every event published so far, in order.
func (f *fixture) drain(t *testing.T) []ownEvent {
	t.Helper()
	var out []ownEvent
	for {
		body := f.published(t, noneArrives)
		if body == nil {
			return out
		}
		var ev ownEvent
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
}

// ofType returns the events of type eventType.
func ofType(evs []ownEvent, eventType string) []ownEvent {
	var out []ownEvent
	for _, ev := range evs {
		if ev.EventType == eventType {
			out = append(out, ev)
		}
	}
	return out
}

// addDelivery stores one more pending delivery of the test event to
// webhookID, due at the clock's now, and returns its id.
func (f *fixture) addDelivery(t *testing.T, id int64, webhookID string) int64 {
	t.Helper()
	d := newDelivery()
	d.ID, d.WebhookID, d.NextAttemptMS = id, webhookID, herald.Millis(f.clock.Now())
	if err := f.deliveries.Create(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return id
}

// webhook reads the stored webhook.
func (f *fixture) webhook(t *testing.T, id string) *herald.Webhook {
	t.Helper()
	w := &herald.Webhook{ID: id}
	if err := f.webhooks.Get(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	return w
}
