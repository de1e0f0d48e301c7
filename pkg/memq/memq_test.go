package memq

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/driver"
	"gocloud.dev/pubsub/drivertest"
)

// harness runs gocloud's conformance suite on a Broker of its own.
type harness struct {
	b    *Broker
	subs int
}

func newHarness(context.Context, *testing.T) (drivertest.Harness, error) {
	return &harness{b: NewBroker(BrokerOptions{})}, nil
}

func (h *harness) CreateTopic(_ context.Context, testName string) (driver.Topic, func(), error) {
	return &topicDriver{t: h.b.Topic(testName)}, func() {}, nil
}

func (h *harness) MakeNonexistentTopic(context.Context) (driver.Topic, error) {
	return &topicDriver{}, nil
}

func (h *harness) CreateSubscription(_ context.Context, dt driver.Topic, testName string) (driver.Subscription, func(), error) {
	h.subs++
	s := dt.(*topicDriver).t.subscription(fmt.Sprintf("%s-%d", testName, h.subs))
	return &subscriptionDriver{s: s, now: time.Now, ackDeadline: time.Second}, func() {}, nil
}

func (h *harness) MakeNonexistentSubscription(context.Context) (driver.Subscription, func(), error) {
	return &subscriptionDriver{now: time.Now, ackDeadline: time.Second}, func() {}, nil
}

func (h *harness) Close() {}

func (h *harness) MaxBatchSizes() (int, int) { return 0, 0 }

func (h *harness) SupportsMultipleSubscriptions() bool { return true }

func TestConformance(t *testing.T) {
	drivertest.RunConformanceTests(t, newHarness, []drivertest.AsTest{asTest{}})
}

// asTest checks the types memq supports for As.
type asTest struct{}

func (asTest) Name() string { return "memq" }

func (asTest) TopicCheck(topic *pubsub.Topic) error {
	var t *Topic
	if !topic.As(&t) {
		return errors.New("topic.As(**Topic) failed")
	}
	if t.Name() == "" {
		return errors.New("topic has no name")
	}
	return nil
}

func (asTest) SubscriptionCheck(sub *pubsub.Subscription) error {
	var s *Subscription
	if !sub.As(&s) {
		return errors.New("subscription.As(**Subscription) failed")
	}
	if s.Topic() == nil {
		return errors.New("subscription has no topic")
	}
	return nil
}

func (asTest) TopicErrorCheck(t *pubsub.Topic, err error) error {
	var s string
	if t.ErrorAs(err, &s) {
		return errors.New("topic.ErrorAs succeeded, want false")
	}
	return nil
}

func (asTest) SubscriptionErrorCheck(sub *pubsub.Subscription, err error) error {
	var s string
	if sub.ErrorAs(err, &s) {
		return errors.New("subscription.ErrorAs succeeded, want false")
	}
	return nil
}

func (asTest) MessageCheck(m *pubsub.Message) error {
	var r Receipt
	if !m.As(&r) {
		return errors.New("message.As(*Receipt) failed")
	}
	if r.Deliveries != 1 {
		return fmt.Errorf("Receipt.Deliveries = %d, want 1", r.Deliveries)
	}
	return nil
}

func (asTest) BeforeSend(as func(any) bool) error {
	var o *SendOptions
	if !as(&o) {
		return errors.New("BeforeSend's as(**SendOptions) failed")
	}
	return nil
}

func (asTest) AfterSend(as func(any) bool) error {
	var o *SendOptions
	if as(&o) {
		return errors.New("AfterSend's as(**SendOptions) succeeded, want false")
	}
	return nil
}

func BenchmarkMemq(b *testing.B) {
	ctx := context.Background()
	br := NewBroker(BrokerOptions{})
	topic := br.OpenTopic("bench")
	sub := br.OpenSubscription("bench", SubscriptionOptions{AckDeadline: time.Second})
	defer func() {
		_ = topic.Shutdown(ctx)
		_ = sub.Shutdown(ctx)
	}()
	drivertest.RunBenchmarks(b, topic, sub)
}
