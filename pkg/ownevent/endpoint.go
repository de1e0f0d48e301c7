package ownevent

import (
	"context"
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

// PublishEndpointDisabled publishes webhook.endpoint.disabled for w, turned
// off for reason after an attempt answered lastStatusCode. occasionMS
// identifies the occasion (the start of the run of failures, or the
// webhook's last admin write): the event_id is derived from it, so every
// worker and every retry announcing the same occasion uses the same id, and
// ingest keeps one of them.
func PublishEndpointDisabled(ctx context.Context, ingest *pubsub.Topic, w *herald.Webhook, occasionMS int64,
	reason string, lastStatusCode int, now time.Time) error {
	data := disabledData{WebhookID: w.ID, WebhookName: w.Name, Reason: reason, LastStatusCode: lastStatusCode}
	return publishEndpoint(ctx, ingest, endpointEventID("disabled", w, occasionMS), herald.EventEndpointDisabled, w, now, data)
}

// PublishEndpointHealth publishes the endpoint event ev about w, decided
// by a write of its health: webhook.endpoint.unhealthy when its run of
// failures (which ev.RunMS identifies) reached its unhealthy threshold,
// webhook.endpoint.recovered when a success ended it. The event_id derives
// from the run and the timestamp is when ev was decided, so publishing ev
// again publishes the same event, which ingest keeps once.
func PublishEndpointHealth(ctx context.Context, ingest *pubsub.Topic, w *herald.Webhook, ev *herald.HealthEvent) error {
	var data any = recoveredData{WebhookID: w.ID, WebhookName: w.Name,
		FailingSince: herald.FromMillis(ev.RunMS), ConsecutiveFailures: ev.Failures}
	kind := "recovered"
	if ev.Type == herald.EventEndpointUnhealthy {
		data = unhealthyData{WebhookID: w.ID, WebhookName: w.Name,
			ConsecutiveFailures: ev.Failures, FailingSince: herald.FromMillis(ev.RunMS),
			LastStatusCode: ev.StatusCode, LastError: ev.Error}
		kind = "unhealthy"
	}
	return publishEndpoint(ctx, ingest, endpointEventID(kind, w, ev.RunMS), ev.Type, w, herald.FromMillis(ev.AtMS), data)
}

// endpointEventID derives the event_id of an endpoint event from the webhook
// and the time that identifies the occasion.
func endpointEventID(kind string, w *herald.Webhook, atMS int64) string {
	return "evt_" + kind + "_" + w.ID + "_" + strconv.FormatInt(atMS, 10)
}

// publishEndpoint publishes one of Herald's endpoint events (category
// SECURITY) about w.
func publishEndpoint(ctx context.Context, ingest *pubsub.Topic, id, eventType string, w *herald.Webhook, now time.Time, data any) error {
	ev := herald.OwnEvent{
		EventID: id, EventType: eventType, Timestamp: now, Category: "SECURITY",
		TenantID: w.TenantID, PartnerID: w.PartnerID, Data: data,
	}
	return publish(ctx, ingest, ev, eventType)
}
