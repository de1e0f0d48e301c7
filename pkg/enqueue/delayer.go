package enqueue

import (
	"context"
	"time"

	"gocloud.dev/pubsub"
)

// Delayer is a topic's native per-message delay, given by the runtime that
// opened the topic (which knows its driver). The zero Delayer is a topic
// without one.
type Delayer struct {
	// Max is the longest delay the topic takes; 0 when it has none.
	Max time.Duration
	// Set makes m, about to be sent, be received d after it is sent
	// (0 < d <= Max); nil when the topic has no delay.
	Set func(m *pubsub.Message, d time.Duration)
}

// Send publishes body to topic to be received after delay, which must be
// within Max; on a topic without native delays, and for a delay of 0 or
// less, it is sent at once.
func (d Delayer) Send(ctx context.Context, topic *pubsub.Topic, body []byte, delay time.Duration) error {
	m := &pubsub.Message{Body: body}
	if delay > 0 && d.Set != nil {
		d.Set(m, delay)
	}
	return topic.Send(ctx, m)
}
