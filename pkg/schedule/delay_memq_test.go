package schedule

import (
	"context"
	"slices"
	"testing"
	"time"

	"gocloud.dev/pubsub"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/memq"
)

// TestEnqueueUsesMemqDelay enqueues a job due in 10 min on a memq topic: it
// goes out at once as a delayed message, not through the due-time table, and
// the queue holds it back until the (fake) clock reaches its due time.
func TestEnqueueUsesMemqDelay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := heraldtest.NewClock(t0)
	r := newMemqRig(t, clock)
	if got := NativeMaxDelay(r.topic); got != memqMaxDelay {
		t.Fatalf("NativeMaxDelay(memq topic) = %v, want %v", got, memqMaxDelay)
	}
	sub := r.sub
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

// TestRecoverOnMemqRepublishesDelayed: at start, a pending delivery due
// within memq's delay had a delayed message that died with the previous
// process; Recover publishes it again with the remaining delay.
func TestRecoverOnMemqRepublishesDelayed(t *testing.T) {
	t.Parallel()
	clock := heraldtest.NewClock(t0)
	r := newMemqRig(t, clock)
	s := r.scheduler(t, Config{Now: clock.Now, SweepGrace: time.Minute})
	overdueSet(t, r)
	n, err := s.Recover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []herald.Job{{DeliveryID: 1, Attempt: 3}, {DeliveryID: 2, Attempt: 1}, {DeliveryID: 3, Attempt: 2}}
	if got := sortJobs(r.receiveJobs(t, len(want))); n != len(want)+1 || !slices.Equal(got, want) {
		t.Fatalf("Recover = %d, published %+v; want %d, %+v and one delayed", n, got, len(want)+1, want)
	}
	r.expectNoJob(t)
	if got := r.nextAttempt(t, 5); !got.Equal(t0.Add(time.Hour)) {
		t.Errorf("delivery 5 due at %v after Recover, want unchanged %v", got, t0.Add(time.Hour))
	}
	clock.Set(t0.Add(time.Hour))
	if got, want := receiveOne(t, r.sub), (herald.Job{DeliveryID: 5, Attempt: 2}); got != want {
		t.Fatalf("at its due time received %+v, want %+v", got, want)
	}
}

// newMemqRig is newRig on a memq topic whose delays run on clock.
func newMemqRig(t *testing.T, clock *heraldtest.Clock) *rig {
	t.Helper()
	ctx := context.Background()
	b := memq.NewBroker(memq.BrokerOptions{Now: clock.Now})
	r := &rig{topic: b.OpenTopic("deliver"), sub: b.OpenSubscription("deliver", memq.SubscriptionOptions{}),
		table: heraldtest.Collection(t), deliveries: heraldtest.Collection(t)}
	t.Cleanup(func() { _ = r.sub.Shutdown(ctx); _ = r.topic.Shutdown(ctx) })
	return r
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
