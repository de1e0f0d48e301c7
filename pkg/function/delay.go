package function

import (
	"math"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/enqueue"
	"github.com/heraldhq/herald/pkg/memq/sendopt"
)

// sqsMaxDelay is the longest per-message delay SQS accepts.
const sqsMaxDelay = 900 * time.Second

// memqMaxDelay is the longest delay Herald gives a memq message. memq has no
// limit; a day covers the default schedule's longest step, keeps the
// scheduler's horizon (now plus this) far from overflow, and leaves longer
// steps to the due-time table, which survives a restart.
const memqMaxDelay = 24 * time.Hour

// Delayer returns the native per-message delay of topic, as its driver
// offers it: an SQS queue's DelaySeconds, a memq topic's delay option, or
// none (the zero Delayer) on any other topic. The enqueuer and the
// retry-scheduler are given it, so that neither links a driver.
func Delayer(topic *pubsub.Topic) enqueue.Delayer {
	var c *sqs.Client
	if topic.As(&c) {
		return enqueue.Delayer{Max: sqsMaxDelay, Set: sqsDelay}
	}
	var memq sendopt.Limits
	if topic.As(&memq) {
		return enqueue.Delayer{Max: min(memqMaxDelay, memq.MaxDelay), Set: memqDelay}
	}
	return enqueue.Delayer{}
}

// sqsDelay sets an SQS message's DelaySeconds. SQS counts whole seconds, so
// the delay is rounded up: a message may arrive up to a second late, never
// early.
func sqsDelay(m *pubsub.Message, d time.Duration) {
	secs := int32(math.Ceil(d.Seconds()))
	m.BeforeSend = func(as func(any) bool) error {
		var entry *sqstypes.SendMessageBatchRequestEntry
		if as(&entry) {
			entry.DelaySeconds = secs
		}
		return nil
	}
}

// memqDelay sets a memq message's delay, which memq takes as it is.
func memqDelay(m *pubsub.Message, d time.Duration) {
	m.BeforeSend = func(as func(any) bool) error {
		var opts *sendopt.Options
		if as(&opts) {
			opts.Delay = d
		}
		return nil
	}
}
