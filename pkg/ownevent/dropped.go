package ownevent

import (
	"context"
	"strconv"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// droppedData is the data of a webhook.delivery.dropped event.
type droppedData struct {
	DeliveryID     int64  `json:"delivery_id"`
	WebhookID      string `json:"webhook_id"`
	WebhookName    string `json:"webhook_name"`
	EventID        string `json:"event_id"`
	EventType      string `json:"event_type"`
	Attempts       int    `json:"attempts"`
	LastStatusCode int    `json:"last_status_code"`
	LastError      string `json:"last_error"`
}

// PublishDropped publishes the webhook.delivery.dropped event for d, which was
// given up after last. Its event_id is derived from the delivery id, so
// publishing it twice delivers it once. A delivery of one of Herald's own
// events emits nothing, so a broken admin endpoint cannot feed itself.
func PublishDropped(ctx context.Context, ingest *pubsub.Topic, d *herald.Delivery, w *herald.Webhook, last herald.Attempt, now time.Time) error {
	if herald.IsOwnEvent(d.EventType) {
		return nil
	}
	ev := herald.OwnEvent{
		EventID:   "evt_dropped_" + strconv.FormatInt(d.ID, 10),
		EventType: herald.EventDeliveryDropped,
		Timestamp: now,
		Category:  "SECURITY",
		TenantID:  w.TenantID,
		PartnerID: w.PartnerID,
		Data: droppedData{
			DeliveryID: d.ID, WebhookID: w.ID, WebhookName: w.Name,
			EventID: d.EventID, EventType: d.EventType, Attempts: len(d.Attempts),
			LastStatusCode: last.StatusCode, LastError: last.Error,
		},
	}
	return publish(ctx, ingest, ev, "dropped")
}
