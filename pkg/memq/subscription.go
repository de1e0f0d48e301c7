package memq

import (
	"context"
	"time"

	"gocloud.dev/gcerrors"
	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/driver"
)

// DefaultAckDeadline is a subscription's ack deadline unless set otherwise.
const DefaultAckDeadline = time.Minute

// maxWait is the longest ReceiveBatch waits before it returns an empty batch
// (the driver contract asks for about a second at most). A waiting receiver
// costs one timer; it wakes early when a message becomes available.
const maxWait = time.Second

// Subscription is a named subscription of a Topic: one queue shared by
// every *pubsub.Subscription opened on it. Reach it from a
// *pubsub.Subscription with As.
type Subscription struct {
	name  string
	topic *Topic
	q     *queue
}

// Name returns the subscription's name.
func (s *Subscription) Name() string { return s.name }

// Topic returns the topic s subscribes to.
func (s *Subscription) Topic() *Topic { return s.topic }

// Len returns how many messages s holds: delayed, available, or received
// and not yet acked.
func (s *Subscription) Len() int { return s.q.len() }

// subscriptionDriver implements driver.Subscription on a Subscription; a nil
// Subscription is one that does not exist.
type subscriptionDriver struct {
	s           *Subscription
	now         func() time.Time
	ackDeadline time.Duration
}

// newPubsubSubscription returns a *pubsub.Subscription receiving from s.
func newPubsubSubscription(s *Subscription, now func() time.Time, ackDeadline time.Duration) *pubsub.Subscription {
	if ackDeadline <= 0 {
		ackDeadline = DefaultAckDeadline
	}
	d := &subscriptionDriver{s: s, now: now, ackDeadline: ackDeadline}
	return pubsub.NewSubscription(d, nil, nil)
}

// ReceiveBatch implements driver.Subscription. It returns the messages due
// now, up to maxMessages; when there are none it waits until one is due,
// for at most maxWait, and returns an empty batch when that passes or ctx
// ends (ctx is the portable subscription's, which ends at Shutdown).
func (d *subscriptionDriver) ReceiveBatch(ctx context.Context, maxMessages int) ([]*driver.Message, error) {
	if d.s == nil {
		return nil, errNotFound
	}
	limit := time.NewTimer(maxWait)
	defer limit.Stop()
	for {
		now := d.now()
		msgs, next, wake := d.s.q.take(now, maxMessages, d.ackDeadline)
		if len(msgs) > 0 {
			return msgs, nil
		}
		if !wait(ctx, wake, limit.C, next.Sub(now), !next.IsZero()) {
			return nil, nil
		}
	}
}

// wait blocks until wake is closed or, when timed, until after has passed
// (true: look again), or until limit fires or ctx ends (false). The end of
// ctx is not an error: the portable type would keep it as the
// subscription's error, over its own "has been Shutdown".
func wait(ctx context.Context, wake <-chan struct{}, limit <-chan time.Time, after time.Duration, timed bool) bool {
	var due <-chan time.Time
	if timed {
		t := time.NewTimer(after)
		defer t.Stop()
		due = t.C
	}
	select {
	case <-wake:
		return true
	case <-due:
		return true
	case <-limit:
		return false
	case <-ctx.Done():
		return false
	}
}

// SendAcks implements driver.Subscription.
func (d *subscriptionDriver) SendAcks(ctx context.Context, ids []driver.AckID) error {
	if d.s == nil {
		return errNotFound
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if keys := d.s.q.ack(ids); len(keys) > 0 {
		d.s.unjournal(keys)
	}
	return nil
}

// unjournal deletes acked messages from the topic's journal. A failure is
// logged, not returned: the portable type would fail the subscription for
// good, and a journaled message whose ack is lost is only delivered again
// after a restart, which at-least-once delivery allows.
func (s *Subscription) unjournal(keys []uint64) {
	if j := s.topic.journal.Load(); j != nil {
		if err := j.delete(s.name, keys); err != nil {
			s.topic.log.Error("memq: delete acked messages from the journal", "topic", s.topic.name, "subscription", s.name, "err", err)
		}
	}
}

// CanNack implements driver.Subscription.
func (*subscriptionDriver) CanNack() bool { return true }

// SendNacks implements driver.Subscription: the messages are available
// again at once.
func (d *subscriptionDriver) SendNacks(ctx context.Context, ids []driver.AckID) error {
	if d.s == nil {
		return errNotFound
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d.s.q.nack(d.now(), ids)
	return nil
}

// IsRetryable implements driver.Subscription.
func (*subscriptionDriver) IsRetryable(error) bool { return false }

// As implements driver.Subscription: it supports **Subscription.
func (d *subscriptionDriver) As(i any) bool {
	p, ok := i.(**Subscription)
	if ok && d.s != nil {
		*p = d.s
		return true
	}
	return false
}

// ErrorAs implements driver.Subscription.
func (*subscriptionDriver) ErrorAs(error, any) bool { return false }

// ErrorCode implements driver.Subscription.
func (*subscriptionDriver) ErrorCode(err error) gcerrors.ErrorCode { return errorCode(err) }

// Close implements driver.Subscription.
func (*subscriptionDriver) Close() error { return nil }
