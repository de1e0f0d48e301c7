package ownevent

import (
	"context"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// validationFailedData is the data of a webhook.endpoint.validation_failed
// event.
type validationFailedData struct {
	WebhookID    string    `json:"webhook_id"`
	WebhookName  string    `json:"webhook_name"`
	URL          string    `json:"url"`
	Error        string    `json:"error"`
	StatusCode   int       `json:"status_code"`
	FailingSince time.Time `json:"failing_since"`
}

// PublishValidationFailed publishes webhook.endpoint.validation_failed for
// w, whose re-validation failed with reason (and statusCode, 0 for none)
// and began a run of failures at w.ValidationFailingSinceMS, which
// identifies it: the event_id is derived from it, so announcing the same
// run again yields the same id, which ingest keeps once.
func PublishValidationFailed(ctx context.Context, ingest *pubsub.Topic, w *herald.Webhook, reason string,
	statusCode int, now time.Time) error {
	data := validationFailedData{WebhookID: w.ID, WebhookName: w.Name, URL: w.URL, Error: reason,
		StatusCode: statusCode, FailingSince: herald.FromMillis(w.ValidationFailingSinceMS)}
	return publishEndpoint(ctx, ingest, endpointEventID("validation_failed", w, w.ValidationFailingSinceMS),
		herald.EventEndpointValidationFailed, w, now, data)
}
