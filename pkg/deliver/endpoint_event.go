package deliver

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// disabledData is the data of a webhook.endpoint.disabled event.
type disabledData struct {
	WebhookID      string `json:"webhook_id"`
	WebhookName    string `json:"webhook_name"`
	Reason         string `json:"reason"`
	LastStatusCode int    `json:"last_status_code"`
}

// unhealthyData is the data of a webhook.endpoint.unhealthy event.
type unhealthyData struct {
	WebhookID           string    `json:"webhook_id"`
	WebhookName         string    `json:"webhook_name"`
	ConsecutiveFailures int64     `json:"consecutive_failures"`
	FailingSince        time.Time `json:"failing_since"`
	LastStatusCode      int       `json:"last_status_code"`
	LastError           string    `json:"last_error"`
}

// recoveredData is the data of a webhook.endpoint.recovered event.
type recoveredData struct {
	WebhookID           string    `json:"webhook_id"`
	WebhookName         string    `json:"webhook_name"`
	FailingSince        time.Time `json:"failing_since"`
	ConsecutiveFailures int64     `json:"consecutive_failures"`
}

// endpointEventID derives the event_id of an endpoint event from the webhook
// and a time that identifies the occasion (the start of a run of failures,
// the webhook's last admin write), so every worker and every retry of the
// handler announcing the same occasion uses the same id, and ingest keeps
// one of them.
func endpointEventID(kind string, w *herald.Webhook, atMS int64) string {
	return "evt_" + kind + "_" + w.ID + "_" + strconv.FormatInt(atMS, 10)
}

// publishEndpointEvent publishes one of Herald's endpoint events (category
// SECURITY) about w to the ingest topic.
func publishEndpointEvent(ctx context.Context, ingest *pubsub.Topic, id, eventType string, w *herald.Webhook, now time.Time, data any) error {
	ev := herald.OwnEvent{
		EventID: id, EventType: eventType, Timestamp: now, Category: "SECURITY",
		TenantID: w.TenantID, PartnerID: w.PartnerID, Data: data,
	}
	body, err := ev.Encode()
	if err != nil {
		return fmt.Errorf("encode %s event: %w", eventType, err)
	}
	if err := ingest.Send(ctx, &pubsub.Message{Body: body}); err != nil {
		return fmt.Errorf("publish %s event: %w", eventType, err)
	}
	return nil
}
