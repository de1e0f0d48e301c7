package schedule

import (
	"context"
	"testing"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/memq"
)

// TestEnqueueUsesMemqDelay enqueues a job due in 10 min on a memq topic: it
// goes out at once as a delayed message, not through the due-time table, and
// the queue holds it back until the (fake) clock reaches its due time.
func TestEnqueueUsesMemqDelay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := newClock(t0)
	b := memq.NewBroker(memq.BrokerOptions{Now: clock.Now})
	topic := b.OpenTopic("deliver")
	sub := b.OpenSubscription("deliver", memq.SubscriptionOptions{})
	t.Cleanup(func() { _ = sub.Shutdown(ctx); _ = topic.Shutdown(ctx) })
	if got := NativeMaxDelay(topic); got != memqMaxDelay {
		t.Fatalf("NativeMaxDelay(memq topic) = %v, want %v", got, memqMaxDelay)
	}
	r := &rig{topic: topic, sub: sub, table: openCollection(t)}
	scheduled := 0
	e := r.enqueuer(t, EnqueuerConfig{Now: clock.Now, OnSchedule: func(time.Time) { scheduled++ }})
	job := herald.Job{DeliveryID: 42, Attempt: 2}
	if err := e.Enqueue(ctx, job, t0.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := r.entries(t); len(got) != 0 || scheduled != 0 {
		t.Fatalf("a 10 min step went through the due-time table: %+v", got)
	}
	early, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if m, err := sub.Receive(early); err == nil {
		m.Ack()
		t.Fatalf("received %q before it was due", m.Body)
	}
	clock.Set(t0.Add(10 * time.Minute))
	if got := receiveOne(t, sub); got != job {
		t.Fatalf("received %+v, want %+v", got, job)
	}
}

// receiveOne receives and acks one job from sub.
func receiveOne(t *testing.T, sub *pubsub.Subscription) herald.Job {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m.Ack()
	job, err := herald.DecodeJob(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	return job
}
