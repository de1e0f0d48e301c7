package awslambda

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"
)

// Schedule adapts a periodic duty (one pass of the retry-scheduler or the
// expiry-notifier) to an EventBridge schedule. A failed pass fails the
// invocation, so it shows in the function's error metric; the next
// scheduled run tries again.
func Schedule(tick func(context.Context) error, log *slog.Logger) func(context.Context, events.EventBridgeEvent) error {
	return func(ctx context.Context, ev events.EventBridgeEvent) error {
		if err := tick(ctx); err != nil {
			log.Error("scheduled run failed", "error", err, "event_id", ev.ID)
			return err
		}
		return nil
	}
}
