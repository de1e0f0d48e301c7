package memq

import (
	"context"
	"testing"
	"time"

	"gocloud.dev/pubsub"
)

// TestReceiveGetsMessageSentWhileWaiting: a receiver already waiting on an
// empty queue gets a message sent afterwards. That it wakes at once (not at
// its next poll) is the queue's wake channel (TestQueueAddWakesWaiting); the
// latency itself is measured by the benchmarks (BenchmarkOneAtATime in
// pkg/local, make bench), not asserted here.
func TestReceiveGetsMessageSentWhileWaiting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := NewBroker(BrokerOptions{})
	topic := b.OpenTopic("wake")
	sub := b.OpenSubscription("wake", SubscriptionOptions{})
	t.Cleanup(func() { _ = topic.Shutdown(ctx); _ = sub.Shutdown(ctx) })
	received := make(chan *pubsub.Message, 1)
	go func() {
		m, err := sub.Receive(ctx)
		if err != nil {
			t.Error(err)
		}
		received <- m
	}()
	if err := topic.Send(ctx, &pubsub.Message{Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	m := <-received
	if m == nil || string(m.Body) != "x" {
		t.Fatalf("received %v", m)
	}
	m.Ack()
}

func TestSendBeforeSubscriptionOpens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := NewBroker(BrokerOptions{})
	topic := b.OpenTopic("early")
	t.Cleanup(func() { _ = topic.Shutdown(ctx) })
	if err := topic.Send(ctx, &pubsub.Message{Body: []byte("early")}); err != nil {
		t.Fatal(err)
	}
	sub := b.OpenSubscription("early", SubscriptionOptions{})
	other := b.OpenSubscription("early", SubscriptionOptions{Name: "late-comer"})
	t.Cleanup(func() { _ = sub.Shutdown(ctx); _ = other.Shutdown(ctx) })
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	m, err := sub.Receive(rctx)
	if err != nil {
		t.Fatalf("default subscription lost the message sent before it opened: %v", err)
	}
	m.Ack()
	var s *Subscription
	if !other.As(&s) || s.Len() != 0 {
		t.Errorf("a named subscription opened after the send holds %d messages, want 0", s.Len())
	}
}

func TestSendOptionsDelay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := NewBroker(BrokerOptions{})
	topic := b.OpenTopic("delay")
	sub := b.OpenSubscription("delay", SubscriptionOptions{})
	t.Cleanup(func() { _ = topic.Shutdown(ctx); _ = sub.Shutdown(ctx) })
	const delay = 200 * time.Millisecond
	send := func(body string, d time.Duration) {
		err := topic.Send(ctx, &pubsub.Message{Body: []byte(body), BeforeSend: func(as func(any) bool) error {
			var o *SendOptions
			if as(&o) {
				o.Delay = d
			}
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	send("later", delay)
	send("now", 0)
	for _, want := range []string{"now", "later"} {
		m, err := sub.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m.Ack()
		if string(m.Body) != want {
			t.Fatalf("received %q, want %q", m.Body, want)
		}
	}
	if d := time.Since(start); d < delay {
		t.Errorf("delayed message received after %v, want at least %v", d, delay)
	}
}

func TestRedeliverAfterAckDeadline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := NewBroker(BrokerOptions{})
	topic := b.OpenTopic("deadline")
	sub := b.OpenSubscription("deadline", SubscriptionOptions{AckDeadline: 100 * time.Millisecond})
	t.Cleanup(func() { _ = topic.Shutdown(ctx); _ = sub.Shutdown(ctx) })
	if err := topic.Send(ctx, &pubsub.Message{Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	first, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Not acked: it comes back once the deadline passes.
	second, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second.Ack()
	var r Receipt
	if !second.As(&r) || r.Deliveries != 2 {
		t.Errorf("redelivered Receipt = %+v, want Deliveries 2", r)
	}
	first.Ack()
}

func TestMaxDelayDoesNotOverflow(t *testing.T) {
	t.Parallel()
	b := NewBroker(BrokerOptions{})
	tp := b.Topic("forever")
	tp.publish([]byte("x"), nil, MaxDelay)
	s := tp.subscription("forever")
	if got, _, _ := s.q.take(time.Now().Add(100*365*24*time.Hour), 1, time.Minute); len(got) != 0 {
		t.Fatal("a message delayed by MaxDelay is available within a century")
	}
}
