package memq

import (
	"context"
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"gocloud.dev/gcerrors"
	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/driver"

	"github.com/heraldhq/herald/pkg/memq/sendopt"
)

// Topic is a named topic of a Broker: it fans each message out to its
// subscriptions. Reach it from a *pubsub.Topic with As.
type Topic struct {
	name string
	now  func() time.Time
	log  *slog.Logger
	// journal is the topic's journal, nil while it has none. It is set
	// once, by Broker.OpenJournal with mu held.
	journal atomic.Pointer[journal]

	mu   sync.Mutex
	subs map[string]*Subscription
}

// Name returns the topic's name.
func (t *Topic) Name() string { return t.name }

// subscription returns the subscription name, creating it if need be.
func (t *Topic) subscription(name string) *Subscription {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.subs[name]
	if s == nil {
		s = t.subscriptionLocked(name)
		if j := t.journal.Load(); j != nil {
			if err := j.ensure(name); err != nil {
				// Its messages are journaled all the same; only an
				// empty subscription is not restored after a restart.
				t.log.Error("memq: journal a new subscription", "topic", t.name, "subscription", name, "err", err)
			}
		}
	}
	return s
}

// subscriptionLocked returns the subscription name, creating it in memory
// if need be. t.mu is held.
func (t *Topic) subscriptionLocked(name string) *Subscription {
	s := t.subs[name]
	if s == nil {
		s = &Subscription{name: name, topic: t, q: newQueue()}
		t.subs[name] = s
	}
	return s
}

// dueAfter returns the due time of a message sent now with delay.
func (t *Topic) dueAfter(delay time.Duration) time.Time {
	now := t.now()
	due := now
	if delay > 0 {
		if due = now.Add(delay); due.Before(now) {
			due = farFuture // now plus MaxDelay overflows
		}
	}
	return due
}

// publish adds one message to every subscription, due after delay. If the
// topic got a journal since the caller looked, the message goes through it.
func (t *Topic) publish(body []byte, metadata map[string]string, delay time.Duration) error {
	due := t.dueAfter(delay)
	t.mu.Lock()
	defer t.mu.Unlock()
	if j := t.journal.Load(); j != nil {
		return t.journalAndAdd(j, t.subsLocked(), []pending{{body, metadata, due}})
	}
	for _, s := range t.subs {
		s.q.add(body, maps.Clone(metadata), due)
	}
	return nil
}

// farFuture is the due time of a message delayed past what time.Time holds.
var farFuture = time.Unix(1<<62, 0)

// topicDriver implements driver.Topic on a Topic; a nil Topic is one that
// does not exist.
type topicDriver struct{ t *Topic }

// newPubsubTopic returns a *pubsub.Topic sending to t.
func newPubsubTopic(t *Topic) *pubsub.Topic {
	return pubsub.NewTopic(&topicDriver{t: t}, nil)
}

// SendBatch implements driver.Topic.
func (d *topicDriver) SendBatch(ctx context.Context, ms []*driver.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d.t == nil {
		return errNotFound
	}
	if j := d.t.journal.Load(); j != nil {
		return d.sendJournaled(j, ms)
	}
	for _, m := range ms {
		var opts SendOptions
		if m.BeforeSend != nil {
			if err := m.BeforeSend(sendOptionsAs(&opts)); err != nil {
				return err
			}
		}
		if err := d.t.publish(m.Body, m.Metadata, opts.Delay); err != nil {
			return err
		}
		if m.AfterSend != nil {
			if err := m.AfterSend(func(any) bool { return false }); err != nil {
				return err
			}
		}
	}
	return nil
}

// IsRetryable implements driver.Topic.
func (*topicDriver) IsRetryable(error) bool { return false }

// As implements driver.Topic: it supports **Topic.
func (d *topicDriver) As(i any) bool {
	switch p := i.(type) {
	case **Topic:
		if d.t != nil {
			*p = d.t
			return true
		}
	case *sendopt.Limits:
		*p = sendopt.Limits{MaxDelay: MaxDelay}
		return true
	}
	return false
}

// ErrorAs implements driver.Topic.
func (*topicDriver) ErrorAs(error, any) bool { return false }

// ErrorCode implements driver.Topic.
func (*topicDriver) ErrorCode(err error) gcerrors.ErrorCode { return errorCode(err) }

// Close implements driver.Topic.
func (*topicDriver) Close() error { return nil }
