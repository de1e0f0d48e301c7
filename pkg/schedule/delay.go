package schedule

import (
	"context"
	"math"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/memq/sendopt"
)

// sqsMaxDelay is the longest per-message delay SQS accepts.
const sqsMaxDelay = 900 * time.Second

// memqMaxDelay is the longest delay Herald gives a memq message. memq has no
// limit; a day covers the default schedule's longest step, keeps the
// scheduler's horizon (now plus this) far from overflow, and leaves longer
// steps to the due-time table, which survives a restart.
const memqMaxDelay = 24 * time.Hour

// NativeMaxDelay returns the longest per-message delay topic supports natively,
// or 0 when it has none.
func NativeMaxDelay(topic *pubsub.Topic) time.Duration {
	var c *sqs.Client
	if topic.As(&c) {
		return sqsMaxDelay
	}
	var memq sendopt.Limits
	if topic.As(&memq) {
		return min(memqMaxDelay, memq.MaxDelay)
	}
	return 0
}

// publishDelayed publishes body to topic to be received after delay. The delay
// must be within NativeMaxDelay(topic); on a topic without native delays it is
// ignored. SQS counts whole seconds, so the delay is rounded up: a message may
// arrive up to a second late, never early. memq takes the delay as it is.
func publishDelayed(ctx context.Context, topic *pubsub.Topic, body []byte, delay time.Duration) error {
	m := &pubsub.Message{Body: body}
	if delay > 0 {
		secs := int32(math.Ceil(delay.Seconds()))
		m.BeforeSend = func(as func(any) bool) error {
			var entry *sqstypes.SendMessageBatchRequestEntry
			if as(&entry) {
				entry.DelaySeconds = secs
			}
			var opts *sendopt.Options
			if as(&opts) {
				opts.Delay = delay
			}
			return nil
		}
	}
	return topic.Send(ctx, m)
}
