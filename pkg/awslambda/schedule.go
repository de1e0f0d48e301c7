package awslambda

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/heraldhq/herald/pkg/metrics"
)

// Schedule adapts a periodic duty (one pass of the retry-scheduler or the
// expiry-notifier) to an EventBridge schedule. A failed pass fails the
// invocation, so it shows in the function's error metric; the next
// scheduled run tries again. After each run the metrics are flushed as one
// EMF line. Of cfg, Stats is not used.
func Schedule(tick func(context.Context) error, cfg Config) func(context.Context, events.EventBridgeEvent) error {
	cfg.defaults()
	return func(ctx context.Context, ev events.EventBridgeEvent) error {
		defer cfg.flush()
		start := time.Now()
		err := tick(ctx)
		outcome := metrics.Done
		if err != nil {
			outcome = metrics.Failed
		}
		cfg.Metrics.ScheduledRun(cfg.Function, outcome, time.Since(start))
		if err != nil {
			cfg.Logger.Error("scheduled run failed", "error", err, "schedule_event_id", ev.ID)
			return err
		}
		return nil
	}
}
