package consume

import (
	"context"
	"io"
	"log/slog"
	"time"

	"gocloud.dev/pubsub"
)

// Opener opens a subscription again (pubsub.OpenSubscription of its URL).
type Opener func(ctx context.Context) (*pubsub.Subscription, error)

// Pauses before opening a failed subscription again: the first, doubled
// while failures follow each other, up to the longest; a run that lasted
// longer than the longest starts over from the first. Variables for tests.
var (
	firstReopenPause   = time.Second
	longestReopenPause = 30 * time.Second
)

// RunReopening is Run for a process that must outlive its subscription's
// failures. A gocloud subscription whose acknowledgements failed (an SQS
// DeleteMessageBatch that fails for one message, say) returns that error
// from every Receive after, for good: RunReopening logs it, shuts that
// subscription down and opens it again with open, after a pause, and goes
// on receiving. The messages whose acknowledgement failed come back after
// their visibility timeout and are handled again, as any redelivery is. It
// returns when ctx is done, or when open fails. first is the subscription of
// the first run; the caller closes it, RunReopening the ones it opens.
func RunReopening(ctx context.Context, first *pubsub.Subscription, open Opener, h Handler, cfg Config) error {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	sub, pause := first, firstReopenPause
	for {
		began := time.Now()
		err := Run(ctx, sub, h, cfg)
		if err == nil || ctx.Err() != nil {
			if sub != first {
				_ = sub.Shutdown(context.WithoutCancel(ctx))
			}
			return err
		}
		if sub != first {
			_ = sub.Shutdown(context.WithoutCancel(ctx))
		}
		if time.Since(began) > longestReopenPause {
			pause = firstReopenPause
		}
		log.Error("subscription failed; opening it again", "function", cfg.Function, "error", err, "pause", pause)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(pause):
		}
		pause = min(2*pause, longestReopenPause)
		if sub, err = open(ctx); err != nil {
			return err
		}
	}
}
