package ownevent

import (
	"context"
	"strconv"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// pauseOverflowData is the data of a webhook.endpoint.pause_overflow event.
type pauseOverflowData struct {
	WebhookID   string `json:"webhook_id"`
	WebhookName string `json:"webhook_name"`
	// Dropped is the webhook's pause_dropped count when the event was
	// built: the deliveries dropped so far while paused with a full queue.
	Dropped         int64 `json:"dropped"`
	PauseQueueLimit int   `json:"pause_queue_limit"`
}

// PublishPauseOverflow publishes webhook.endpoint.pause_overflow for w,
// paused with its hold queue of limit deliveries full, so that new
// deliveries are dropped. Its event_id is derived from the pause
// (w.PausedAtMS): every worker announcing the same pause, and every retry,
// uses the same id, and ingest keeps one of them.
func PublishPauseOverflow(ctx context.Context, ingest *pubsub.Topic, w *herald.Webhook, limit int, now time.Time) error {
	data := pauseOverflowData{WebhookID: w.ID, WebhookName: w.Name, Dropped: w.PauseDropped, PauseQueueLimit: limit}
	id := "evt_pause_overflow_" + w.ID + "_" + strconv.FormatInt(w.PausedAtMS, 10)
	return publishEndpoint(ctx, ingest, id, herald.EventPauseOverflow, w, now, data)
}
